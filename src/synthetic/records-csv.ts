/**
 * The attribute records (hồ sơ) of a commune as the registration office exports them: a
 * UTF-8 CSV with a byte-order mark (so Excel opens Vietnamese correctly) and headers as
 * clerks type them, in one of three spellings per commune.
 */
import { csvLine } from './csv.js'
import type { AttributeRecord, RecordsHeaderName } from './types.js'

/** Same column order in every variant: commune, sheet, parcel, owner, area, use, serial, book entry, address. */
export const RECORDS_HEADERS: Record<RecordsHeaderName, readonly string[]> = {
  vietnamese: ['Mã xã', 'Số tờ', 'Số thửa', 'Tên chủ sử dụng', 'Diện tích pháp lý', 'Mục đích sử dụng', 'Số phát hành GCN', 'Số vào sổ', 'Địa chỉ'],
  ascii: ['ma_xa', 'so_to', 'so_thua', 'ho_ten', 'dien_tich', 'loai_dat', 'so_seri', 'so_vao_so', 'dia_chi'],
  alternate: ['MÃ XÃ', 'Tờ bản đồ số', 'Thửa đất số', 'Họ tên', 'Diện tích', 'Loại đất', 'Số seri', 'Số vào sổ', 'Địa chỉ'],
}

const BOM = '\uFEFF'

/** Records sorted by sheet then parcel (stable), as a register export lists them. */
export function recordsCsv(communeCode: string, header: RecordsHeaderName, records: readonly AttributeRecord[]): string {
  const sorted = [...records].sort((a, b) => a.sheet - b.sheet || a.parcel - b.parcel)
  const lines = [BOM + csvLine(RECORDS_HEADERS[header])]
  for (const record of sorted) {
    lines.push(
      csvLine([
        communeCode, record.sheet, record.parcel, record.owner, record.legalArea.toFixed(1), record.landUse,
        record.serial, record.bookEntry, record.address,
      ]),
    )
  }
  return lines.join('')
}
