import iconv from 'iconv-lite'
import { describe, expect, it } from 'vitest'
import { encode, repairResidue } from '../../../src/imports/encoding/index.js'

/** What an earlier, wrong conversion did: legacy bytes read as Windows-1252. */
const misreadAsCp1252 = (bytes: Buffer) => iconv.decode(bytes, 'windows1252')

const REAL_STRINGS = [
  'Nguyễn Văn Thành', 'Đắk Đoa', 'Ia Grai', 'Trần Thị Hường', 'Lê Quang Vũ', 'Phạm Ngọc Ẩn',
  'Xã Ia Băng', 'Thôn 3, xã Chư Á', 'Đất trồng cây lâu năm',
]

describe('repairResidue', () => {
  it('repairs the TCVN3 examples from DOMAIN.md', () => {
    expect(repairResidue('NguyÔn V¨n Thµnh')).toEqual({ text: 'Nguyễn Văn Thành', changed: true, from: 'tcvn3', ambiguous: false })
    expect(repairResidue('§¾k §oa')).toEqual({ text: 'Đắk Đoa', changed: true, from: 'tcvn3', ambiguous: false })
    expect(repairResidue('T\u00ADêng')).toMatchObject({ text: 'Tường', changed: true, from: 'tcvn3' })
  })

  it('repairs a word whose only sign of residue is a capital inside it', () => {
    // TCVN3 "Thể" (54 68 D3) read as cp1252 is "ThÓ", which would be "thó" if case were ignored.
    expect(repairResidue('ThÓ')).toMatchObject({ text: 'Thể', changed: true, from: 'tcvn3' })
  })

  it('repairs VNI read as cp1252', () => {
    expect(repairResidue('Töôøng')).toEqual({ text: 'Tường', changed: true, from: 'vni', ambiguous: false })
    expect(repairResidue('Nguyeãn Vaên Thaønh')).toMatchObject({ text: 'Nguyễn Văn Thành', changed: true, from: 'vni' })
  })

  it('repairs each real string misread from TCVN3 and from VNI', () => {
    for (const text of REAL_STRINGS) {
      if (/^[\x00-\x7f]*$/.test(text)) continue
      const fromTcvn3 = repairResidue(misreadAsCp1252(encode(text, 'tcvn3')))
      // TCVN3 has no toned capitals: they come back lowercase, as decoding TCVN3 does.
      expect(fromTcvn3.text.toLowerCase(), text).toBe(text.toLowerCase())
      expect(fromTcvn3.from, text).toBe('tcvn3')
      const fromVni = repairResidue(misreadAsCp1252(encode(text, 'vni')))
      expect(fromVni, text).toEqual({ text, changed: true, from: 'vni', ambiguous: false })
    }
  })

  it('leaves correct Vietnamese, English, numbers and land-use codes untouched', () => {
    const untouched = [
      ...REAL_STRINGS, 'Lê Hà', 'Hà Nội', 'Land parcel boundary', 'Café', '12.0', '09922',
      'ONT+CLN', 'ONT+CLN+NTS', 'CS 123456', '',
    ]
    for (const text of untouched) {
      expect(repairResidue(text), text).toEqual({ text, changed: false, ambiguous: false })
    }
  })

  it('leaves residue it cannot repair with certainty, flagged as ambiguous', () => {
    expect(repairResidue('§')).toEqual({ text: '§', changed: false, ambiguous: true })
    // Mixed with real Unicode (ễ has no cp1252 byte), the whole string was not misread.
    expect(repairResidue('Nguyễn V¨n')).toEqual({ text: 'Nguyễn V¨n', changed: false, ambiguous: true })
    // "à" is byte 0xE0, a position ABC fonts never use (TCVN 5712 puts Ổ there): reading the
    // string as TCVN3 would need it, so no repair, rather than "NhỔ Văn".
    expect(repairResidue('Nhà V¨n')).toEqual({ text: 'Nhà V¨n', changed: false, ambiguous: true })
  })
})
