import { describe, expect, it } from 'vitest'
import { isVietnameseSyllable, syllableScore } from '../../../src/imports/encoding/syllable.js'

describe('isVietnameseSyllable', () => {
  it('accepts real words, names and Central Highlands place names', () => {
    const valid = `Nguyễn Trần Hường Đức Quốc Quỳnh Quý Khuya Khuỷu Ngoằn Ngoèo Thuở Giường Giữ Gìn
      Nghiêng Hòa Hoà Thủy Thuỷ Huỳnh Khuyên Người Đường Tỉnh Huyện đất trồng cây lâu năm rừng
      nghĩa địa Đắk Lắk Krông Đăk Pơ Chư Sê Uyên Oanh Yến NGUYỄN ĐẮK NGUYễN THàNH`.split(/\s+/)
    for (const word of valid) expect(isVietnameseSyllable(word), word).toBe(true)
  })

  it('rejects what wrong decodings produce', () => {
    const invalid = [
      'NguyÔn', // TCVN3 read as cp1252: capital Ô inside a word
      'ThÓ', // TCVN3 "Thể" read as cp1252: valid letters, impossible case
      'V¨n', // symbol
      'Thµnh',
      'Vuị', // tone on the wrong vowel (cp1258 "Vũ" read as TCVN3)
      'Xaị',
      'Tửụứng', // three tone marks
      'Nguyeãn', // VNI read as cp1252: impossible vowel cluster
      'Töôøng', // foreign letters
      'ńa', // a tone mark on a consonant
      'Hac', // stop coda without sắc or nặng
      'Café',
    ]
    for (const word of invalid) expect(isVietnameseSyllable(word), word).toBe(false)
  })
})

describe('syllableScore', () => {
  it('counts only words with non-ASCII letters', () => {
    expect(syllableScore(['ONT+CLN 12.0 Ia Grai'])).toEqual({ score: 0, evidence: 0 })
    expect(syllableScore(['Thôn 3, xã Chư Á'])).toEqual({ score: 1, evidence: 4 })
    expect(syllableScore(['NguyÔn Văn'])).toEqual({ score: 0.5, evidence: 2 })
  })
})
