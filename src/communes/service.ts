/**
 * Communes (xã/phường): the unit of work of a cadastral database project.
 * Listing with per-commune progress counts, and registering communes from a delivery.
 */
import type { Knex } from 'knex'
import { Invalid, NotFound } from '../errors.js'

export interface CommuneInput {
  code: string
  name: string
  provinceCode: string
  srid: number
  /** WKT in the commune's CRS; optional. */
  boundaryWkt?: string | null
}

export interface CommuneSummary {
  code: string
  name: string
  provinceCode: string
  srid: number
  parcels: number
  records: number
  statuses: Record<string, number>
}

/** National commune codes are 5 digits; numbers that lost their leading zero are padded back. */
export function normalizeCommuneCode(raw: string | number): string {
  const text = String(raw).trim().replace(/\.0+$/, '')
  if (!/^\d{1,5}$/.test(text)) throw new Invalid(`Mã xã "${raw}" không hợp lệ: cần 5 chữ số (commune code must be 5 digits).`, { field: 'code' })
  return text.padStart(5, '0')
}

/** Inserts or updates communes; one statement per commune inside the caller's transaction. */
export async function upsertCommunes(db: Knex | Knex.Transaction, communes: CommuneInput[]): Promise<void> {
  for (const c of communes) {
    await db.raw(
      `INSERT INTO communes (code, name, province_code, srid, boundary)
       VALUES (?, ?, ?, ?, CASE WHEN ?::text IS NULL THEN NULL ELSE ST_Multi(ST_GeomFromText(?::text, ?::int)) END)
       ON CONFLICT (code) DO UPDATE SET name = excluded.name, province_code = excluded.province_code,
         srid = excluded.srid, boundary = COALESCE(excluded.boundary, communes.boundary), updated_at = now()`,
      [normalizeCommuneCode(c.code), c.name, c.provinceCode, c.srid, c.boundaryWkt ?? null, c.boundaryWkt ?? null, c.srid],
    )
  }
}

/**
 * Every commune with its parcel and record counts (one grouped scan of each table); with
 * `only`, just those communes (a user's assigned ones).
 */
export async function listCommunes(db: Knex, only?: string[]): Promise<CommuneSummary[]> {
  const { rows } = await db.raw<{ rows: Array<Record<string, unknown>> }>(`
    WITH parcel_counts AS (
      SELECT commune_code, status, count(*) AS n FROM parcels GROUP BY commune_code, status
    ), record_counts AS (
      SELECT commune_code, count(*) AS n FROM attribute_records GROUP BY commune_code
    )
    SELECT c.code, c.name, c.province_code, c.srid,
           COALESCE((SELECT sum(n) FROM parcel_counts p WHERE p.commune_code = c.code), 0) AS parcels,
           COALESCE((SELECT n FROM record_counts r WHERE r.commune_code = c.code), 0) AS records,
           COALESCE((SELECT jsonb_object_agg(status, n) FROM parcel_counts p WHERE p.commune_code = c.code), '{}') AS statuses
    FROM communes c
    WHERE ?::text[] IS NULL OR c.code = ANY(?::text[])
    ORDER BY c.code`, [only ?? null, only ?? null])
  return rows.map((r) => ({
    code: r.code as string,
    name: r.name as string,
    provinceCode: r.province_code as string,
    srid: r.srid as number,
    parcels: Number(r.parcels),
    records: Number(r.records),
    statuses: r.statuses as Record<string, number>,
  }))
}

export async function getCommune(db: Knex, code: string): Promise<CommuneSummary> {
  const wanted = normalizeCommuneCode(code)
  const [commune] = await listCommunes(db, [wanted])
  if (!commune) throw new NotFound(`Không có xã mã ${code} (no commune with this code).`, { field: 'code' })
  return commune
}
