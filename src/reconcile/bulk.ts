/**
 * Bulk accept (chấp nhận hàng loạt): every parcel of a sheet, or of the whole commune, that
 * matching found `matched` and no clerk has decided yet, accepted in one transaction.
 *
 * One event per parcel, not one event listing them: each parcel's history stays one indexed
 * lookup, verification stays the same per-row check, and a later decision on one of the parcels
 * reads like any other. The chain is computed in memory and inserted 500 rows at a time, so a
 * whole commune (~7,400 parcels) is a few hundred milliseconds on a server.
 */
import type { Knex } from 'knex'
import { appendEvents } from './chain.js'
import { existingCommune, holdOffMatching } from './commune.js'
import type { Actor } from './decisions.js'
import { keyNumber } from './fold.js'
import { refreshQueueRows } from './queue-table.js'
import type { BulkAcceptInput } from './input.js'

export interface BulkAcceptResult {
  commune: string
  sheet: string | null
  accepted: number
  /** The seq range of the events written (none when nothing was accepted). */
  events: { first: number; last: number } | null
}

interface Candidate {
  id: number
  status: string
  version: number
  match_id: number
  record_id: number | null
}

export async function bulkAccept(knex: Knex, code: string, input: BulkAcceptInput, actor: Actor): Promise<BulkAcceptResult> {
  const commune = await existingCommune(knex, code)
  const sheet = input.sheet ? keyNumber(input.sheet) : null
  return knex.transaction(async (trx) => {
    await holdOffMatching(trx, commune)
    // Matched, undecided, still at the matching stage; locked in id order like single decisions.
    const { rows } = await trx.raw<{ rows: Candidate[] }>(
      `SELECT p.id, p.status, p.version, m.id AS match_id, m.record_id
       FROM parcels p JOIN matches m ON m.commune_code = p.commune_code AND m.parcel_id = p.id
       WHERE p.commune_code = ? AND (CAST(? AS text) IS NULL OR p.sheet_number = ?)
         AND m.category = 'matched' AND NOT m.decided AND p.status IN ('matched', 'needs_review')
         AND NOT EXISTS (SELECT 1 FROM matches o WHERE o.commune_code = p.commune_code AND o.parcel_id = p.id AND o.id <> m.id)
       ORDER BY p.id
       FOR UPDATE OF p`,
      [commune, sheet, sheet],
    )
    if (rows.length === 0) return { commune, sheet, accepted: 0, events: null }
    const ids = rows.map((r) => Number(r.id))
    await trx.raw('UPDATE matches SET decided = true WHERE commune_code = ? AND id = ANY(?::bigint[])', [commune, rows.map((r) => r.match_id)])
    await trx.raw(
      `UPDATE parcels SET status = 'reconciled', version = version + 1, review_flag = NULL, updated_at = now()
       WHERE commune_code = ? AND id = ANY(?::bigint[])`,
      [commune, ids],
    )
    await refreshQueueRows(trx, commune, ids, [])
    const reason = input.reason ?? null
    const events = await appendEvents(
      trx,
      commune,
      rows.map((r) => {
        const link = { matchId: Number(r.match_id), recordId: r.record_id === null ? null : Number(r.record_id), category: 'matched' }
        return {
          parcelId: Number(r.id),
          recordId: link.recordId,
          actorId: actor.id,
          kind: 'accept',
          before: { parcelId: Number(r.id), status: r.status, version: r.version, flag: null, links: [{ ...link, decided: false }] },
          after: { parcelId: Number(r.id), status: 'reconciled', version: r.version + 1, flag: null, links: [{ ...link, decided: true }], bulk: { sheet } },
          reason,
        }
      }),
    )
    return { commune, sheet, accepted: rows.length, events: { first: Number(events[0]!.seq), last: Number(events.at(-1)!.seq) } }
  })
}
