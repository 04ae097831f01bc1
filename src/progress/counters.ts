/**
 * The progress counters (migrations/20261123103000_progress_counters.ts): per commune, parcels
 * per status (`status:<status>`), attribute records (`records`) and match rows per category
 * (`category:<category>`). Triggers append each statement's net change as a delta row; reading
 * adds the deltas to the base rows, and folds them into the base once they pile up.
 */
import type { Knex } from 'knex'

export interface CounterRow {
  commune_code: string
  metric: string
  n: number
  changed_at: Date | null
}

/** Deltas beyond this many are folded into the base after a read (a few ms; reads stay ~3,000 rows). */
const FOLD_THRESHOLD = 1_000

/** Every counter of the communes (null: all), base plus pending deltas, as of one snapshot. */
export async function readCounters(knex: Knex, communes: string[] | null): Promise<CounterRow[]> {
  const { rows } = await knex.raw<{ rows: Array<CounterRow & { deltas: number }> }>(
    `SELECT commune_code, metric, sum(n)::bigint AS n, max(changed_at) AS changed_at, count(*) FILTER (WHERE delta)::int AS deltas
     FROM (SELECT commune_code, metric, n, changed_at, false AS delta FROM progress_counters
           UNION ALL
           SELECT commune_code, metric, n, changed_at, true FROM progress_counter_deltas) c
     WHERE CAST(? AS text[]) IS NULL OR commune_code = ANY(CAST(? AS text[]))
     GROUP BY commune_code, metric`,
    [communes, communes],
  )
  const pending = rows.reduce((sum, r) => sum + r.deltas, 0)
  if (pending > FOLD_THRESHOLD) await foldDeltas(knex)
  return rows.map(({ deltas: _d, ...row }) => row)
}

/**
 * Moves the committed deltas into the base rows, in one statement: a concurrent reader sees
 * either both before or both after. Deltas of transactions still open stay for the next fold.
 */
export async function foldDeltas(knex: Knex): Promise<number> {
  const { rowCount } = await knex.raw<{ rowCount: number }>(
    `WITH moved AS (DELETE FROM progress_counter_deltas RETURNING commune_code, metric, n, changed_at)
     INSERT INTO progress_counters AS c (commune_code, metric, n, changed_at)
     SELECT commune_code, metric, sum(n), max(changed_at) FROM moved GROUP BY commune_code, metric ORDER BY commune_code, metric
     ON CONFLICT (commune_code, metric) DO UPDATE SET n = c.n + excluded.n, changed_at = GREATEST(c.changed_at, excluded.changed_at)`,
  )
  return rowCount
}

/** The counters recomputed from the tables themselves: what the triggers must always agree with. */
export async function countFromTables(knex: Knex, communes: string[]): Promise<Array<{ commune_code: string; metric: string; n: number }>> {
  const { rows } = await knex.raw(
    `SELECT commune_code, 'status:' || status AS metric, count(*)::int AS n FROM parcels WHERE commune_code = ANY(CAST(? AS text[])) GROUP BY 1, 2
     UNION ALL
     SELECT commune_code, 'records', count(*)::int FROM attribute_records WHERE commune_code = ANY(CAST(? AS text[])) GROUP BY 1
     UNION ALL
     SELECT commune_code, 'category:' || category, count(*)::int FROM matches WHERE commune_code = ANY(CAST(? AS text[])) GROUP BY 1, 2
     ORDER BY 1, 2`,
    [communes, communes, communes],
  )
  return rows
}

/**
 * Counts parcels that joined `parcels` without passing its triggers: a table attached as a
 * commune's partition (the first import of a commune loads into a bare table, see
 * src/imports/parcels/partitions.ts). Called in the attaching transaction.
 */
export async function countAttachedParcels(trx: Knex.Transaction, table: string): Promise<void> {
  await trx.raw(
    `INSERT INTO progress_counter_deltas (commune_code, metric, n)
     SELECT commune_code, 'status:' || status, count(*) FROM ?? GROUP BY 1, 2 ORDER BY 1, 2`,
    [table],
  )
}
