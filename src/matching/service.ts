/** Reading match results: a commune's discrepancies page by page, and its summary. */
import type { Knex } from 'knex'
import { normalizeCommuneCode } from '../communes/index.js'
import { NotFound } from '../errors.js'

export const CATEGORIES = ['matched', 'area_mismatch', 'landuse_mismatch', 'spatial_only', 'record_only', 'duplicate_key'] as const

/** The normalised code of an existing commune, or NotFound. */
export async function requireCommune(knex: Knex, code: string): Promise<string> {
  const commune = normalizeCommuneCode(code)
  if (!(await knex('communes').where({ code: commune }).first('code'))) throw new NotFound(`Không có xã mã ${code} (no commune with this code).`, { field: 'code' })
  return commune
}

export async function listMatches(knex: Knex, code: string, filter: { category?: string; page: number; limit: number }) {
  const commune = await requireCommune(knex, code)
  const { rows } = await knex.raw(
    `SELECT m.id, m.category, m.decided, m.details, m.computed_at,
            p.id AS parcel_id, p.sheet_number AS parcel_sheet, p.parcel_number AS parcel_number, p.area_m2, p.land_use_codes AS parcel_land_use, p.status,
            r.id AS record_id, r.sheet_number AS record_sheet, r.parcel_number AS record_parcel, r.owner_name, r.legal_area_m2,
            r.land_use_codes AS record_land_use, r.certificate_serial,
            count(*) OVER () AS total
     FROM matches m
     -- The commune named on the outer join's inner side too: parcels is partitioned by commune.
     LEFT JOIN parcels p ON p.commune_code = ? AND p.commune_code = m.commune_code AND p.id = m.parcel_id
     LEFT JOIN attribute_records r ON r.commune_code = m.commune_code AND r.id = m.record_id
     WHERE m.commune_code = ? AND (?::text IS NULL OR m.category = ?::text)
     ORDER BY COALESCE(p.sheet_number, r.sheet_number), COALESCE(p.parcel_number, r.parcel_number), m.id
     OFFSET ? LIMIT ?`,
    [commune, commune, filter.category ?? null, filter.category ?? null, (filter.page - 1) * filter.limit, filter.limit],
  )
  const total = rows.length > 0 ? Number(rows[0].total) : 0
  return { commune, total, page: filter.page, limit: filter.limit, matches: rows.map(({ total: _t, ...row }: Record<string, unknown>) => row) }
}

export async function matchSummary(knex: Knex, code: string) {
  const commune = await requireCommune(knex, code)
  const { rows: categories } = await knex.raw('SELECT category, count(*)::int AS n FROM matches WHERE commune_code = ? GROUP BY 1', [commune])
  const { rows: statuses } = await knex.raw('SELECT status, count(*)::int AS n FROM parcels WHERE commune_code = ? GROUP BY 1', [commune])
  const lastRun = await knex('match_runs').where({ commune_code: commune, state: 'succeeded' }).orderBy('started_at', 'desc').first('id', 'started_at', 'finished_at', 'rule', 'keys_rematched')
  return {
    commune,
    categories: Object.fromEntries(CATEGORIES.map((c) => [c, categories.find((r: { category: string }) => r.category === c)?.n ?? 0])),
    statuses: Object.fromEntries(statuses.map((r: { status: string; n: number }) => [r.status, r.n])),
    lastRun: lastRun ?? null,
  }
}
