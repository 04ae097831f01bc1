/** Column recognition of attribute spreadsheets: the header spellings used in practice, overrides, and refusals. */
import { describe, expect, it } from 'vitest'
import { Invalid } from '../../../src/errors.js'
import { foldHeader, resolveRecordColumns, uniqueHeaders } from '../../../src/imports/records/headers.js'
import { RECORDS_HEADERS } from '../../../src/synthetic/records-csv.js'

const ALL_FIELDS = { commune: 0, sheet: 1, parcel: 2, owner: 3, legalArea: 4, landUse: 5, serial: 6, bookEntry: 7, address: 8 }

describe('header folding', () => {
  it.each([
    ['Mã xã', 'maxa'], ['ma_xa', 'maxa'], ['MAXA', 'maxa'], ['MÃ XÃ', 'maxa'], ['Số tờ', 'soto'], ['Tờ bản đồ số', 'tobandoso'],
    ['Diện tích (m²)', 'dientichm2'], ['Số phát hành GCN', 'sophathanhgcn'], ['  Địa   chỉ ', 'diachi'],
  ])('%j → %j', (header, folded) => {
    expect(foldHeader(header)).toBe(folded)
  })
})

describe('recognised columns', () => {
  it.each(Object.entries(RECORDS_HEADERS))('the %s headers of the register exports', (_style, headers) => {
    expect(resolveRecordColumns([...headers], 'x.csv').index).toEqual(ALL_FIELDS)
  })

  it('recognises DBF-style names and prefers the legal area over the plain area', () => {
    const columns = resolveRecordColumns(['MAXA', 'SHBANDO', 'SHTHUA', 'DIENTICH', 'DIENTICHPL', 'TENCHU', 'GHICHU'], 'x.csv')
    expect(columns.mapping).toEqual({ commune: 'MAXA', sheet: 'SHBANDO', parcel: 'SHTHUA', legalArea: 'DIENTICHPL', owner: 'TENCHU' })
    expect(columns.unmapped).toEqual(['DIENTICH', 'GHICHU'])
  })

  it('lets an explicit mapping win, matched with or without accents', () => {
    const columns = resolveRecordColumns(['Mã xã', 'Tờ', 'Thửa', 'Chủ', 'Số tờ cũ'], 'x.csv', { mapping: { sheet: 'to', owner: 'Chủ' } })
    expect(columns.mapping).toMatchObject({ commune: 'Mã xã', sheet: 'Tờ', parcel: 'Thửa', owner: 'Chủ' })
    expect(columns.explicit).toEqual(['sheet', 'owner'])
    expect(columns.unmapped).toEqual(['Số tờ cũ'])
  })

  it('needs no commune column when the commune is chosen', () => {
    expect(() => resolveRecordColumns(['Số tờ', 'Số thửa'], 'x.csv')).toThrow(Invalid)
    expect(resolveRecordColumns(['Số tờ', 'Số thửa'], 'x.csv', { communeGiven: true }).index).toEqual({ sheet: 0, parcel: 1 })
  })

  it('refuses a file without a key column, listing the headers it has', () => {
    let error: unknown
    try {
      resolveRecordColumns(['Mã xã', 'Số tờ', 'Họ tên'], 'so-dia-chinh.csv')
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(Invalid)
    expect((error as Invalid).message).toContain('Số thửa')
    expect((error as Invalid).message).toContain('Các cột có trong tệp: Mã xã, Số tờ, Họ tên')
    expect((error as Invalid).location).toMatchObject({ file: 'so-dia-chinh.csv', field: 'parcel' })
  })

  it('refuses a mapping to a header the file does not have, or to an unknown field', () => {
    expect(() => resolveRecordColumns(['Mã xã', 'Số tờ', 'Số thửa'], 'x.csv', { mapping: { owner: 'Chủ hộ' } })).toThrow(/Chủ hộ/)
    expect(() => resolveRecordColumns(['Mã xã', 'Số tờ', 'Số thửa'], 'x.csv', { mapping: { chu: 'Số tờ' } as never })).toThrow(/chu/)
  })
})

describe('header names', () => {
  it('names blank headers by position and numbers repeats', () => {
    expect(uniqueHeaders(['Số tờ', '', 'Ghi chú', 'Ghi chú'])).toEqual(['Số tờ', 'Cột 2', 'Ghi chú', 'Ghi chú (2)'])
  })
})
