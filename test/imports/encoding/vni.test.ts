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

describe('VNI-Windows', () => {
  it('decodes known byte sequences (shown as cp1252 in the comments)', () => {
    expect(decode(Buffer.from('54f6f4f86e67', 'hex'), 'vni')).toBe('Tường') // Töôøng
    expect(decode(Buffer.from('4e67757965e36e', 'hex'), 'vni')).toBe('Nguyễn') // Nguyeãn
    expect(decode(Buffer.from('d161e96b20d16f61', 'hex'), 'vni')).toBe('Đắk Đoa') // Ñaék Ñoa
    expect(decode(Buffer.from('546861f86e68', 'hex'), 'vni')).toBe('Thành') // Thaønh
    expect(decode(Buffer.from('41c56e', 'hex'), 'vni')).toBe('Ẩn') // AÅn
  })

  it('decodes the single-byte letters', () => {
    const singles = Buffer.from([0xd1, 0xf1, 0xd4, 0xf4, 0xd6, 0xf6, 0xcd, 0xed, 0xcc, 0xec, 0xc6, 0xe6, 0xd3, 0xf3, 0xd2, 0xf2, 0xce, 0xee])
    expect(decode(singles, 'vni')).toBe('ĐđƠơƯưÍíÌìỈỉĨĩỊịỴỵ')
  })

  it('matches two-byte sequences before single bytes (ơ + mark is one letter)', () => {
    expect(decode(Buffer.from([0xf4, 0xf9]), 'vni')).toBe('ớ')
    expect(decode(Buffer.from([0xd6, 0xd8]), 'vni')).toBe('Ừ')
    expect(decode(Buffer.from([0xf4]), 'vni')).toBe('ơ')
  })

  it('reads a mark of the other case by its meaning, keeping the base letter case', () => {
    expect(decode(Buffer.from('TÖÔØNG', 'latin1'), 'vni')).toBe('TƯỜNG')
    expect(decode(Buffer.from([0x41, 0xf9]), 'vni')).toBe('Á')
    expect(decode(Buffer.from([0x61, 0xd9]), 'vni')).toBe('á')
  })

  it('shows bytes VNI does not use as their Western glyph', () => {
    expect(decode(Buffer.from([0x80, 0xa9]), 'vni')).toBe('€©')
  })

  it('encodes to the published bytes', () => {
    expect(encode('Tường', 'vni').toString('latin1')).toBe('Töôøng')
    expect(hex(encode('Đắk Đoa', 'vni'))).toBe('d161e96b20d16f61')
    expect(hex(encode('Ỵ ỵ Ý ý', 'vni'))).toBe('ce20ee2059d92079f9')
    expect(encode('€', 'vni').toString('latin1')).toBe('?')
  })

  it('round-trips every Vietnamese letter, alone and run together', () => {
    const letters = vietnameseLetters()
    expect(letters).toHaveLength(134)
    for (const letter of letters) expect(decode(encode(letter, 'vni'), 'vni'), letter).toBe(letter)
    expect(new Set(letters.map((letter) => hex(encode(letter, 'vni')))).size).toBe(134)
    // Run together, each letter's mark byte must not be read as part of its neighbour.
    const all = letters.join('')
    expect(decode(encode(all, 'vni'), 'vni')).toBe(all)
    const withBases = letters.map((letter) => `a${letter}o`).join(' ')
    expect(decode(encode(withBases, 'vni'), 'vni')).toBe(withBases)
  })

  it('round-trips the real strings', () => {
    for (const text of REAL_STRINGS) expect(decode(encode(text, 'vni'), 'vni')).toBe(text)
  })
})
