import { describe, expect, it } from 'vitest'
import { decode, encode } from '../../../src/imports/encoding/index.js'

const hex = (bytes: Buffer) => bytes.toString('hex')
const bytes = (...values: number[]) => Buffer.from(values)

/** Every Vietnamese letter outside ASCII: 12 vowels × 6 tones minus the 6 plain ASCII vowels, plus đ. */
function vietnameseLetters(): { lower: string[]; upper: string[] } {
  const lower: string[] = []
  for (const vowel of 'aăâeêioôơuưy') {
    for (const tone of ['', '\u0300', '\u0301', '\u0303', '\u0309', '\u0323']) {
      const letter = (vowel + tone).normalize('NFC')
      if (letter.charCodeAt(0) >= 0x80) lower.push(letter)
    }
  }
  lower.push('đ')
  return { lower, upper: lower.map((letter) => letter.toUpperCase()) }
}

describe('TCVN3 (ABC) table', () => {
  it('decodes the ABC capitals and base letters at 0xA1–0xAE', () => {
    expect(decode(bytes(0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7), 'tcvn3')).toBe('ĂÂÊÔƠƯĐ')
    expect(decode(bytes(0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae), 'tcvn3')).toBe('ăâêôơưđ')
  })

  it('decodes toned lowercase letters at their ABC positions', () => {
    expect(decode(bytes(0xb5, 0xb6, 0xb7, 0xb8, 0xb9), 'tcvn3')).toBe('àảãáạ')
    expect(decode(bytes(0xbb, 0xbc, 0xbd, 0xbe, 0xc6), 'tcvn3')).toBe('ằẳẵắặ')
    expect(decode(bytes(0xc7, 0xc8, 0xc9, 0xca, 0xcb), 'tcvn3')).toBe('ầẩẫấậ')
    expect(decode(bytes(0xd2, 0xd3, 0xd4, 0xd5, 0xd6), 'tcvn3')).toBe('ềểễếệ')
    expect(decode(bytes(0xd7, 0xd8, 0xdc, 0xdd, 0xde), 'tcvn3')).toBe('ìỉĩíị')
    expect(decode(bytes(0xea, 0xeb, 0xec, 0xed, 0xee), 'tcvn3')).toBe('ờởỡớợ')
    expect(decode(bytes(0xf5, 0xf6, 0xf7, 0xf8, 0xf9), 'tcvn3')).toBe('ừửữứự')
    expect(decode(bytes(0xfa, 0xfb, 0xfc, 0xfd, 0xfe), 'tcvn3')).toBe('ỳỷỹýỵ')
  })

  it('decodes known byte sequences of real names', () => {
    // "NguyÔn V¨n Thµnh" when these bytes are shown as cp1252.
    expect(decode(Buffer.from('4e677579d46e2056a86e205468b56e68', 'hex'), 'tcvn3')).toBe('Nguyễn Văn Thành')
    expect(decode(Buffer.from('a7be6b20a76f61', 'hex'), 'tcvn3')).toBe('Đắk Đoa')
    expect(decode(Buffer.from('54adea6e67', 'hex'), 'tcvn3')).toBe('Tường')
  })

  it('keeps 0x00–0x7F as ASCII instead of the VN1 capitals iconv-lite puts at 0x01–0x17', () => {
    expect(decode(bytes(0x01, 0x02, 0x11, 0x17), 'tcvn3')).toBe('\u0001\u0002\u0011\u0017')
    expect(decode(Buffer.from('ONT+CLN 12.0', 'latin1'), 'tcvn3')).toBe('ONT+CLN 12.0')
  })

  it('encodes to the ABC bytes', () => {
    expect(hex(encode('Nguyễn Văn Thành', 'tcvn3'))).toBe('4e677579d46e2056a86e205468b56e68')
    expect(hex(encode('Đắk Đoa', 'tcvn3'))).toBe('a7be6b20a76f61')
    expect(hex(encode('Ă Â Ê Ô Ơ Ư Đ', 'tcvn3'))).toBe('a120a220a320a420a520a620a7')
  })

  it('encodes toned capitals with the lowercase byte (the …H font convention)', () => {
    expect(hex(encode('Ẩ', 'tcvn3'))).toBe(hex(encode('ẩ', 'tcvn3')))
    expect(hex(encode('Ẩ', 'tcvn3'))).toBe('c8')
    expect(decode(encode('Phạm Ngọc Ẩn', 'tcvn3'), 'tcvn3')).toBe('Phạm Ngọc ẩn')
  })

  it('encodes characters TCVN3 lacks as "?"', () => {
    expect(encode('€ ü', 'tcvn3').toString('latin1')).toBe('? ?')
  })

  it('round-trips every lowercase letter through one distinct byte each', () => {
    const { lower } = vietnameseLetters()
    expect(lower).toHaveLength(67)
    const encoded = lower.map((letter) => encode(letter, 'tcvn3'))
    for (const [i, letter] of lower.entries()) {
      expect(encoded[i], letter).toHaveLength(1)
      expect(decode(encoded[i] as Buffer, 'tcvn3'), letter).toBe(letter)
    }
    expect(new Set(encoded.map(hex)).size).toBe(67)
  })

  it('round-trips capitals to lowercase when toned, exactly when not', () => {
    const { upper } = vietnameseLetters()
    const untoned = new Set(['Ă', 'Â', 'Ê', 'Ô', 'Ơ', 'Ư', 'Đ'])
    for (const letter of upper) {
      const expected = untoned.has(letter) ? letter : letter.toLowerCase()
      expect(decode(encode(letter, 'tcvn3'), 'tcvn3'), letter).toBe(expected)
    }
  })

  it('round-trips the real strings (toned capitals come back lowercase)', () => {
    const cases: Array<[string, string]> = [
      ['Nguyễn Văn Thành', 'Nguyễn Văn Thành'],
      ['Đắk Đoa', 'Đắk Đoa'],
      ['Ia Grai', 'Ia Grai'],
      ['Trần Thị Hường', 'Trần Thị Hường'],
      ['Lê Quang Vũ', 'Lê Quang Vũ'],
      ['Phạm Ngọc Ẩn', 'Phạm Ngọc ẩn'],
      ['Xã Ia Băng', 'Xã Ia Băng'],
      ['Thôn 3, xã Chư Á', 'Thôn 3, xã Chư á'],
      ['Đất trồng cây lâu năm', 'Đất trồng cây lâu năm'],
    ]
    for (const [text, expected] of cases) expect(decode(encode(text, 'tcvn3'), 'tcvn3')).toBe(expected)
  })
})
