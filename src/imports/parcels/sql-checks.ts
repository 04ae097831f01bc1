/**
 * The checks that need PostGIS, run inside the import transaction on the rows just loaded:
 * repairing the few invalid geometries, parcels outside the commune boundary, overlaps among
 * the edge-matching candidates, and gaps polygonised from the unshared edges. `table` is where
 * the rows were copied: `parcels`, or the commune's partition-to-be (see ./partitions.ts).
 */
import type { Knex } from 'knex'
import { nodedLines, type Segment } from './noding.js'

export interface RepairResult {
  row: number
  sheet: string
  parcel: string
  reason: string
  emptied: boolean
  areaBefore: number
  areaAfter: number
}

/** ST_MakeValid on the listed rows; rows whose repair leaves no polygon are deleted (and reported). */
export async function repairGeometries(trx: Knex.Transaction, table: string, communeCode: string, jobId: number, rows: number[]): Promise<RepairResult[]> {
  if (rows.length === 0) return []
  const { rows: repaired } = await trx.raw(
    `WITH target AS (
       SELECT id, source_row, sheet_number, parcel_number, ST_IsValidReason(geom) AS reason, area_m2 AS area_before,
              ST_Multi(ST_CollectionExtract(ST_MakeValid(geom), 3)) AS fixed
       FROM ?? WHERE commune_code = ? AND import_job_id = ? AND source_row = ANY(?::int[])
     ), updated AS (
       UPDATE ?? p SET geom = t.fixed, area_m2 = ST_Area(t.fixed)
       FROM target t WHERE p.commune_code = ? AND p.id = t.id AND NOT ST_IsEmpty(t.fixed)
       RETURNING p.id
     )
     SELECT source_row AS row, sheet_number, parcel_number, reason, ST_IsEmpty(fixed) AS emptied, area_before, ST_Area(fixed) AS area_after
     FROM target ORDER BY source_row`,
    [table, communeCode, jobId, rows, table, communeCode],
  )
  const emptied = repaired.filter((r: { emptied: boolean }) => r.emptied).map((r: { row: number }) => r.row)
  if (emptied.length) {
    await trx(table).where({ commune_code: communeCode, import_job_id: jobId }).whereIn('source_row', emptied).delete()
  }
  return repaired.map((r: Record<string, unknown>) => ({
    row: Number(r.row), sheet: String(r.sheet_number), parcel: String(r.parcel_number), reason: String(r.reason), emptied: Boolean(r.emptied), areaBefore: Number(r.area_before), areaAfter: Number(r.area_after),
  }))
}

/**
 * Rows of this job not covered by the commune's boundary (none when no boundary is recorded).
 * The edge-matching candidates include the outline of the file's coverage: when all of them
 * lie inside a boundary without holes, the parcels they enclose do too, so the other parcels
 * are tested only when some candidate is outside.
 */
export async function rowsOutsideBoundary(trx: Knex.Transaction, table: string, communeCode: string, jobId: number, candidateRows: number[]): Promise<Array<{ row: number; sheet: string; parcel: string; outsideArea: number }>> {
  const query = (onlyCandidates: boolean) =>
    trx.raw(
      // The boundary is transformed once (a CTE), so GEOS can reuse it prepared for every row.
      `WITH b AS MATERIALIZED (
         SELECT ST_Transform(c.boundary, p.srid) AS g, p.srid, ST_NRings(c.boundary) > ST_NumGeometries(c.boundary) AS has_holes
         FROM communes c, (SELECT DISTINCT srid FROM ?? WHERE commune_code = ? AND import_job_id = ?) p
         WHERE c.code = ? AND c.boundary IS NOT NULL
       )
       SELECT p.source_row AS row, p.sheet_number AS sheet, p.parcel_number AS parcel,
              ST_Area(ST_Difference(p.geom, b.g)) AS outside_area, b.has_holes
       FROM ?? p JOIN b ON b.srid = p.srid
       WHERE p.commune_code = ? AND p.import_job_id = ? AND (b.has_holes OR NOT ? OR p.source_row = ANY(?::int[]))
         AND NOT ST_Covers(b.g, p.geom)
       ORDER BY p.source_row`,
      [table, communeCode, jobId, communeCode, table, communeCode, jobId, onlyCandidates, candidateRows],
    )
  let { rows } = await query(true)
  if (rows.length > 0 && !rows[0].has_holes) rows = (await query(false)).rows
  return rows.map((r: { row: number; sheet: string; parcel: string; outside_area: number }) => ({ row: r.row, sheet: r.sheet, parcel: r.parcel, outsideArea: r.outside_area }))
}

export interface Overlap {
  row: number
  sheet: string
  parcel: string
  otherId: number
  otherRow: number | null
  otherSheet: string
  otherParcel: string
  otherJob: number | null
  area: number
}

/**
 * Overlaps (interiors intersect by more than `minArea` m²): between the given row pairs of this
 * job (pre-filtered in JS), and between the candidate rows and parcels of the commune loaded
 * by other jobs (other sheets). Each pair is reported once.
 */
export async function overlapsOf(trx: Knex.Transaction, table: string, communeCode: string, jobId: number, pairs: Array<[number, number]>, candidateRows: number[], othersPresent: boolean, minArea: number): Promise<Overlap[]> {
  const select = `SELECT a.source_row AS row, a.sheet_number AS sheet, a.parcel_number AS parcel, b.id AS other_id, b.source_row AS other_row,
            b.sheet_number AS other_sheet, b.parcel_number AS other_parcel, b.import_job_id AS other_job, ST_Area(ST_Intersection(a.geom, b.geom)) AS area`
  const { rows: within } = pairs.length === 0 ? { rows: [] } : await trx.raw(
    `WITH involved AS MATERIALIZED (
       SELECT id, source_row, sheet_number, parcel_number, import_job_id, geom FROM ??
       WHERE commune_code = ? AND import_job_id = ? AND source_row = ANY(?::int[])
     )
     ${select}
     FROM unnest(?::int[], ?::int[]) AS pair(row_a, row_b)
     JOIN involved a ON a.source_row = pair.row_a
     JOIN involved b ON b.source_row = pair.row_b
     WHERE ST_Relate(a.geom, b.geom, '2********')`,
    [table, communeCode, jobId, [...new Set(pairs.flat())], pairs.map((p) => p[0]), pairs.map((p) => p[1])],
  )
  const { rows: across } = candidateRows.length === 0 || !othersPresent ? { rows: [] } : await trx.raw(
    `${select}
     FROM ?? a
     JOIN ?? b ON b.commune_code = a.commune_code AND b.import_job_id IS DISTINCT FROM a.import_job_id AND b.geom && a.geom
     WHERE a.commune_code = ? AND a.import_job_id = ? AND a.source_row = ANY(?::int[])
       AND ST_Relate(a.geom, b.geom, '2********')`,
    [table, table, communeCode, jobId, candidateRows],
  )
  const rows = [...within, ...across]
  const seen = new Set<string>()
  const result: Overlap[] = []
  for (const r of rows as Array<Record<string, unknown>>) {
    const area = Number(r.area)
    if (area <= minArea) continue
    const sameJob = Number(r.other_job) === jobId
    const pair = sameJob ? [Number(r.row), Number(r.other_row)].sort((x, y) => x - y).join('/') : `${r.row}/#${r.other_id}`
    if (seen.has(pair)) continue
    seen.add(pair)
    result.push({
      row: Number(r.row), sheet: String(r.sheet), parcel: String(r.parcel), otherId: Number(r.other_id), otherRow: r.other_row === null ? null : Number(r.other_row),
      otherSheet: String(r.other_sheet), otherParcel: String(r.other_parcel), otherJob: r.other_job === null ? null : Number(r.other_job), area,
    })
  }
  return result
}

export interface Gap {
  area: number
  perimeter: number
  x: number
  y: number
  wkt: string
}

/**
 * Gaps: faces enclosed by unshared edges that no parcel covers. The unshared linework is small
 * (the commune's outline plus the defects), so polygonising it is cheap once it is noded.
 */
export async function gapsFrom(trx: Knex.Transaction, table: string, communeCode: string, srid: number, segments: Segment[]): Promise<Gap[]> {
  if (segments.length < 3) return []
  const { rows } = await trx.raw(
    `WITH noded AS (
       SELECT (ST_Dump(ST_GeomFromWKB(?))).*
     ), faces AS (
       SELECT ST_SetSRID((ST_Dump(ST_Polygonize(geom ORDER BY path))).geom, ?::int) AS face FROM noded
     )
     SELECT ST_Area(face) AS area, ST_Perimeter(face) AS perimeter, ST_X(ST_PointOnSurface(face)) AS x,
            ST_Y(ST_PointOnSurface(face)) AS y, ST_AsText(face) AS wkt
     FROM faces f
     WHERE NOT EXISTS (
       SELECT 1 FROM ?? p WHERE p.commune_code = ? AND p.geom && f.face AND ST_Intersects(p.geom, ST_PointOnSurface(f.face))
     )`,
    [await nodedLines(trx, segments), srid, table, communeCode],
  )
  return rows.map((r: Record<string, unknown>) => ({ area: Number(r.area), perimeter: Number(r.perimeter), x: Number(r.x), y: Number(r.y), wkt: String(r.wkt) }))
}
