/**
 * Reading what is exported, batch by batch: a commune's parcels (with geometry in the asked
 * CRS, as GeoJSON text or as WKB with its envelope), its attribute records, and its
 * discrepancy report. Each batch is one keyset query on the primary key, so memory stays
 * bounded whatever the commune's size and no cursor holds a database session between batches.
 */
import type { Knex } from 'knex'
import { NotFound } from '../errors.js'
import type { ExportRequest } from './options.js'

const BATCH = 2_000

export interface CommuneInfo {
  code: string
  name: string
  /** The commune's VN-2000 TM-3 zone. */
  srid: number
  centralMeridian: number | null
}

/** The commune, or NotFound. */
export async function communeInfo(knex: Knex, code: string): Promise<CommuneInfo> {
  const row = await knex('communes as c').leftJoin('crs_zones as z', 'z.srid', 'c.srid').where('c.code', code).first('c.code', 'c.name', 'c.srid', 'z.central_meridian')
  if (!row) throw new NotFound(`Không có xã mã ${code} (no commune with this code).`, { field: 'code' })
  return { code: row.code, name: row.name, srid: row.srid, centralMeridian: row.central_meridian }
}

/** The SRID the export's coordinates are in. */
export const outputSrid = (request: ExportRequest, commune: CommuneInfo) => (request.crs === 'wgs84' ? 4326 : commune.srid)

export interface ParcelRow {
  id: number
  sheet_number: string
  parcel_number: string
  area_m2: number
  legal_area_m2: number | null
  land_use_codes: string[]
  owner_name: string | null
  address: string | null
  place_name: string | null
  status: string
  category: string | null
  /** GeoJSON text (geometry: 'geojson'). */
  geojson?: string
  /** Little-endian WKB and envelope (geometry: 'wkb'). */
  wkb?: Buffer
  minx?: number
  maxx?: number
  miny?: number
  maxy?: number
}

/** The selection's conditions on parcels `p` (sheet, status, category). */
function parcelFilters(request: ExportRequest): { sql: string; bindings: Knex.RawBinding[] } {
  const parts = ['p.commune_code = ?']
  const bindings: Knex.RawBinding[] = [request.commune]
  if (request.sheets) parts.push('p.sheet_number = ANY(?::text[])'), bindings.push(request.sheets)
  if (request.statuses) parts.push('p.status = ANY(?::text[])'), bindings.push(request.statuses)
  if (request.categories) {
    parts.push('EXISTS (SELECT 1 FROM matches m WHERE m.commune_code = p.commune_code AND m.parcel_id = p.id AND m.category = ANY(?::text[]))')
    bindings.push(request.categories)
  }
  return { sql: parts.join(' AND '), bindings }
}

/** The commune's selected parcels in id order, in batches; geometry in `srid`, coordinates rounded to `decimals`. */
export async function* parcelBatches(knex: Knex, request: ExportRequest, srid: number, geometry: 'geojson' | 'wkb' | 'none'): AsyncGenerator<ParcelRow[]> {
  const filters = parcelFilters(request)
  const decimals = srid === 4326 ? 8 : 3
  const shape = {
    geojson: `ST_AsGeoJSON(g, ${decimals}, 0) AS geojson`,
    wkb: `ST_AsBinary(g, 'NDR') AS wkb, ST_XMin(g) AS minx, ST_XMax(g) AS maxx, ST_YMin(g) AS miny, ST_YMax(g) AS maxy`,
    none: 'NULL AS no_geometry',
  }[geometry]
  let after = 0
  for (;;) {
    // The parcels of the batch first (primary-key range), then their geometry and category.
    const { rows } = await knex.raw<{ rows: ParcelRow[] }>(
      `SELECT s.*, ${shape},
              (SELECT m.category FROM matches m WHERE m.commune_code = ? AND m.parcel_id = s.id ORDER BY m.category = 'matched', m.id LIMIT 1) AS category
       FROM (SELECT p.id, p.sheet_number, p.parcel_number, p.area_m2, p.legal_area_m2, p.land_use_codes, p.owner_name, p.address,
                    p.place_name, p.status, CASE WHEN p.srid = ?::int THEN p.geom ELSE ST_Transform(p.geom, ?::int) END AS g
             FROM parcels p WHERE ${filters.sql} AND p.id > ? ORDER BY p.id LIMIT ?::int) s
       ORDER BY s.id`,
      [request.commune, srid, srid, ...filters.bindings, after, BATCH],
    )
    if (rows.length === 0) return
    for (const row of rows) delete (row as { g?: unknown; no_geometry?: unknown }).g, delete (row as { no_geometry?: unknown }).no_geometry
    yield rows
    if (rows.length < BATCH) return
    after = rows[rows.length - 1]!.id
  }
}

/** The count of selected parcels (the files report it; tests compare it). */
export async function countParcels(knex: Knex, request: ExportRequest): Promise<number> {
  const filters = parcelFilters(request)
  const { rows } = await knex.raw(`SELECT count(*) AS n FROM parcels p WHERE ${filters.sql}`, filters.bindings)
  return Number(rows[0].n)
}

/** Rows of a table export (records, discrepancies, or parcel attributes), in key order, in batches. */
export async function* tableBatches(knex: Knex, request: ExportRequest): AsyncGenerator<Array<Record<string, any>>> {
  if (request.what === 'parcels') {
    for await (const rows of parcelBatches(knex, request, 4326, 'none')) yield rows.map((row) => ({ ...row, commune_code: request.commune }))
    return
  }
  let after = 0
  for (;;) {
    const { rows } = request.what === 'records' ? await recordsBatch(knex, request, after) : await discrepanciesBatch(knex, request, after)
    if (rows.length === 0) return
    yield rows
    if (rows.length < BATCH) return
    after = Number(rows[rows.length - 1].id)
  }
}

function recordsBatch(knex: Knex, request: ExportRequest, after: number) {
  const parts = ['r.commune_code = ?', 'r.id > ?']
  const bindings: Knex.RawBinding[] = [request.commune, after]
  if (request.sheets) parts.push('r.sheet_number = ANY(?::text[])'), bindings.push(request.sheets)
  if (request.categories) {
    parts.push('EXISTS (SELECT 1 FROM matches m WHERE m.commune_code = r.commune_code AND m.record_id = r.id AND m.category = ANY(?::text[]))')
    bindings.push(request.categories)
  }
  return knex.raw(
    `SELECT r.id, r.commune_code, r.sheet_number, r.parcel_number, r.owner_name, r.certificate_serial, r.book_entry_number,
            r.legal_area_m2, r.land_use_codes, r.address,
            (SELECT m.category FROM matches m WHERE m.commune_code = r.commune_code AND m.record_id = r.id
             ORDER BY m.category = 'matched', m.id LIMIT 1) AS category
     FROM attribute_records r WHERE ${parts.join(' AND ')} ORDER BY r.id LIMIT ?`,
    [...bindings, BATCH],
  )
}

/** The discrepancy report: every link of the commune but `matched` unless categories are named. */
function discrepanciesBatch(knex: Knex, request: ExportRequest, after: number) {
  const parts = ['m.commune_code = ?', 'm.id > ?']
  const bindings: Knex.RawBinding[] = [request.commune, after]
  if (request.categories) parts.push('m.category = ANY(?::text[])'), bindings.push(request.categories)
  else parts.push(`m.category <> 'matched'`)
  if (request.sheets) parts.push('COALESCE(p.sheet_number, r.sheet_number) = ANY(?::text[])'), bindings.push(request.sheets)
  if (request.statuses) parts.push('p.status = ANY(?::text[])'), bindings.push(request.statuses)
  return knex.raw(
    `SELECT m.id, m.category, m.decided, m.details, p.id AS parcel_id, r.id AS record_id,
            COALESCE(p.sheet_number, r.sheet_number) AS sheet_number, COALESCE(p.parcel_number, r.parcel_number) AS parcel_number,
            p.area_m2, r.legal_area_m2, p.land_use_codes AS parcel_land_use, r.land_use_codes AS record_land_use,
            COALESCE(r.owner_name, p.owner_name) AS owner_name, r.certificate_serial, p.status
     FROM matches m
     LEFT JOIN parcels p ON p.commune_code = m.commune_code AND p.id = m.parcel_id
     LEFT JOIN attribute_records r ON r.commune_code = m.commune_code AND r.id = m.record_id
     WHERE ${parts.join(' AND ')} ORDER BY m.id LIMIT ?`,
    [...bindings, BATCH],
  )
}
