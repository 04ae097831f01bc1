/**
 * What an export asks for (xuất dữ liệu): the commune, the format, what to export and the
 * selection, checked once for the HTTP route and the CLI alike. Parcels go to every format
 * (geometry formats with their map, CSV/XLSX as an attribute table); attribute records and
 * the discrepancy report are tables, so CSV or XLSX.
 */
import { z } from 'zod'
import { normalizeCommuneCode } from '../communes/index.js'
import { Invalid } from '../errors.js'
import { CATEGORIES } from '../matching/index.js'

export const FORMATS = ['geojson', 'shapefile', 'gpkg', 'csv', 'xlsx'] as const
export const SUBJECTS = ['parcels', 'records', 'discrepancies'] as const
export const STATUSES = ['imported', 'matched', 'needs_review', 'reconciled', 'signed', 'synced'] as const
export type ExportFormat = (typeof FORMATS)[number]
export type ExportSubject = (typeof SUBJECTS)[number]

/** Formats with geometry; they export parcels only. */
export const GEOMETRY_FORMATS: readonly ExportFormat[] = ['geojson', 'shapefile', 'gpkg']

export interface ExportRequest {
  commune: string
  format: ExportFormat
  what: ExportSubject
  sheets: string[] | null
  statuses: string[] | null
  categories: string[] | null
  /**
   * Coordinates: `native` is the commune's VN-2000 TM-3 zone (where legal areas are measured),
   * `wgs84` longitude/latitude. Default: wgs84 for GeoJSON (RFC 7946), native otherwise.
   */
  crs: 'native' | 'wgs84'
}

const listOf = <T extends string>(values: readonly T[] | null, name: string) =>
  z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined) return null
      const items = [...new Set(text.split(',').map((v) => v.trim()).filter((v) => v !== ''))]
      for (const item of items) {
        if (values && !values.includes(item as T)) {
          ctx.addIssue({ code: 'custom', message: `${name} "${item}" không có; chọn trong: ${values.join(', ')} (unknown ${name})` })
          return z.NEVER
        }
      }
      return items.length > 0 ? items : null
    })

const schema = z.object({
  format: z.enum(FORMATS, { message: `format phải là một trong: ${FORMATS.join(', ')} (unknown format)` }),
  what: z.enum(SUBJECTS, { message: `what phải là một trong: ${SUBJECTS.join(', ')} (unknown subject)` }).optional(),
  sheet: listOf(null, 'sheet'),
  status: listOf(STATUSES, 'status'),
  category: listOf(CATEGORIES, 'category'),
  crs: z.enum(['native', 'wgs84'], { message: 'crs phải là native (VN-2000 của xã) hoặc wgs84 (unknown crs)' }).optional(),
})

/** Parses the request (query string or CLI options); 400 naming the parameter when wrong. */
export function parseExportRequest(commune: string, input: Record<string, unknown>): ExportRequest {
  const parsed = schema.parse(input)
  const what = parsed.what ?? 'parcels'
  if (GEOMETRY_FORMATS.includes(parsed.format) && what !== 'parcels') {
    throw new Invalid(
      `Định dạng ${parsed.format} có bản đồ nên chỉ xuất thửa đất (what=parcels); hồ sơ và báo cáo sai lệch xuất ra csv hoặc xlsx (${what} export as csv or xlsx).`,
      { field: 'what' },
    )
  }
  if (parsed.status && what !== 'parcels' && what !== 'discrepancies') {
    throw new Invalid('Lọc theo trạng thái (status) chỉ dùng cho thửa đất và báo cáo sai lệch (status filters parcels).', { field: 'status' })
  }
  return {
    commune: normalizeCommuneCode(commune),
    format: parsed.format,
    what,
    sheets: parsed.sheet?.map(sheetKey) ?? null,
    statuses: parsed.status,
    categories: parsed.category,
    crs: parsed.crs ?? (parsed.format === 'geojson' ? 'wgs84' : 'native'),
  }
}

/** A sheet number as stored: "012" and "12.0" are sheet "12". */
function sheetKey(raw: string): string {
  return raw.normalize('NFC').trim().toLowerCase().replace(/^(\d+)\.0+$/, '$1').replace(/^0+(?=\d)/, '')
}

const EXTENSIONS: Record<ExportFormat, string> = { geojson: 'geojson', shapefile: 'zip', gpkg: 'gpkg', csv: 'csv', xlsx: 'xlsx' }
export const CONTENT_TYPES: Record<ExportFormat, string> = {
  geojson: 'application/geo+json',
  shapefile: 'application/zip',
  gpkg: 'application/geopackage+sqlite3',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
}

/** e.g. `landbook-43001-parcels.gpkg`; the layer inside is `parcels_43001`. */
export function exportFileName(request: ExportRequest): string {
  return `landbook-${request.commune}-${request.what}.${EXTENSIONS[request.format]}`
}

export const layerName = (request: ExportRequest) => `${request.what}_${request.commune}`
