/**
 * The dashboard's data (bảng theo dõi tiến độ): every commune the user may see with its figures
 * and the totals, and the same figures on simplified commune boundaries for the choropleth.
 * Counts come from the progress counters (a few thousand rows whatever the province's size);
 * last activity from the small per-commune tables (chain heads, import jobs, match runs).
 */
import type { Knex } from 'knex'
import { readCounters } from './counters.js'
import { countsByCommune, figuresOf, totalsOf, type CommuneProgress, type ProgressFigures } from './figures.js'

/** Which communes a user sees: null for every commune (admin, manager). */
export interface ProgressScope {
  communes: string[] | null
}

export interface ProvinceProgress {
  generatedAt: string
  communes: CommuneProgress[]
  totals: ProgressFigures & { communes: number }
}

/** Boundaries are simplified to this many metres (in their TM-3 zone) for the province map. */
const BOUNDARY_TOLERANCE_M = 5

interface CommuneRow {
  code: string
  name: string
  province_code: string
  last_activity: Date | null
}

/** The communes in scope, with their latest decision, successful import or matching run. */
async function communesWithActivity(knex: Knex, scope: ProgressScope): Promise<CommuneRow[]> {
  const { rows } = await knex.raw<{ rows: CommuneRow[] }>(
    `SELECT c.code, c.name, c.province_code, GREATEST(h.updated_at, i.at, r.at) AS last_activity
     FROM communes c
     LEFT JOIN reconciliation_heads h ON h.commune_code = c.code
     LEFT JOIN (SELECT commune_code, max(finished_at) AS at FROM import_jobs WHERE state = 'succeeded' GROUP BY 1) i ON i.commune_code = c.code
     LEFT JOIN (SELECT commune_code, max(finished_at) AS at FROM match_runs WHERE state = 'succeeded' GROUP BY 1) r ON r.commune_code = c.code
     WHERE CAST(? AS text[]) IS NULL OR c.code = ANY(CAST(? AS text[]))
     ORDER BY c.code`,
    [scope.communes, scope.communes],
  )
  return rows
}

export async function provinceProgress(knex: Knex, scope: ProgressScope): Promise<ProvinceProgress> {
  const [communes, counters] = await Promise.all([communesWithActivity(knex, scope), readCounters(knex, scope.communes)])
  const counts = countsByCommune(counters)
  const rows: CommuneProgress[] = communes.map((c) => {
    const mine = counts.get(c.code)
    const last = [c.last_activity, mine?.changedAt ?? null].reduce<Date | null>((a, b) => (b && (!a || b > a) ? b : a), null)
    return { code: c.code, name: c.name, provinceCode: c.province_code, ...figuresOf(mine, last) }
  })
  return { generatedAt: new Date().toISOString(), communes: rows, totals: totalsOf(rows) }
}

/**
 * The communes as a GeoJSON FeatureCollection (WGS84, boundaries simplified), each with its
 * figures as flat properties, shares as `pct_matched`, `pct_reconciled`, `pct_signed`,
 * `pct_synced`. A commune without a boundary has a null geometry.
 */
export async function progressGeojson(knex: Knex, scope: ProgressScope) {
  const [progress, { rows: shapes }] = await Promise.all([
    provinceProgress(knex, scope),
    knex.raw<{ rows: Array<{ code: string; geometry: string | null }> }>(
      `SELECT code, ST_AsGeoJSON(ST_Transform(ST_SimplifyPreserveTopology(boundary, ?), 4326), 6) AS geometry
       FROM communes WHERE CAST(? AS text[]) IS NULL OR code = ANY(CAST(? AS text[]))`,
      [BOUNDARY_TOLERANCE_M, scope.communes, scope.communes],
    ),
  ])
  const geometry = new Map(shapes.map((s) => [s.code, s.geometry ? JSON.parse(s.geometry) : null]))
  return {
    type: 'FeatureCollection' as const,
    generatedAt: progress.generatedAt,
    features: progress.communes.map(({ statuses: _s, percent, ...c }) => ({
      type: 'Feature' as const,
      id: c.code,
      geometry: geometry.get(c.code) ?? null,
      properties: {
        ...c,
        pct_matched: percent.matched,
        pct_reconciled: percent.reconciled,
        pct_signed: percent.signed,
        pct_synced: percent.synced,
      },
    })),
  }
}
