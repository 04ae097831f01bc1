/**
 * Field recognition: which DBF column holds the sheet number, the parcel number, ...
 * Contractors name them differently (DOMAIN.md lists the names seen in practice); matching is
 * case-insensitive and the first name of each list that is present wins.
 */
import { Invalid } from '../errors.js'

export const PARCEL_FIELDS = {
  commune: ['MAXA', 'MADVHC', 'XAID', 'MA_XA'],
  sheet: ['SHBANDO', 'SOTO', 'TOBANDO', 'SO_TO', 'SOHIEUTOBANDO'],
  parcel: ['SHTHUA', 'SOTHUTU', 'SOTHUA', 'SO_THUA', 'SOTHUTUTHUA'],
  area: ['DIENTICH', 'DT'],
  legalArea: ['DIENTICHPL', 'DIENTICHPHAPLY', 'DTPL'],
  landUse: ['KHLOAIDAT', 'LOAIDAT', 'MDSD', 'KYHIEUMUCDICHSUDUNG', 'MUCDICH', 'MLOAIDAT', 'MALOAIDAT'],
  owner: ['TENCHU', 'CHUSDD', 'HOTEN'],
  address: ['DIACHI'],
  placeName: ['DIADANH'],
} as const

export type ParcelField = keyof typeof PARCEL_FIELDS
export type FieldMapping = Partial<Record<ParcelField, string>>

const REQUIRED: ParcelField[] = ['sheet', 'parcel']

/**
 * Resolves each logical field to a column of `columns`. An explicit mapping wins over the
 * recognised names; a missing required field is an error that lists the columns found.
 */
export function resolveParcelFields(columns: string[], file: string, explicit: FieldMapping = {}): FieldMapping {
  const byUpper = new Map(columns.map((c) => [c.toUpperCase(), c]))
  const mapping: FieldMapping = {}
  for (const field of Object.keys(PARCEL_FIELDS) as ParcelField[]) {
    const wanted = explicit[field]
    if (wanted !== undefined) {
      const column = byUpper.get(wanted.toUpperCase())
      if (!column) throw new Invalid(`Tệp ${file}: không có trường "${wanted}" được chỉ định cho ${field} (mapped field not found). Các trường có: ${columns.join(', ')}.`, { file, field: wanted })
      mapping[field] = column
      continue
    }
    const found = PARCEL_FIELDS[field].map((name) => byUpper.get(name)).find((c) => c !== undefined)
    if (found) mapping[field] = found
  }
  const missing = REQUIRED.filter((f) => !mapping[f])
  if (missing.length > 0) {
    const names = missing.map((f) => `${f} (${PARCEL_FIELDS[f].join('/')})`).join(', ')
    throw new Invalid(`Tệp ${file}: thiếu trường bắt buộc ${names} (required field missing). Các trường có trong tệp: ${columns.join(', ') || '(không có)'}.`, { file, field: missing.join(',') })
  }
  return mapping
}
