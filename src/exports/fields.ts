/**
 * The columns of each export, named as Vietnamese cadastral software names them, so files go
 * back into ViLIS/FAMIS-style workflows and into Landbook's own imports unchanged:
 * - parcels in map formats: the DBF field names of DOMAIN.md ("Files as they arrive"), at
 *   most 10 ASCII characters (dBASE), e.g. SHBANDO, SHTHUA, DIENTICH, DIENTICHPL, TENCHU;
 * - tables (CSV/XLSX): the Vietnamese headers the records import recognises (Mã xã, Số tờ,
 *   Số thửa, Tên chủ sử dụng, …), so an exported register can be imported again.
 */
import type { DbfField } from '../formats/index.js'
import type { ExportSubject } from './options.js'
import type { ParcelRow } from './source.js'

export interface ParcelField {
  name: string
  dbf: DbfField
  /** SQLite column type in a GeoPackage. */
  sqlite: 'TEXT' | 'REAL' | 'INTEGER'
  value(row: ParcelRow, commune: string): string | number | null
}

const text = (name: string, length: number): DbfField => ({ name, type: 'C', length })
const number = (name: string, length: number, decimals: number): DbfField => ({ name, type: 'N', length, decimals })
const round = (value: number, decimals: number) => Math.round(value * 10 ** decimals) / 10 ** decimals

/** Parcel attributes in map exports (GeoJSON, Shapefile, GeoPackage): the same names in all three. */
export const PARCEL_FIELDS: readonly ParcelField[] = [
  { name: 'THUAID', dbf: number('THUAID', 15, 0), sqlite: 'INTEGER', value: (r) => r.id },
  { name: 'XAID', dbf: text('XAID', 5), sqlite: 'TEXT', value: (_r, commune) => commune },
  { name: 'SHBANDO', dbf: text('SHBANDO', 20), sqlite: 'TEXT', value: (r) => r.sheet_number },
  { name: 'SHTHUA', dbf: text('SHTHUA', 20), sqlite: 'TEXT', value: (r) => r.parcel_number },
  { name: 'DIENTICH', dbf: number('DIENTICH', 14, 1), sqlite: 'REAL', value: (r) => round(r.area_m2, 1) },
  { name: 'DIENTICHPL', dbf: number('DIENTICHPL', 14, 2), sqlite: 'REAL', value: (r) => r.legal_area_m2 },
  { name: 'KHLOAIDAT', dbf: text('KHLOAIDAT', 50), sqlite: 'TEXT', value: (r) => r.land_use_codes.join('+') || null },
  { name: 'TENCHU', dbf: text('TENCHU', 254), sqlite: 'TEXT', value: (r) => r.owner_name },
  { name: 'DIACHI', dbf: text('DIACHI', 254), sqlite: 'TEXT', value: (r) => r.address },
  { name: 'DIADANH', dbf: text('DIADANH', 254), sqlite: 'TEXT', value: (r) => r.place_name },
  // Landbook's own facts, in the same style: trạng thái (status), sai lệch (discrepancy category).
  { name: 'TRANGTHAI', dbf: text('TRANGTHAI', 16), sqlite: 'TEXT', value: (r) => r.status },
  { name: 'SAILECH', dbf: text('SAILECH', 20), sqlite: 'TEXT', value: (r) => r.category },
]

export interface TableColumn {
  header: string
  /** Column width in XLSX, characters. */
  width: number
  numeric?: boolean
  value(row: Record<string, any>): string | number | boolean | null
}

const CATEGORY_LABELS: Record<string, string> = {
  matched: 'Khớp',
  area_mismatch: 'Lệch diện tích',
  landuse_mismatch: 'Lệch loại đất',
  spatial_only: 'Chỉ có trên bản đồ',
  record_only: 'Chỉ có hồ sơ',
  duplicate_key: 'Trùng số hiệu thửa',
}

const codes = (value: string[] | null) => (value && value.length > 0 ? value.join('+') : null)
const detail = (row: Record<string, any>, key: string) => (row.details?.[key] ?? null) as number | string | null

export const TABLE_COLUMNS: Record<ExportSubject, readonly TableColumn[]> = {
  parcels: [
    { header: 'Mã xã', width: 8, value: (r) => r.commune_code ?? null },
    { header: 'Số tờ', width: 8, value: (r) => r.sheet_number },
    { header: 'Số thửa', width: 8, value: (r) => r.parcel_number },
    { header: 'Diện tích bản đồ (m²)', width: 14, numeric: true, value: (r) => round(r.area_m2, 1) },
    { header: 'Diện tích pháp lý (m²)', width: 14, numeric: true, value: (r) => r.legal_area_m2 },
    { header: 'Loại đất', width: 12, value: (r) => codes(r.land_use_codes) },
    { header: 'Tên chủ sử dụng', width: 30, value: (r) => r.owner_name },
    { header: 'Địa chỉ', width: 40, value: (r) => r.address },
    { header: 'Địa danh', width: 20, value: (r) => r.place_name },
    { header: 'Trạng thái', width: 14, value: (r) => r.status },
    { header: 'Loại sai lệch', width: 18, value: (r) => r.category },
    { header: 'Mã thửa Landbook', width: 12, numeric: true, value: (r) => r.id },
  ],
  records: [
    { header: 'Mã xã', width: 8, value: (r) => r.commune_code },
    { header: 'Số tờ', width: 8, value: (r) => r.sheet_number },
    { header: 'Số thửa', width: 8, value: (r) => r.parcel_number },
    { header: 'Tên chủ sử dụng', width: 30, value: (r) => r.owner_name },
    { header: 'Số phát hành GCN', width: 14, value: (r) => r.certificate_serial },
    { header: 'Số vào sổ', width: 12, value: (r) => r.book_entry_number },
    // No unit in this header: the records import recognises "Diện tích pháp lý" as it is.
    { header: 'Diện tích pháp lý', width: 14, numeric: true, value: (r) => r.legal_area_m2 },
    { header: 'Mục đích sử dụng', width: 12, value: (r) => codes(r.land_use_codes) },
    { header: 'Địa chỉ', width: 40, value: (r) => r.address },
    { header: 'Loại sai lệch', width: 18, value: (r) => r.category },
    { header: 'Mã hồ sơ Landbook', width: 12, numeric: true, value: (r) => r.id },
  ],
  discrepancies: [
    { header: 'Loại sai lệch', width: 18, value: (r) => r.category },
    { header: 'Mô tả', width: 20, value: (r) => CATEGORY_LABELS[r.category] ?? r.category },
    { header: 'Đã xử lý', width: 9, value: (r) => (r.decided ? 'Có' : 'Chưa') },
    { header: 'Số tờ', width: 8, value: (r) => r.sheet_number },
    { header: 'Số thửa', width: 8, value: (r) => r.parcel_number },
    { header: 'Diện tích bản đồ (m²)', width: 14, numeric: true, value: (r) => (r.area_m2 === null ? null : round(r.area_m2, 2)) },
    { header: 'Diện tích pháp lý (m²)', width: 14, numeric: true, value: (r) => r.legal_area_m2 },
    { header: 'Chênh lệch (m²)', width: 12, numeric: true, value: (r) => detail(r, 'difference_m2') },
    { header: 'Sai số cho phép (m²)', width: 12, numeric: true, value: (r) => detail(r, 'tolerance_m2') },
    { header: 'Quy tắc sai số', width: 20, value: (r) => detail(r, 'rule') },
    { header: 'Loại đất bản đồ', width: 12, value: (r) => codes(r.parcel_land_use) },
    { header: 'Loại đất hồ sơ', width: 12, value: (r) => codes(r.record_land_use) },
    { header: 'Tên chủ sử dụng', width: 30, value: (r) => r.owner_name },
    { header: 'Số phát hành GCN', width: 14, value: (r) => r.certificate_serial },
    { header: 'Trạng thái thửa', width: 14, value: (r) => r.status },
    { header: 'Mã thửa Landbook', width: 12, numeric: true, value: (r) => r.parcel_id },
    { header: 'Mã hồ sơ Landbook', width: 12, numeric: true, value: (r) => r.record_id },
  ],
}
