import { describe, expect, it } from 'vitest'
import { decode, encode, VIET_ENCODINGS } from '../../../src/imports/encoding/index.js'

describe('decode / encode', () => {
  it('gives different bytes per encoding for the same text', () => {
    const encoded = VIET_ENCODINGS.map((encoding) => encode('Trần Thị Hường', encoding).toString('hex'))
    expect(new Set(encoded).size).toBe(4)
  })

  it('returns NFC from every decoder, also for decomposed UTF-8 input', () => {
    const decomposed = Buffer.from('Nguyễn Văn Thành'.normalize('NFD'), 'utf8')
    expect(decode(decomposed, 'utf8')).toBe('Nguyễn Văn Thành'.normalize('NFC'))
    for (const encoding of VIET_ENCODINGS) {
      const text = decode(encode('Đất trồng cây lâu năm', encoding), encoding)
      expect(text, encoding).toBe(text.normalize('NFC'))
    }
  })

  it('accepts decomposed input to encode', () => {
    for (const encoding of VIET_ENCODINGS) {
      expect(encode('Hường'.normalize('NFD'), encoding).equals(encode('Hường', encoding)), encoding).toBe(true)
    }
  })

  it('leaves ASCII bytes alone in every encoding', () => {
    for (const encoding of VIET_ENCODINGS) {
      expect(encode('ONT+CLN 09922 12.0', encoding).toString('latin1')).toBe('ONT+CLN 09922 12.0')
    }
  })
})
