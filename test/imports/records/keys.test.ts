/** Key and value normalisation of attribute records: the forms clerks type, and what they become. */
import { describe, expect, it } from 'vitest'
import { normalizeCommuneText, normalizeKeyNumber, recordKey } from '../../../src/imports/records/keys.js'
import { landUseCodes, normalizeSerial, readArea, splitOwners } from '../../../src/imports/records/values.js'

describe('sheet and parcel numbers', () => {
  it.each([
    ['12', '12'], ['012', '12'], ['0', '0'], ['000', '0'], ['12a', '12a'], ['12A', '12a'], ['12 A', '12a'],
    ['12.0', '12'], ['12.00', '12'], ['12,0', '12'], ['  7 ', '7'],
    ['Tờ 5', '5'], ['tờ số 5', '5'], ['Tờ số: 05', '5'], ['Tờ bản đồ số 5', '5'], ['TỜ BẢN ĐỒ SỐ 5', '5'], ['TBĐ 5', '5'], ['to 5', '5'], ['Số tờ 5', '5'],
    ['Thửa 12', '12'], ['thửa số 012', '12'], ['Thửa đất số 12a', '12a'], ['Số thửa 12', '12'], ['số 12', '12'],
    ['', ''], ['   ', ''], ['F-48-68', 'f-48-68'],
  ])('%j → %j', (raw, expected) => {
    expect(normalizeKeyNumber(raw)).toBe(expected)
  })

  it('takes numbers as numbers (a spreadsheet cell)', () => {
    expect(normalizeKeyNumber(12)).toBe('12')
    expect(normalizeKeyNumber(null)).toBe('')
  })
})

describe('the (sheet, parcel) key of a row', () => {
  it.each([
    [['5', '12'], { sheet: '5', parcel: '12', sheetFromParcel: false, slashConflict: null }],
    [['', '5/12'], { sheet: '5', parcel: '12', sheetFromParcel: true, slashConflict: null }],
    [[null, ' 05 / 012 '], { sheet: '5', parcel: '12', sheetFromParcel: true, slashConflict: null }],
    [['5', '5/12'], { sheet: '5', parcel: '12', sheetFromParcel: false, slashConflict: null }],
    [['Tờ 5', '5/12a'], { sheet: '5', parcel: '12a', sheetFromParcel: false, slashConflict: null }],
    [['7', '5/12'], { sheet: '7', parcel: '5/12', sheetFromParcel: false, slashConflict: { sheetInParcel: '5' } }],
    [['', '12'], { sheet: '', parcel: '12', sheetFromParcel: false, slashConflict: null }],
    [['5', ''], { sheet: '5', parcel: '', sheetFromParcel: false, slashConflict: null }],
  ] as const)('%j', ([sheet, parcel], expected) => {
    expect(recordKey(sheet, parcel)).toEqual(expected)
  })
})

describe('commune codes', () => {
  it.each([
    ['23500', '23500'], ['09922', '09922'], ['9922', '09922'], ['9922.0', '09922'], [' 37001 ', '37001'], ['', ''],
    ['abc', null], ['123456', null], ['Xã 23500', null],
  ])('%j → %j', (raw, expected) => {
    expect(normalizeCommuneText(raw)).toBe(expected)
  })
  it('takes a number that lost its leading zero', () => {
    expect(normalizeCommuneText(9922)).toBe('09922')
  })
})

describe('legal areas', () => {
  const value = (raw: string | number, mark: '.' | ',' | null = null) => {
    const r = readArea(raw, mark)
    return r.ok ? r.value : 'unreadable'
  }
  it.each([
    ['1234.5', 1234.5], ['1234,5', 1234.5], ['1.234,5', 1234.5], ['1,234.5', 1234.5], ['1 234,5', 1234.5],
    ['1.234.567,89', 1234567.89], ['1,234,567', 1234567], ['1694.0', 1694], ['0.125', 0.125], ['12345.678', 12345.678],
    ['250 m2', 250], ['250m²', 250], ['', null], [1694.5, 1694.5],
    ['12a', 'unreadable'], ['1.2.3,4,5', 'unreadable'], ['1,23.4', 'unreadable'], ['-5', 'unreadable'], ['abc', 'unreadable'], ['#VALUE!', 'unreadable'], ['1.', 'unreadable'],
  ] as const)('%j → %j', (raw, expected) => {
    expect(value(raw)).toBe(expected)
  })

  it('reads a lone separator before three digits as thousands, and says it was a guess', () => {
    expect(readArea('1.234')).toEqual({ ok: true, value: 1234, mark: null, ambiguous: true })
    expect(readArea('1,234')).toEqual({ ok: true, value: 1234, mark: null, ambiguous: true })
  })

  it('uses the decimal mark the file has shown for such values', () => {
    expect(readArea('1.234', '.')).toMatchObject({ value: 1.234, ambiguous: false })
    expect(readArea('1.234', ',')).toMatchObject({ value: 1234, ambiguous: false })
    expect(readArea('1,234', ',')).toMatchObject({ value: 1.234, ambiguous: false })
  })

  it('tells which decimal mark an unambiguous value shows', () => {
    expect(readArea('1694.5')).toMatchObject({ mark: '.' })
    expect(readArea('1.234,5')).toMatchObject({ mark: ',' })
    expect(readArea('1.234.567')).toMatchObject({ mark: ',' })
    expect(readArea('1694')).toMatchObject({ mark: null })
  })

  it('refuses areas the database column cannot hold', () => {
    expect(readArea('1000000000000').ok).toBe(false)
  })
})

describe('certificate serials', () => {
  it.each([
    ['CS 123456', 'CS 123456', true], ['cs123456', 'CS 123456', true], ['CS-123456', 'CS 123456', true], [' BA  084154 ', 'BA 084154', true],
    ['Số phát hành: CS 123456', 'CS 123456', true], ['AĐ 01234567', 'AĐ 01234567', true],
    ['', null, true], ['chưa cấp', 'chưa cấp', false],
  ] as const)('%j → %j', (raw, serial, recognised) => {
    expect(normalizeSerial(raw)).toEqual({ serial, recognised })
  })
})

describe('owners named in one cell', () => {
  it('splits couples and lists, keeps households and organisations whole', () => {
    expect(splitOwners('Trần Đình Tuấn và Vũ Thị Phương')).toEqual([{ name: 'Trần Đình Tuấn' }, { name: 'Vũ Thị Phương' }])
    expect(splitOwners('Nguyễn Văn A; Lê Thị B;')).toEqual([{ name: 'Nguyễn Văn A' }, { name: 'Lê Thị B' }])
    expect(splitOwners('Hộ ông Đinh Văn Plui')).toEqual([{ name: 'Hộ ông Đinh Văn Plui' }])
    expect(splitOwners('Công ty TNHH Xây dựng và Thương mại Gia Lai')).toEqual([{ name: 'Công ty TNHH Xây dựng và Thương mại Gia Lai' }])
    expect(splitOwners('Trương Văn Nam và Lê Thị Hoa')).toHaveLength(2)
    expect(splitOwners('UBND Xã Chư Mố')).toEqual([{ name: 'UBND Xã Chư Mố' }])
    expect(splitOwners(null)).toEqual([])
  })
})

describe('land-use codes', () => {
  it('splits compound codes and sets apart what is not a code', () => {
    expect(landUseCodes('ONT+CLN')).toEqual({ codes: ['ONT', 'CLN'], notCodes: [] })
    expect(landUseCodes('ont + cln + nts')).toEqual({ codes: ['ONT', 'CLN', 'NTS'], notCodes: [] })
    expect(landUseCodes('Đất ở tại nông thôn')).toEqual({ codes: [], notCodes: ['ĐẤT Ở TẠI NÔNG THÔN'] })
    expect(landUseCodes(null)).toEqual({ codes: [], notCodes: [] })
  })
})
