/**
 * The matching engine (đối chiếu bản đồ với hồ sơ): every parcel and every attribute record of
 * a commune ends in exactly one category — matched, area_mismatch, landuse_mismatch,
 * spatial_only, record_only or duplicate_key — as rows of `matches`.
 *
 * One set-based statement classifies a set of keys (sheet, parcel number). A re-run classifies
 * only the keys touched since the commune's last run (parcels or records created or changed,
 * or left without a match row when their partner was replaced); rows a clerk decided are never
 * recomputed. Parcel statuses follow: matched, or needs_review (reconciled and later statuses
 * are the clerks' and signers' and are left alone).
 */
import type { Knex } from 'knex'
import { suggestCandidates } from './candidates.js'
import { AGRICULTURAL_CODES, DEFAULT_TOLERANCE_RULE, type ToleranceRule } from './tolerance.js'

export interface MatchRunResult {
  communeCode: string
  full: boolean
  keysRematched: number
  counts: Record<string, number>
  seconds: number
}

export interface MatchOptions {
  rule?: ToleranceRule
  /** The queued `match_runs` row this run completes (see jobs.ts); else a row is added. */
  runId?: number
}

export async function matchCommune(knex: Knex, communeCode: string, options: MatchOptions = {}): Promise<MatchRunResult> {
  const rule = options.rule ?? DEFAULT_TOLERANCE_RULE
  const started = performance.now()
  return knex.transaction(async (trx) => {
    // One matching run per commune at a time; concurrent runs would classify the same keys twice.
    await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`landbook.match.${communeCode}`])
    // A commune is a few thousand rows: parallel workers cost more to start than they save,
    // and the CLI already runs communes side by side on the two cores.
    await trx.raw('SET LOCAL max_parallel_workers_per_gather = 0')
    // PostGIS functions are costed high, so commune-sized statements crossed the JIT threshold
    // and spent longer compiling than running.
    await trx.raw('SET LOCAL jit = off')
    const last = await trx('match_runs').where({ commune_code: communeCode, state: 'succeeded' }).max<{ at: Date | null }>({ at: 'started_at' }).first()
    const { rows: [{ now }] } = await trx.raw('SELECT now() AS now')
    const full = !last?.at
    let keysRematched: number
    if (full) {
      // Every key of the commune: plain scans of its rows, no key table to join.
      const { rows: [{ n }] } = await trx.raw(
        `SELECT count(*)::int AS n FROM (SELECT sheet_number, parcel_number FROM parcels WHERE commune_code = ?
         UNION SELECT sheet_number, parcel_number FROM attribute_records WHERE commune_code = ?) k`,
        [communeCode, communeCode],
      )
      keysRematched = n
    } else {
      await trx.raw('CREATE TEMP TABLE match_keys (sheet_number text, parcel_number text, PRIMARY KEY (sheet_number, parcel_number)) ON COMMIT DROP')
      await collectKeys(trx, communeCode, last!.at!)
      await trx.raw('ANALYZE match_keys') // without statistics the planner nests loops over thousands of keys
      keysRematched = (await trx.raw('SELECT count(*)::int AS n FROM match_keys')).rows[0].n
    }
    if (keysRematched > 0) {
      await deleteUndecided(trx, communeCode, full)
      await classify(trx, communeCode, rule, full)
      await updateStatuses(trx, communeCode, full)
      await suggestCandidates(trx, communeCode)
    }
    const counts = await categoryCounts(trx, communeCode)
    // The run's outcome commits with its matches: a run is never "succeeded" without them.
    const run = { started_at: now, finished_at: trx.fn.now(), state: 'succeeded', rule: rule.name, counts: JSON.stringify(counts), keys_rematched: keysRematched }
    if (options.runId !== undefined) await trx('match_runs').where({ commune_code: communeCode, id: options.runId }).update(run)
    else await trx('match_runs').insert({ commune_code: communeCode, ...run })
    return { communeCode, full, keysRematched, counts, seconds: (performance.now() - started) / 1000 }
  })
}

/** The keys touched since `since`: changed rows, and rows left without a match row. */
async function collectKeys(trx: Knex.Transaction, communeCode: string, since: Date): Promise<void> {
  await trx.raw(
    `INSERT INTO match_keys
     SELECT sheet_number, parcel_number FROM parcels p WHERE p.commune_code = ?
       AND (p.updated_at > ? OR NOT EXISTS (SELECT 1 FROM matches m WHERE m.commune_code = p.commune_code AND m.parcel_id = p.id))
     UNION
     SELECT sheet_number, parcel_number FROM attribute_records r WHERE r.commune_code = ?
       AND (r.updated_at > ? OR NOT EXISTS (SELECT 1 FROM matches m WHERE m.commune_code = r.commune_code AND m.record_id = r.id))`,
    [communeCode, since, communeCode, since],
  )
}

/** Removes the undecided match rows of every parcel and record on the keys being reclassified. */
async function deleteUndecided(trx: Knex.Transaction, communeCode: string, full: boolean): Promise<void> {
  if (full) {
    await trx('matches').where({ commune_code: communeCode, decided: false }).delete()
    return
  }
  await trx.raw(
    `DELETE FROM matches m USING parcels p, match_keys k
     WHERE m.commune_code = ? AND NOT m.decided AND p.commune_code = m.commune_code AND p.id = m.parcel_id
       AND p.sheet_number = k.sheet_number AND p.parcel_number = k.parcel_number`,
    [communeCode],
  )
  await trx.raw(
    `DELETE FROM matches m USING attribute_records r, match_keys k
     WHERE m.commune_code = ? AND NOT m.decided AND r.commune_code = m.commune_code AND r.id = m.record_id
       AND r.sheet_number = k.sheet_number AND r.parcel_number = k.parcel_number`,
    [communeCode],
  )
}

/** Classifies every parcel and record on the keys in match_keys that no clerk has decided. */
async function classify(trx: Knex.Transaction, communeCode: string, rule: ToleranceRule, full: boolean): Promise<void> {
  const scales = Object.keys(rule.pointAccuracy).map(Number)
  // A constant fragment: restrict to the touched keys unless the whole commune is classified.
  const keys = full ? '' : 'JOIN match_keys k USING (sheet_number, parcel_number)'
  await trx.raw(
    `WITH p AS (
       SELECT p.id, p.sheet_number, p.parcel_number, p.area_m2, p.land_use_codes,
              count(*) OVER (PARTITION BY p.sheet_number, p.parcel_number) AS n
       FROM parcels p ${keys}
       WHERE p.commune_code = :commune
         AND NOT EXISTS (SELECT 1 FROM matches m WHERE m.commune_code = p.commune_code AND m.parcel_id = p.id AND m.decided)
     ), r AS (
       SELECT r.id, r.sheet_number, r.parcel_number, r.legal_area_m2, r.land_use_codes,
              count(*) OVER (PARTITION BY r.sheet_number, r.parcel_number) AS n
       FROM attribute_records r ${keys}
       WHERE r.commune_code = :commune
         AND NOT EXISTS (SELECT 1 FROM matches m WHERE m.commune_code = r.commune_code AND m.record_id = r.id AND m.decided)
     ), pn AS (SELECT sheet_number, parcel_number, max(n) AS n FROM p GROUP BY 1, 2),
        rn AS (SELECT sheet_number, parcel_number, max(n) AS n FROM r GROUP BY 1, 2),
     accuracy AS (SELECT * FROM unnest(CAST(:scales AS int[]), CAST(:metres AS float8[])) AS a(scale, metres)),
     pairs AS (
       SELECT p.id AS parcel_id, r.id AS record_id, p.area_m2, r.legal_area_m2, p.land_use_codes AS parcel_use, r.land_use_codes AS record_use,
              COALESCE(s.scale, CAST(:defaultScale AS int)) AS scale,
              -- Tolerance: boundary-point accuracy for the sheet's scale × perimeter (see tolerance.ts).
              -- The geometry is read only here, for paired parcels, not carried through the sorts above.
              GREATEST(CAST(:minimum AS float8), a.metres * (SELECT ST_Perimeter(g.geom) FROM parcels g WHERE g.commune_code = :commune AND g.id = p.id)
                * CASE WHEN COALESCE(s.scale, CAST(:defaultScale AS int)) = ANY(CAST(:agriScales AS int[])) AND p.land_use_codes && CAST(:agriCodes AS text[]) THEN CAST(:agriFactor AS float8) ELSE 1 END) AS tolerance
       FROM p JOIN r USING (sheet_number, parcel_number)
       LEFT JOIN map_sheets s ON s.commune_code = :commune AND s.sheet_number = p.sheet_number
       LEFT JOIN accuracy a ON a.scale = COALESCE(s.scale, CAST(:defaultScale AS int))
       WHERE p.n = 1 AND r.n = 1
     ), judged AS (
       SELECT *, legal_area_m2 IS NOT NULL AND abs(area_m2 - legal_area_m2) > tolerance AS area_off,
              cardinality(record_use) > 0 AND cardinality(parcel_use) > 0 AND NOT (parcel_use @> record_use AND record_use @> parcel_use) AS use_off
       FROM pairs
     )
     INSERT INTO matches (commune_code, parcel_id, record_id, category, details)
     SELECT :commune, parcel_id, record_id,
            CASE WHEN area_off THEN 'area_mismatch' WHEN use_off THEN 'landuse_mismatch' ELSE 'matched' END,
            jsonb_build_object('area_m2', round(CAST(area_m2 AS numeric), 2), 'legal_area_m2', legal_area_m2,
              'difference_m2', round(CAST(area_m2 - legal_area_m2 AS numeric), 2), 'tolerance_m2', round(CAST(tolerance AS numeric), 2),
              'rule', CAST(:ruleName AS text), 'scale', scale, 'area_off', area_off, 'landuse_off', use_off,
              'parcel_land_use', parcel_use, 'record_land_use', record_use)
     FROM judged
     UNION ALL
     SELECT :commune, p.id, NULL, CASE WHEN p.n > 1 OR COALESCE(rn.n, 0) > 1 THEN 'duplicate_key' ELSE 'spatial_only' END,
            jsonb_build_object('parcels_with_key', p.n, 'records_with_key', COALESCE(rn.n, 0))
     FROM p LEFT JOIN rn USING (sheet_number, parcel_number)
     WHERE p.n > 1 OR COALESCE(rn.n, 0) <> 1
     UNION ALL
     SELECT :commune, NULL, r.id, CASE WHEN r.n > 1 OR COALESCE(pn.n, 0) > 1 THEN 'duplicate_key' ELSE 'record_only' END,
            jsonb_build_object('parcels_with_key', COALESCE(pn.n, 0), 'records_with_key', r.n)
     FROM r LEFT JOIN pn USING (sheet_number, parcel_number)
     WHERE r.n > 1 OR COALESCE(pn.n, 0) <> 1`,
    {
      commune: communeCode,
      scales,
      metres: scales.map((s) => rule.pointAccuracy[s]!),
      defaultScale: rule.defaultScale,
      minimum: rule.minimum,
      agriScales: rule.agriculturalScales,
      agriCodes: AGRICULTURAL_CODES,
      agriFactor: rule.agriculturalFactor,
      ruleName: rule.name,
    },
  )
}

/** Parcel status from the match, for parcels still in the import/matching stages. */
async function updateStatuses(trx: Knex.Transaction, communeCode: string, full: boolean): Promise<void> {
  const keys = full ? '' : 'AND (p.sheet_number, p.parcel_number) IN (SELECT sheet_number, parcel_number FROM match_keys)'
  await trx.raw(
    `UPDATE parcels p SET status = CASE WHEN m.category = 'matched' THEN 'matched' ELSE 'needs_review' END
     FROM matches m
     WHERE p.commune_code = ? AND m.commune_code = p.commune_code AND m.parcel_id = p.id AND NOT m.decided ${keys}
       AND p.status IN ('imported', 'matched', 'needs_review')
       AND p.status IS DISTINCT FROM CASE WHEN m.category = 'matched' THEN 'matched' ELSE 'needs_review' END`,
    [communeCode],
  )
}

export async function categoryCounts(knex: Knex | Knex.Transaction, communeCode: string): Promise<Record<string, number>> {
  const { rows } = await knex.raw('SELECT category, count(*)::int AS n FROM matches WHERE commune_code = ? GROUP BY category', [communeCode])
  return Object.fromEntries(rows.map((r: { category: string; n: number }) => [r.category, r.n]))
}
