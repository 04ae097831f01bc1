/**
 * The tile statements. One statement per tile, in two forms sharing the same rows: the MVT
 * itself made by PostGIS (ST_AsMVT, on a server), or the rows' geometries as GeoJSON for the
 * Node encoder (the embedded database has no ST_AsMVT).
 *
 * Parcels keep their geometry in their own VN-2000 TM-3 zone (per-row srid) and the GiST index
 * is on that geometry, so the tile's envelope (EPSG:3857) is transformed into each zone present
 * and each zone is probed with `geom && envelope-in-that-zone`: an index scan per zone, then
 * only the hits are transformed to 3857. The envelope is widened by the tile buffer, which also
 * covers the slight curvature of its edges once reprojected.
 */
import type { Knex } from 'knex'
import { preparedRows } from '../db/index.js'
import { PARCELS_MIN_ZOOM, TILE_BUFFER, TILE_EXTENT, tileResolution, type TileCoord } from './coordinates.js'

/** Which communes' data a tile may show: null for every commune (admin, manager). */
export interface TileScope {
  communes: string[] | null
}

/** The named bindings of both statements. */
export function tileBindings(coord: TileCoord, scope: TileScope, srids: number[]): Record<string, unknown> {
  return {
    z: coord.z,
    x: coord.x,
    y: coord.y,
    margin: TILE_BUFFER / TILE_EXTENT,
    extent: TILE_EXTENT,
    buffer: TILE_BUFFER,
    srids,
    communes: scope.communes,
    withParcels: coord.z >= PARCELS_MIN_ZOOM,
    withCommunes: coord.z < PARCELS_MIN_ZOOM,
    // Boundaries are simplified to the tile's resolution before they are reprojected.
    tolerance: tileResolution(coord.z),
  }
}

/** The rows of both layers; `geometry` turns a geometry in its own CRS into the output form. */
function tileRows(geometry: (g: string) => string): string {
  return `
    tile AS (
      SELECT ST_TileEnvelope(CAST(:z AS int), CAST(:x AS int), CAST(:y AS int)) AS envelope,
             ST_TileEnvelope(CAST(:z AS int), CAST(:x AS int), CAST(:y AS int), margin => CAST(:margin AS float8)) AS area
    ),
    -- MATERIALIZED: computed once; inlined, the geom IS NOT NULL test below would run
    -- ST_AsMVTGeom a second time per parcel inside the scan.
    parcel_rows AS MATERIALIZED (
      SELECT p.id AS fid, p.id, p.commune_code, p.sheet_number, p.parcel_number, p.status,
             -- A parcel with several links shows its most pressing category.
             (SELECT m.category FROM matches m
              WHERE m.commune_code = p.commune_code AND m.parcel_id = p.id
              ORDER BY array_position(ARRAY['duplicate_key', 'area_mismatch', 'landuse_mismatch', 'spatial_only', 'record_only', 'matched'], m.category), m.id
              LIMIT 1) AS category,
             ${geometry('p.geom')} AS geom
      FROM tile
      CROSS JOIN unnest(CAST(:srids AS int[])) AS zone(srid)
      -- One index probe per zone: the envelope is a constant within each.
      JOIN parcels p ON p.srid = zone.srid AND p.geom && ST_Transform(tile.area, zone.srid)
      WHERE CAST(:withParcels AS boolean)
        AND (CAST(:communes AS text[]) IS NULL OR p.commune_code = ANY(CAST(:communes AS text[])))
    ),
    commune_rows AS MATERIALIZED (
      SELECT c.code, c.name, ${geometry('ST_Simplify(c.boundary, CAST(:tolerance AS float8), true)')} AS geom
      FROM tile, communes c
      WHERE CAST(:withCommunes AS boolean) AND c.boundary IS NOT NULL
        AND ST_Transform(ST_Envelope(c.boundary), 3857) && tile.area
        AND (CAST(:communes AS text[]) IS NULL OR c.code = ANY(CAST(:communes AS text[])))
    )`
}

/** The tile as PostGIS encodes it: layers `parcels` and `communes`; empty bytea when nothing is in it. */
export const MVT_SQL = `
  WITH ${tileRows((g) => `ST_AsMVTGeom(ST_Transform(${g}, 3857), tile.envelope, CAST(:extent AS int), CAST(:buffer AS int), true)`)}
  SELECT COALESCE((SELECT ST_AsMVT(r, 'parcels', CAST(:extent AS int), 'geom', 'fid') FROM parcel_rows r WHERE r.geom IS NOT NULL), '')
      || COALESCE((SELECT ST_AsMVT(r, 'communes', CAST(:extent AS int), 'geom') FROM commune_rows r WHERE r.geom IS NOT NULL), '') AS mvt`

/** The same rows with WGS84 GeoJSON geometries and their properties, for the Node encoder. */
export const FEATURES_SQL = `
  WITH ${tileRows((g) => `ST_AsGeoJSON(ST_Transform(${g}, 4326), 7)`)}
  SELECT 'parcels' AS layer, to_jsonb(r) - 'geom' - 'fid' AS properties, r.geom FROM parcel_rows r
  UNION ALL
  SELECT 'communes', to_jsonb(r) - 'geom', r.geom FROM commune_rows r`

export interface FeatureRow {
  layer: 'parcels' | 'communes'
  properties: Record<string, unknown>
  geom: string | null
}

/**
 * The communes whose parcels may be in the tile (their extent meets it, margin included), of
 * those in `scope`: the tile statement then names them, so PostgreSQL plans and probes only
 * their partitions of `parcels`.
 */
export async function communesUnder(knex: Knex, coord: TileCoord, scope: TileScope): Promise<string[]> {
  const rows = await preparedRows<{ commune_code: string }>(
    knex,
    `WITH tile AS (SELECT ST_TileEnvelope(CAST(:z AS int), CAST(:x AS int), CAST(:y AS int), margin => CAST(:margin AS float8)) AS area),
     -- MATERIALIZED: the tile transformed once per zone, not once per commune compared.
     zones AS MATERIALIZED (SELECT z.srid, ST_Transform(tile.area, z.srid) AS area FROM tile, (SELECT DISTINCT srid FROM parcel_extents) z)
     SELECT e.commune_code FROM parcel_extents e JOIN zones ON zones.srid = e.srid
     WHERE ST_SetSRID(CAST(e.extent AS geometry), e.srid) && zones.area
       AND (CAST(:communes AS text[]) IS NULL OR e.commune_code = ANY(CAST(:communes AS text[])))
     GROUP BY e.commune_code ORDER BY 1`,
    { z: coord.z, x: coord.x, y: coord.y, margin: TILE_BUFFER / TILE_EXTENT, communes: scope.communes },
    { genericPlan: true },
  )
  return rows.map((r) => r.commune_code)
}

/**
 * The srids parcels and boundaries are stored in: each commune's zone, each map sheet's, and
 * each zone parcels were written in (`parcel_extents`: a sheet re-delivered in another zone).
 */
export async function storedSrids(knex: Knex): Promise<number[]> {
  const { rows } = await knex.raw<{ rows: Array<{ srid: number }> }>(
    'SELECT srid FROM communes UNION SELECT srid FROM map_sheets UNION SELECT srid FROM parcel_extents ORDER BY 1',
  )
  return rows.map((r) => r.srid)
}

/** Whether the database can encode MVT itself (PostGIS built with protobuf-c): one tiny tile. */
export async function hasStAsMvt(knex: Knex): Promise<boolean> {
  try {
    await knex.raw(`SELECT ST_AsMVT(t) FROM (SELECT 1 AS a, ST_AsMVTGeom(ST_Point(0, 0), ST_MakeEnvelope(-1, -1, 1, 1)) AS geom) t`)
    return true
  } catch (error) {
    const { code, message } = error as { code?: string; message?: string }
    // undefined_function, or PostGIS's "Compiled without protobuf-c support" (XX000).
    if (code === '42883' || /protobuf/i.test(message ?? '')) return false
    throw error
  }
}
