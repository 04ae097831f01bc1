/**
 * Column recognition for attribute spreadsheets (bảng hồ sơ): which column holds the commune
 * code (mã xã), the sheet (số tờ), the parcel (số thửa), and so on. Clerks write the headers
 * with or without accents, in any case, with spaces or underscores ("Mã xã", "ma_xa", "MAXA"),
 * so headers are compared after folding all of that away. The first name of a field's list
 * found in the file wins; an explicit mapping from the user wins over recognition.
 */
import { Invalid } from '../../errors.js'

/** Folded names (see `foldHeader`) seen in practice, most specific first. */
export const RECORD_FIELDS = {
  commune: ['maxa', 'madvhc', 'xaid', 'maxaphuong', 'madonvihanhchinh'],
  sheet: ['soto', 'tobandoso', 'sotobando', 'sohieutobando', 'sohieuto', 'shbando', 'tobando', 'sotobd', 'tobdso', 'toso', 'to'],
  parcel: ['sothua', 'thuadatso', 'sothuadat', 'shthua', 'sothututhua', 'thuaso', 'thua'],
  owner: ['tenchusudung', 'hotenchusudung', 'tenchusudungdat', 'tennguoisudung', 'nguoisudung', 'chusudung', 'hoten', 'tenchu', 'chusdd'],
  legalArea: ['dientichphaply', 'dientichpl', 'dtpl', 'dientich', 'dientichm2', 'dt'],
  landUse: ['mucdichsudung', 'mucdichsd', 'loaidat', 'mdsd', 'kyhieumucdichsudung', 'khloaidat', 'maloaidat', 'mucdich'],
  serial: ['sophathanhgcn', 'sophathanhgiaychungnhan', 'soseri', 'soserigcn', 'sophathanh', 'seri'],
  bookEntry: ['sovaoso', 'sovaosocapgcn', 'sovaosogcn', 'sovaosocapgiaychungnhan'],
  address: ['diachi', 'diachichusudung', 'diachithuongtru', 'diachithuadat'],
  // Coordinates of the parcel, when the register carries them (see location.ts).
  x: ['toadox', 'x', 'xvn2000', 'toadoxvn2000'],
  y: ['toadoy', 'y', 'yvn2000', 'toadoyvn2000'],
  longitude: ['kinhdo', 'longitude', 'lon', 'lng'],
  latitude: ['vido', 'latitude', 'lat'],
} as const

export type RecordField = keyof typeof RECORD_FIELDS
export const RECORD_FIELD_NAMES = Object.keys(RECORD_FIELDS) as RecordField[]

/** What the user may pass: field → header as written in the file. */
export type RecordsMapping = Partial<Record<RecordField, string>>

/** The columns used: field → 0-based column index, with the header shown in the report. */
export interface ResolvedColumns {
  index: Partial<Record<RecordField, number>>
  /** field → header, as the job report shows it. */
  mapping: RecordsMapping
  /** Fields the user mapped (the rest were recognised). */
  explicit: RecordField[]
  /** Headers no field uses: their cells go to `attributes`. */
  unmapped: string[]
}

/** "Mã xã" → "maxa", "SỐ_TỜ" → "soto", "Diện tích (m²)" → "dientichm2". */
export function foldHeader(header: string): string {
  return header
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
}

/** Header cells as names: blanks become "Cột N", repeats get " (2)", " (3)". */
export function uniqueHeaders(cells: ReadonlyArray<string>): string[] {
  const seen = new Map<string, number>()
  return cells.map((cell, i) => {
    const name = cell.normalize('NFC').trim().replace(/\s+/g, ' ') || `Cột ${i + 1}`
    const n = (seen.get(name) ?? 0) + 1
    seen.set(name, n)
    return n === 1 ? name : `${name} (${n})`
  })
}

/**
 * The columns of each field. Required: sheet and parcel, and the commune unless the user
 * chose it. A missing one, or a mapped header not in the file, is `Invalid` listing the
 * headers found.
 */
export function resolveRecordColumns(headers: string[], file: string, options: { mapping?: RecordsMapping; communeGiven?: boolean } = {}): ResolvedColumns {
  const explicit = options.mapping ?? {}
  const found = headers.length > 0 ? headers.join(', ') : '(không có)'
  const unknown = Object.keys(explicit).filter((key) => !(RECORD_FIELD_NAMES as string[]).includes(key))
  if (unknown.length > 0) {
    throw new Invalid(`Ánh xạ cột có tên trường không biết: ${unknown.join(', ')}; các trường là ${RECORD_FIELD_NAMES.join(', ')} (unknown field in mapping).`, { file, field: unknown.join(',') })
  }
  const folded = headers.map(foldHeader)
  const used = new Set<number>()
  const index: ResolvedColumns['index'] = {}
  for (const field of RECORD_FIELD_NAMES) {
    const wanted = explicit[field]
    if (wanted === undefined) continue
    let at = headers.indexOf(wanted.normalize('NFC').trim())
    if (at < 0) at = folded.indexOf(foldHeader(wanted))
    if (at < 0) throw new Invalid(`Tệp ${file}: không có cột "${wanted}" được chỉ định cho ${field} (mapped column not found). Các cột có trong tệp: ${found}.`, { file, field: wanted })
    index[field] = at
    used.add(at)
  }
  for (const field of RECORD_FIELD_NAMES) {
    if (index[field] !== undefined) continue
    for (const name of RECORD_FIELDS[field]) {
      const at = folded.findIndex((f, i) => f === name && !used.has(i))
      if (at >= 0) {
        index[field] = at
        used.add(at)
        break
      }
    }
  }
  const required: RecordField[] = options.communeGiven ? ['sheet', 'parcel'] : ['commune', 'sheet', 'parcel']
  const missing = required.filter((field) => index[field] === undefined)
  if (missing.length > 0) {
    const names = missing.map((f) => `${FIELD_WORDS[f]} (${f})`).join(', ')
    const hint = missing.includes('commune') ? '; nếu tệp không có cột mã xã, hãy chọn xã khi nhập' : ''
    throw new Invalid(`Tệp ${file}: không tìm thấy cột ${names}${hint} (required column missing). Các cột có trong tệp: ${found}.`, { file, field: missing.join(',') })
  }
  const mapping: RecordsMapping = {}
  for (const field of RECORD_FIELD_NAMES) if (index[field] !== undefined) mapping[field] = headers[index[field]!]
  return {
    index,
    mapping,
    explicit: RECORD_FIELD_NAMES.filter((f) => explicit[f] !== undefined),
    unmapped: headers.filter((_, i) => !used.has(i)),
  }
}

/** How a field is named to the clerk. */
export const FIELD_WORDS: Record<RecordField, string> = {
  commune: 'Mã xã',
  sheet: 'Số tờ',
  parcel: 'Số thửa',
  owner: 'Tên chủ sử dụng',
  legalArea: 'Diện tích pháp lý',
  landUse: 'Mục đích sử dụng',
  serial: 'Số phát hành GCN',
  bookEntry: 'Số vào sổ',
  address: 'Địa chỉ',
  x: 'Tọa độ X',
  y: 'Tọa độ Y',
  longitude: 'Kinh độ',
  latitude: 'Vĩ độ',
}
