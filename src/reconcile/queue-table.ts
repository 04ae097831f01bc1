/**
 * The work queue's own table (`reconcile_queue`): one row per `matches` row of a commune with
 * what the queue sorts and filters on (sheet and parcel number in natural order, category,
 * parcel status, decided, flagged, area difference, folded owner names), what a page shows,
 * and the item's JSON (`item`, written by a trigger from those columns). A page is then an index
 * scan of one commune instead of joining and sorting all its parcels and records.
 *
 * Who keeps it current:
 * - decisions refresh the rows of the parcels and records they touch, in their transaction;
 * - a matching run, an import, a signed batch or an export changes rows wholesale: the queue
 *   remembers how many of each had succeeded for the commune when it was built
 *   (`reconcile_queue_state`), and the next read that sees other counts rebuilds the
 *   commune's rows (tens to hundreds of milliseconds).
 * Rebuilds hold the commune's matching lock exclusively (decisions hold it shared), so a
 * rebuild never interleaves with a decision's refresh. A writer of parcel data not counted
 * above calls `refreshQueueFor` in its own transaction. Edits made by hand in SQL show after
 * the commune's next matching run.
 */
import type { Knex } from 'knex'
import { preparedRows } from '../db/index.js'
import { holdOffMatching } from './commune.js'

/** The queue's order of categories and statuses (`category_rank`, `status_rank`: 1, 2, …). */
export const CATEGORY_ORDER = ['area_mismatch', 'landuse_mismatch', 'duplicate_key', 'record_only', 'spatial_only', 'matched'] as const
export const STATUS_ORDER = ['needs_review', 'matched', 'imported', 'reconciled', 'signed', 'synced'] as const
const sqlArray = (items: readonly string[]) => `ARRAY[${items.map((i) => `'${i}'`).join(', ')}]`
const CATEGORY_RANK = sqlArray(CATEGORY_ORDER)
const STATUS_RANK = sqlArray(STATUS_ORDER)

/** The queue rows of the commune's matches rows that pass `filter` (a constant SQL fragment). */
const queueRowsSql = (filter: string) => `
  INSERT INTO reconcile_queue (commune_code, match_id, parcel_id, record_id, category, category_rank, decided, status, status_rank,
    flagged, sheet_number, parcel_number, area_difference, record_owner, parcel_owner, details,
    parcel_sheet, parcel_no, parcel_version, area_m2, parcel_land_use, parcel_owner_name,
    record_sheet, record_parcel, record_version, legal_area_m2, record_land_use, record_owner_name, certificate_serial)
  SELECT m.commune_code, m.id, m.parcel_id, m.record_id, m.category, array_position(${CATEGORY_RANK}, m.category), m.decided,
         p.status, array_position(${STATUS_RANK}, p.status), p.review_flag IS NOT NULL,
         COALESCE(p.sheet_number, r.sheet_number, ''), COALESCE(p.parcel_number, r.parcel_number, ''),
         abs(p.area_m2 - r.legal_area_m2), r.owner_name_folded, p.owner_name_folded, m.details,
         p.sheet_number, p.parcel_number, p.version, round(CAST(p.area_m2 AS numeric), 2), p.land_use_codes, p.owner_name,
         r.sheet_number, r.parcel_number, r.version, r.legal_area_m2, r.land_use_codes, r.owner_name, r.certificate_serial
  FROM matches m
  LEFT JOIN parcels p ON p.commune_code = m.commune_code AND p.id = m.parcel_id
  LEFT JOIN attribute_records r ON r.commune_code = m.commune_code AND r.id = m.record_id
  WHERE m.commune_code = :commune ${filter}`

/**
 * What the commune's queue was built from, as one text: how many matching runs and imports of
 * the commune have succeeded, and how many signature batches were signed and packages exported
 * (signing moves parcels to signed, export to synced). Each count only grows, and each grows in
 * the transaction that made its change, so a different text means the rows may be out of date.
 */
export const SOURCES_SQL = `concat_ws(':',
  (SELECT count(*) FROM match_runs WHERE commune_code = :commune AND state = 'succeeded'),
  (SELECT count(*) FROM import_jobs WHERE commune_code = :commune AND state = 'succeeded'),
  (SELECT count(*) FROM signature_batches WHERE commune_code = :commune AND state = 'signed'),
  (SELECT count(*) FROM commune_exports WHERE commune_code = :commune))`

/**
 * Rebuilds the commune's queue rows unless they are current (another request rebuilt them since
 * the caller saw them stale). The caller knows the commune exists; queue pages see staleness in
 * their own statement (queue.ts).
 */
export async function rebuildQueue(knex: Knex, communeCode: string): Promise<void> {
  await knex.transaction(async (trx) => {
    // Exclusively: no decision refreshes rows while the commune's rows are rebuilt.
    await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`landbook.match.${communeCode}`])
    // Read before the rows: a run committing meanwhile shows as stale next time.
    const { rows: [state] } = await trx.raw<{ rows: Array<{ sources: string; built_from: string | null }> }>(
      `SELECT ${SOURCES_SQL} AS sources, (SELECT built_from FROM reconcile_queue_state WHERE commune_code = :commune) AS built_from`,
      { commune: communeCode },
    )
    const { sources, built_from: builtFrom } = state!
    if (sources === builtFrom) return // rebuilt by another request
    await trx('reconcile_queue').where({ commune_code: communeCode }).delete()
    await trx.raw(queueRowsSql(''), { commune: communeCode })
    await trx.raw(
      `INSERT INTO reconcile_queue_state (commune_code, built_from, built_at) VALUES (?, ?, clock_timestamp())
       ON CONFLICT (commune_code) DO UPDATE SET built_from = excluded.built_from, built_at = excluded.built_at`,
      [communeCode, sources],
    )
  })
}

/**
 * Refreshes the queue rows of the given parcels and records (every link of each) inside the
 * caller's transaction, which must hold the commune's matching lock shared (decisions do).
 */
export async function refreshQueueRows(trx: Knex.Transaction, communeCode: string, parcelIds: number[], recordIds: number[]): Promise<void> {
  const parcels = [...new Set(parcelIds)]
  const records = [...new Set(recordIds)]
  if (parcels.length === 0 && records.length === 0) return
  const bindings = { commune: communeCode, parcels, records }
  await preparedRows(
    trx,
    'DELETE FROM reconcile_queue WHERE commune_code = :commune AND (parcel_id = ANY(CAST(:parcels AS bigint[])) OR record_id = ANY(CAST(:records AS bigint[])))',
    bindings,
  )
  await preparedRows(trx, queueRowsSql('AND (m.parcel_id = ANY(CAST(:parcels AS bigint[])) OR m.record_id = ANY(CAST(:records AS bigint[])))'), bindings)
}

/**
 * A decision that changed neither the parcel's links nor any record (accept, flag, reopen) moves
 * only the parcel's status, flag and version and its links' decided flag: its queue rows are
 * updated in place, as a CTE of the statement that settles the parcel (state.ts), reading the
 * parcel's new row from the CTE named `settled`. Same rows as refreshQueueRows would write.
 */
export const SETTLED_QUEUE_ROWS_CTE = `UPDATE reconcile_queue q
  SET status = settled.status, status_rank = array_position(${STATUS_RANK}, settled.status), flagged = settled.review_flag IS NOT NULL,
      parcel_version = settled.version, decided = true
  FROM settled WHERE q.commune_code = :commune AND q.parcel_id = :parcel`

/** For writers outside reconciliation: refresh in a transaction of their own making. */
export async function refreshQueueFor(trx: Knex.Transaction, communeCode: string, parcelIds: number[], recordIds: number[] = []): Promise<void> {
  await holdOffMatching(trx, communeCode)
  await refreshQueueRows(trx, communeCode, parcelIds, recordIds)
  // A change the queue's revision (sources, audit chain head, built_at) would not show otherwise.
  await trx('reconcile_queue_state').where({ commune_code: communeCode }).update({ built_at: trx.raw('clock_timestamp()') })
}
