import { describe, expect, it } from 'vitest'
import { decode, detectEncoding, encode, VIET_ENCODINGS } from '../../../src/imports/encoding/index.js'

const REAL_STRINGS = [
  'Nguyễn Văn Thành', 'Đắk Đoa', 'Trần Thị Hường', 'Lê Quang Vũ', 'Phạm Ngọc Ẩn',
  'Xã Ia Băng', 'Thôn 3, xã Chư Á', 'Đất trồng cây lâu năm',
]

const OWNERS = [
  'Nguyễn Văn An', 'Trần Thị Bích', 'Lê Văn Cường', 'Phạm Thị Dung', 'Hoàng Văn Đức',
  'Huỳnh Thị Giang', 'Phan Văn Hải', 'Vũ Thị Hằng', 'Võ Văn Khánh', 'Đặng Thị Lan',
  'Bùi Văn Long', 'Đỗ Thị Mai', 'Hồ Văn Nam', 'Ngô Thị Oanh', 'Dương Văn Phúc',
  'Lý Thị Quyên', 'Đinh Văn Sơn', 'Trịnh Thị Thảo', 'Đoàn Văn Tuấn', 'Lương Thị Yến',
  'Rơ Châm Ớt', 'Ksor Nhứ', 'Siu Hương', '',
]

const SINGLE_NAMES = [
  'Vũ', 'Ẩn', 'Hà', 'Lê', 'Đức', 'Tú', 'Bé', 'Hòa', 'Thủy', 'Ánh', 'Yến', 'Út', 'Nở', 'Ơn',
  'Hường', 'Đào', 'Sáu', 'Mười', 'Tư', 'Chín', 'Bảy', 'Tám', 'Ý', 'Lộc', 'Hiền', 'Thư',
]

describe('detectEncoding', () => {
  for (const encoding of VIET_ENCODINGS) {
    it(`finds ${encoding} for each real string alone`, () => {
      for (const text of REAL_STRINGS) {
        const result = detectEncoding([encode(text, encoding)])
        expect(result.encoding, `${text} in ${encoding}: ${JSON.stringify(result.scores)}`).toBe(encoding)
        expect(result.asciiOnly).toBe(false)
      }
    })

    it(`finds ${encoding} for a column of owner names, with confidence`, () => {
      const result = detectEncoding(OWNERS.map((name) => encode(name, encoding)))
      expect(result.encoding).toBe(encoding)
      expect(result.confidence).toBeGreaterThan(0.5)
      expect(result.scores[encoding]).toBeGreaterThan(0.9)
    })

    it(`finds ${encoding} for owner names typed in capitals`, () => {
      // TCVN3 keeps the toned capitals lowercase ("NGUYễN"); that must still count as valid.
      const result = detectEncoding(OWNERS.map((name) => encode(name.toUpperCase(), encoding)))
      expect(result.encoding).toBe(encoding)
      expect(result.scores[encoding]).toBeGreaterThan(0.9)
    })

    it(`reads short single names encoded in ${encoding} correctly`, () => {
      for (const name of SINGLE_NAMES) {
        const bytes = encode(name, encoding)
        const result = detectEncoding([bytes])
        // TCVN3 gives toned capitals back lowercase; compare with what TCVN3 itself decodes.
        expect(decode(bytes, result.encoding), `${name} in ${encoding}`).toBe(decode(bytes, encoding))
      }
    })
  }

  it('reports pure ASCII as utf8, flagged as ASCII-only', () => {
    const result = detectEncoding([Buffer.from('Ia Grai'), Buffer.from('ONT+CLN'), Buffer.from('12.0')])
    expect(result).toMatchObject({ encoding: 'utf8', asciiOnly: true, confidence: 1 })
    expect(result.scores).toEqual({ utf8: 1, tcvn3: 1, vni: 1, cp1258: 1 })
  })

  it('rules out UTF-8 when a sample is not valid UTF-8', () => {
    const samples = [encode('Nguyễn Văn Thành', 'utf8'), encode('Đắk Đoa', 'tcvn3')]
    expect(detectEncoding(samples).scores.utf8).toBe(0)
  })

  it('never answers utf8 for invalid UTF-8, even when nothing reads as Vietnamese', () => {
    const result = detectEncoding([Buffer.from([0x80, 0x81, 0x20, 0x9d])])
    expect(result.encoding).not.toBe('utf8')
    expect(result.confidence).toBe(0)
  })

  it('forgives a UTF-8 character cut off at the end of a fixed-width field', () => {
    const full = encode('Trần Thị Hường', 'utf8')
    const cut = full.subarray(0, full.length - 4) // "Trần Thị Hư" plus the first byte of "ờ"
    const result = detectEncoding([cut, encode('Lê Quang Vũ', 'utf8')])
    expect(result.encoding).toBe('utf8')
    expect(result.scores.utf8).toBeGreaterThan(0.5)
  })

  it('ignores ASCII fields mixed into legacy samples', () => {
    const samples = [Buffer.from('ONT+CLN'), Buffer.from('Ia Grai'), encode('Xã Ia Băng', 'vni')]
    expect(detectEncoding(samples).encoding).toBe('vni')
  })

  it('does not read cp1258 Latin-1 letters as TCVN3 positions ABC fonts never use', () => {
    // cp1258 "Nhà" is 4E 68 E0; TCVN 5712 has Ổ at 0xE0, giving the valid-looking "NhỔ".
    const result = detectEncoding([encode('Nhà', 'cp1258')])
    expect(result.encoding).toBe('cp1258')
    expect(result.scores.tcvn3).toBe(0)
  })

  it('is deterministic for the same input', () => {
    const samples = [encode('Lê', 'cp1258')]
    expect(detectEncoding(samples)).toEqual(detectEncoding(samples))
  })
})
