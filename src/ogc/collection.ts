/**
 * What a collection of the OGC API is (tập dữ liệu): its metadata, the query parameters it
 * takes beyond limit/cursor, its properties (for the OpenAPI document), and the three reads
 * the routes need: a page of features, the count of all that match, one feature by id.
 * Each collection lives in its own module (`*-features.ts`); `collections.ts` lists them.
 */
import type { Knex } from 'knex'
import type { OgcCrs } from './crs.js'
import type { Cursor } from './cursor.js'
import type { ItemsQuery } from './params.js'

/** The communes a reader may see: null for every commune (admin, manager). */
export interface Scope {
  visible: string[] | null
}

export interface FeatureRow {
  id: string
  key: Cursor['key']
  /** GeoJSON geometry text as PostGIS wrote it, or null. */
  geometry: string | null
  properties: Record<string, unknown>
}

export interface PropertyDef {
  type: 'string' | 'number' | 'integer'
  format?: 'date-time'
  title: string
}

export interface CollectionDef {
  id: string
  title: string
  description: string
  /** False for collections without geometry (attribute records): no bbox, crs or extent. */
  spatial: boolean
  /** Query parameters beyond f, limit and cursor. */
  parameters: readonly string[]
  /** Filters that are parameters, described for the OpenAPI document. */
  filters: Readonly<Record<string, string>>
  properties: Readonly<Record<string, PropertyDef>>
  /** Up to limit + 1 rows in the page's direction (the extra row tells that another page follows). */
  page(knex: Knex, query: ItemsQuery, scope: Scope): Promise<FeatureRow[]>
  count(knex: Knex, query: ItemsQuery, scope: Scope): Promise<number>
  /** One feature by its id; null when there is none (or the id is malformed). The commune of the id is checked by the caller. */
  one(knex: Knex, featureId: string, crs: OgcCrs): Promise<{ commune: string; feature: FeatureRow } | null>
  /** [minLon, minLat, maxLon, maxLat] of what the scope sees, or null. */
  extent?(knex: Knex, scope: Scope): Promise<[number, number, number, number] | null>
}

/** "43001-12345" → ["43001", 12345]; null when the id is not of that form. */
export function splitFeatureId(featureId: string): [string, number] | null {
  const match = /^(\d{5})-(\d{1,15})$/.exec(featureId)
  return match ? [match[1]!, Number(match[2])] : null
}

/** Extent of the scope's communes in CRS84, from their boundaries. */
export async function communesExtent(knex: Knex, scope: Scope): Promise<[number, number, number, number] | null> {
  const { rows } = await knex.raw(
    `SELECT ST_XMin(e) AS x0, ST_YMin(e) AS y0, ST_XMax(e) AS x1, ST_YMax(e) AS y1
     FROM (SELECT ST_Extent(ST_Transform(boundary, 4326)) AS e FROM communes
           WHERE boundary IS NOT NULL AND (?::text[] IS NULL OR code = ANY(?::text[]))) s`,
    [scope.visible, scope.visible],
  )
  const r = rows[0]
  if (!r || r.x0 === null) return null
  const round = (v: number) => Math.round(v * 1e6) / 1e6
  return [round(r.x0), round(r.y0), round(r.x1), round(r.y1)]
}
