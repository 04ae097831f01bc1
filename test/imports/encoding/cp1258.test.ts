import { describe, expect, it } from 'vitest'
import { decode, encode } from '../../../src/imports/encoding/index.js'

const hex = (bytes: Buffer) => bytes.toString('hex')

const REAL_STRINGS = [
  'Nguyễn Văn Thành', 'Đắk Đoa', 'Ia Grai', 'Trần Thị Hường', 'Lê Quang Vũ', 'Phạm Ngọc Ẩn',
  'Xã Ia Băng', 'Thôn 3, xã Chư Á', 'Đất trồng cây lâu năm',
]

function vietnameseLetters(): string[] {
  const lower: string[] = []
  for (const vowel of 'aăâeêioôơuưy') {
    for (const tone of ['', '\u0300', '\u0301', '\u0303', '\u0309', '\u0323']) {
      const letter = (vowel + tone).normalize('NFC')
      if (letter.charCodeAt(0) >= 0x80) lower.push(letter)
    }
  }
  lower.push('đ')
  return [...lower, ...lower.map((letter) => letter.toUpperCase())]
}

describe('Windows-1258', () => {
  it('decodes base letters plus combining tone marks to NFC', () => {
    // N g u y ê + tilde (0xDE) n
    const nguyen = decode(Buffer.from('4e677579eade6e', 'hex'), 'cp1258')
    expect(nguyen).toBe('Nguyễn')
    expect(nguyen).toBe(nguyen.normalize('NFC'))
    expect(nguyen).toHaveLength(6)
    // H ư ơ + grave (0xCC) n g
    expect(decode(Buffer.from('48fdf5cc6e67', 'hex'), 'cp1258')).toBe('Hường')
    // Đ ă + acute (0xEC) k
    expect(decode(Buffer.from('d0e3ec6b', 'hex'), 'cp1258')).toBe('Đắk')
    // decomposed a + grave and the precomposed à byte both give à
    expect(decode(Buffer.from('546861cc6e68', 'hex'), 'cp1258')).toBe('Thành')
    expect(decode(Buffer.from('5468e06e68', 'hex'), 'cp1258')).toBe('Thành')
  })

  it('encodes to base letter + tone mark, using cp1258 precomposed letters where they exist', () => {
    expect(hex(encode('Nguyễn', 'cp1258'))).toBe('4e677579eade6e')
    expect(hex(encode('Đắk', 'cp1258'))).toBe('d0e3ec6b')
    expect(hex(encode('ậ ợ', 'cp1258'))).toBe('e2f220f5f2')
    expect(hex(encode('á', 'cp1258'))).toBe('e1')
    expect(hex(encode('ã', 'cp1258'))).toBe('61de') // 0xE3 is ă in cp1258, not ã
  })

  it('round-trips every Vietnamese letter', () => {
    const letters = vietnameseLetters()
    expect(letters).toHaveLength(134)
    for (const letter of letters) expect(decode(encode(letter, 'cp1258'), 'cp1258'), letter).toBe(letter)
    expect(decode(encode(letters.join(' '), 'cp1258'), 'cp1258')).toBe(letters.join(' '))
  })

  it('round-trips the real strings', () => {
    for (const text of REAL_STRINGS) expect(decode(encode(text, 'cp1258'), 'cp1258')).toBe(text)
  })
})
