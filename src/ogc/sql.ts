/**
 * SQL pieces the collections share: a WHERE clause built from conditions with bindings (never
 * from values), the keyset condition and order of a page, the geometry in the requested CRS as
 * GeoJSON text, and the bbox test that keeps the spatial index usable although each row
 * carries its own SRID.
 */
import type { Knex } from 'knex'
import type { OgcCrs } from './crs.js'
import type { Cursor } from './cursor.js'
import type { ItemsQuery } from './params.js'

export type Binding = Knex.RawBinding

export class Where {
  readonly parts: string[] = []
  readonly bindings: Binding[] = []

  add(sql: string, ...bindings: Binding[]): this {
    this.parts.push(sql)
    this.bindings.push(...bindings)
    return this
  }

  get sql(): string {
    return this.parts.length === 0 ? 'TRUE' : this.parts.join(' AND ')
  }
}

/** The keyset condition and ORDER BY of a page over `columns` (the primary key), and the limit + 1 row that says whether another page follows. */
export function keyset(where: Where, columns: string[], cursor: Cursor | null): { order: string; backwards: boolean } {
  const backwards = cursor?.direction === 'before'
  if (cursor) {
    const row = `(${columns.join(', ')})`
    const placeholders = `(${cursor.key.map(() => '?').join(', ')})`
    where.add(`${row} ${backwards ? '<' : '>'} ${placeholders}`, ...cursor.key)
  }
  return { order: columns.map((c) => `${c} ${backwards ? 'DESC' : 'ASC'}`).join(', '), backwards }
}

// Parameters passed to PostGIS functions carry a cast: ST_Transform(geometry, $1) is ambiguous
// (an integer and a text overload) when $1 has no type.

/** `geom` (stored in the SRID of column `srid`) as GeoJSON text in the output CRS, axis order and precision. */
export function geometryJson(geom: string, srid: string, crs: OgcCrs): { sql: string; bindings: Binding[] } {
  const transformed = `CASE WHEN ${srid} = ?::int THEN ${geom} ELSE ST_Transform(${geom}, ?::int) END`
  const oriented = crs.latLon ? `ST_FlipCoordinates(${transformed})` : transformed
  // Options 0: no "crs" member inside the geometry; the response's Content-Crs says it.
  return { sql: `ST_AsGeoJSON(${oriented}, ?::int, 0)`, bindings: [crs.srid, crs.srid, crs.decimals] }
}

/** Where geographic bboxes are cut before they are projected: around Việt Nam, inside every TM-3 zone's use. */
const REGION = { minX: 98, minY: 4, maxX: 118, maxY: 26 }

/**
 * Rows whose geometry intersects the bbox. The bbox is projected into each SRID the data is
 * stored in (one OR branch per SRID, each a constant the GiST index can use); its edges are
 * densified first so that they stay true lines after projection.
 */
export async function addBbox(knex: Knex, where: Where, bbox: NonNullable<ItemsQuery['bbox']>, geom: string, srid: string): Promise<void> {
  let { minX, minY, maxX, maxY } = bbox
  const geographic = bbox.crs.srid === 4326
  if (geographic) {
    ;[minX, minY, maxX, maxY] = [Math.max(minX, REGION.minX), Math.max(minY, REGION.minY), Math.min(maxX, REGION.maxX), Math.min(maxY, REGION.maxY)]
    if (minX > maxX || minY > maxY) {
      where.add('FALSE')
      return
    }
  }
  const srids: number[] = await knex('communes').distinct('srid').pluck('srid')
  if (srids.length === 0) {
    where.add('FALSE')
    return
  }
  const envelope = 'ST_Segmentize(ST_MakeEnvelope(?::float8, ?::float8, ?::float8, ?::float8, ?::int), ?::float8)'
  const envelopeBindings = [minX, minY, maxX, maxY, bbox.crs.srid, geographic ? 0.01 : 1000]
  const branches: string[] = []
  const bindings: Binding[] = []
  for (const s of srids) {
    const projected = s === bbox.crs.srid ? envelope : `ST_Transform(${envelope}, ?::int)`
    const projectedBindings = s === bbox.crs.srid ? envelopeBindings : [...envelopeBindings, s]
    branches.push(`(${srid} = ?::int AND ${geom} && ${projected} AND ST_Intersects(${geom}, ${projected}))`)
    bindings.push(s, ...projectedBindings, ...projectedBindings)
  }
  where.add(`(${branches.join(' OR ')})`, ...bindings)
}

/** updated_at within the datetime interval. */
export function addDatetime(where: Where, datetime: ItemsQuery['datetime'], column: string): void {
  if (!datetime) return
  if (datetime.start !== null) where.add(`${column} >= ?::timestamptz`, datetime.start)
  if (datetime.end !== null) where.add(`${column} <= ?::timestamptz`, datetime.end)
}
