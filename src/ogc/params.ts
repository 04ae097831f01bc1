/**
 * The query parameters of `/ogc/collections/{id}/items`, checked as OGC API – Features asks:
 * an unknown parameter, a limit over the maximum, a bbox of the wrong length or out of order,
 * an unknown CRS or a bad datetime is a 400 that names the parameter.
 */
import type { Knex } from 'knex'
import { normalizeCommuneCode } from '../communes/index.js'
import { Invalid } from '../errors.js'
import { CATEGORIES } from '../matching/index.js'
import type { CollectionDef } from './collection.js'
import { resolveCrs, type OgcCrs } from './crs.js'
import { decodeCursor, type Cursor } from './cursor.js'

export const DEFAULT_LIMIT = 100
export const MAX_LIMIT = 10_000
export const PARCEL_STATUSES = ['imported', 'matched', 'needs_review', 'reconciled', 'signed', 'synced'] as const

export interface ItemsQuery {
  limit: number
  cursor: Cursor | null
  crs: OgcCrs
  bbox: { minX: number; minY: number; maxX: number; maxY: number; crs: OgcCrs } | null
  /** updated_at within [start, end]; null ends are open. */
  datetime: { start: string | null; end: string | null } | null
  communes: string[] | null
  sheets: string[] | null
  statuses: string[] | null
  categories: string[] | null
}

type Query = Record<string, unknown>

/** Parses the items parameters of one collection; 400 on anything the collection does not take. */
export async function parseItemsQuery(knex: Knex, collection: CollectionDef, query: Query): Promise<ItemsQuery> {
  const allowed = new Set(['f', 'limit', 'cursor', ...collection.parameters])
  for (const name of Object.keys(query)) {
    if (!allowed.has(name)) {
      throw new Invalid(
        `Tham số "${name}" không dùng được với tập ${collection.id}; các tham số là: ${[...allowed].join(', ')} (unknown query parameter).`,
        { field: name },
      )
    }
  }
  const format = single(query, 'f')
  if (format !== undefined && !['json', 'geojson'].includes(format)) {
    throw new Invalid(`Định dạng f=${format} không có; chỉ có f=json (GeoJSON) (unsupported format).`, { field: 'f' })
  }
  return {
    limit: parseLimit(single(query, 'limit')),
    cursor: decodeCursor(single(query, 'cursor')),
    crs: await resolveCrs(knex, single(query, 'crs'), 'crs'),
    bbox: await parseBbox(knex, single(query, 'bbox'), single(query, 'bbox-crs')),
    datetime: parseDatetime(single(query, 'datetime')),
    communes: list(query, 'commune', (v) => normalizeCommuneCode(v)),
    sheets: list(query, 'sheet', sheetKey),
    statuses: list(query, 'status', (v) => oneOf(v, PARCEL_STATUSES, 'status')),
    categories: list(query, 'category', (v) => oneOf(v, CATEGORIES, 'category')),
  }
}

/** A parameter given once (Express gives an array for `?a=1&a=2`). */
export function single(query: Query, name: string): string | undefined {
  const value = query[name]
  if (value === undefined) return undefined
  if (typeof value !== 'string') throw new Invalid(`Tham số ${name} chỉ được có một giá trị (${name} given more than once).`, { field: name })
  return value
}

function parseLimit(value: string | undefined): number {
  if (value === undefined) return DEFAULT_LIMIT
  if (!/^\d+$/.test(value.trim())) throw new Invalid(`limit phải là số nguyên từ 1 đến ${MAX_LIMIT}, không phải "${value}" (limit must be an integer).`, { field: 'limit' })
  const limit = Number(value)
  if (limit < 1 || limit > MAX_LIMIT) {
    throw new Invalid(`limit=${value} vượt giới hạn: từ 1 đến ${MAX_LIMIT} đối tượng mỗi trang (limit must be 1–${MAX_LIMIT}).`, { field: 'limit' }, { maximum: MAX_LIMIT })
  }
  return limit
}

async function parseBbox(knex: Knex, value: string | undefined, crsValue: string | undefined): Promise<ItemsQuery['bbox']> {
  if (value === undefined) {
    if (crsValue !== undefined) throw new Invalid('bbox-crs chỉ dùng kèm bbox (bbox-crs without bbox).', { field: 'bbox-crs' })
    return null
  }
  const parts = value.split(',').map((p) => p.trim())
  const numbers = parts.map(Number)
  if ((parts.length !== 4 && parts.length !== 6) || parts.some((p) => p === '') || numbers.some((n) => !Number.isFinite(n))) {
    throw new Invalid(`bbox cần 4 số (minx,miny,maxx,maxy) hoặc 6 số có độ cao, ngăn bằng dấu phẩy; nhận được "${value}" (bbox must be 4 or 6 numbers).`, { field: 'bbox' })
  }
  const crs = await resolveCrs(knex, crsValue, 'bbox-crs')
  // Six numbers carry heights (minz after the lower corner); parcels are 2D, so heights are dropped.
  const [a, b, c, d] = parts.length === 6 ? [numbers[0]!, numbers[1]!, numbers[3]!, numbers[4]!] : (numbers as [number, number, number, number])
  // EPSG:4326 is latitude first: its bbox reads lat,lon,lat,lon.
  const [minX, minY, maxX, maxY] = crs.latLon ? [b, a, d, c] : [a, b, c, d]
  if (minX > maxX || minY > maxY) {
    throw new Invalid(`bbox sai thứ tự: góc dưới trái phải nhỏ hơn góc trên phải (${value}) (bbox lower corner must not exceed the upper corner).`, { field: 'bbox' })
  }
  if (crs.srid === 4326 && (minX < -180 || maxX > 180 || minY < -90 || maxY > 90)) {
    throw new Invalid(`bbox ngoài phạm vi kinh độ ±180, vĩ độ ±90 (${value}) (bbox outside longitude/latitude range).`, { field: 'bbox' })
  }
  return { minX, minY, maxX, maxY, crs }
}

const INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))?$/i

/** RFC 3339 instant or interval `start/end` with `..` (or nothing) for an open end. */
function parseDatetime(value: string | undefined): ItemsQuery['datetime'] {
  if (value === undefined) return null
  const ends = value.split('/')
  const bad = () =>
    new Invalid(`datetime "${value}" không hợp lệ: dùng thời điểm RFC 3339 (2026-01-31T00:00:00Z) hoặc khoảng "bắt đầu/kết thúc", ".." cho đầu mở (invalid datetime).`, { field: 'datetime' })
  if (ends.length > 2) throw bad()
  const parsed = ends.map((end) => {
    if (end === '..' || (end === '' && ends.length === 2)) return null
    if (!INSTANT.test(end) || Number.isNaN(Date.parse(end))) throw bad()
    return new Date(end).toISOString()
  })
  if (ends.length === 1) {
    // A date alone covers that whole day; a full instant is matched exactly.
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return { start: parsed[0]!, end: new Date(Date.parse(value) + 86_399_999).toISOString() }
    return { start: parsed[0]!, end: parsed[0]! }
  }
  const [start, end] = parsed as [string | null, string | null]
  if (start === null && end === null) throw bad()
  if (start !== null && end !== null && start > end) throw bad()
  return { start, end }
}

/** A sheet number as the import stores it: "012" and "12.0" are sheet "12", "12A" is "12a". */
export function sheetKey(raw: string): string {
  return raw.normalize('NFC').trim().toLowerCase().replace(/^(\d+)\.0+$/, '$1').replace(/^0+(?=\d)/, '')
}

/** A comma-separated list parameter, each value checked; null when absent. */
function list(query: Query, name: string, check: (value: string) => string): string[] | null {
  const value = single(query, name)
  if (value === undefined) return null
  const values = value.split(',').map((v) => v.trim()).filter((v) => v !== '')
  if (values.length === 0) throw new Invalid(`Tham số ${name} trống (${name} is empty).`, { field: name })
  return [...new Set(values.map(check))]
}

function oneOf(value: string, allowed: readonly string[], name: string): string {
  if (!allowed.includes(value)) throw new Invalid(`${name}="${value}" không có; chọn một trong: ${allowed.join(', ')} (unknown ${name}).`, { field: name })
  return value
}
