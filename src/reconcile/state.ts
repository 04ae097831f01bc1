/**
 * A parcel's reconciliation state (trạng thái đối soát) as decisions see it: the row locked
 * for the decision, its links (matches rows: one per record, or one with no record), and the
 * snapshot the audit event keeps before and after. Also the status a decision leads to.
 */
import type { Knex } from 'knex'
import { preparedRows } from '../db/index.js'
import { Conflict, NotFound } from '../errors.js'
import { existingCommune, matchingLockKey } from './commune.js'
import { LOCK_HEAD_SQL, type ChainHead } from './chain.js'
import { SETTLED_QUEUE_ROWS_CTE } from './queue-table.js'

export interface LockedParcel {
  id: number
  sheet_number: string
  parcel_number: string
  status: string
  version: number
  review_flag: ReviewFlag | null
}

export interface ReviewFlag {
  note: string
  actorId: number | null
  at: string
}

export interface Link {
  matchId: number
  recordId: number | null
  category: string
  decided: boolean
}

export interface ParcelSnapshot {
  parcelId: number
  status: string
  version: number
  flag: string | null
  links: Link[]
}

/** Statuses a signature covers: a decision on such a parcel reopens it. */
export const SIGNED_STATUSES = ['signed', 'synced']

/**
 * Locks the parcels (in id order, so two decisions never wait on each other in a cycle), after
 * taking the commune's matching lock shared (commune.ts): the one-time filter takes it before
 * the scan, so a decision waits for a matching run before it locks any row, as a run does.
 */
export async function lockParcels(trx: Knex.Transaction, communeCode: string, ids: number[]): Promise<Map<number, LockedParcel>> {
  const rows = await preparedRows<LockedParcel>(
    trx,
    `SELECT id, sheet_number, parcel_number, status, version, review_flag FROM parcels
     WHERE commune_code = :commune AND id = ANY(CAST(:ids AS bigint[]))
       AND (SELECT true FROM pg_advisory_xact_lock_shared(hashtext(:matchingLock)))
     ORDER BY id FOR UPDATE`,
    { commune: communeCode, ids: [...new Set(ids)].sort((a, b) => a - b), matchingLock: matchingLockKey(communeCode) },
  )
  return new Map(rows.map((r) => [Number(r.id), r]))
}

/** The parcel named in the URL, locked; NotFound when the commune has no such parcel, or no such commune exists. */
export async function lockParcel(trx: Knex.Transaction, communeCode: string, parcelId: number, also: number[] = []): Promise<{ parcel: LockedParcel; others: Map<number, LockedParcel> }> {
  const locked = await lockParcels(trx, communeCode, [parcelId, ...also])
  const parcel = locked.get(parcelId)
  if (!parcel) {
    await existingCommune(trx, communeCode)
    throw new NotFound(`Không có thửa ${parcelId} trong xã ${communeCode} (no parcel ${parcelId} in this commune).`, { field: 'id' })
  }
  return { parcel, others: locked }
}

export async function linksOf(db: Knex | Knex.Transaction, communeCode: string, parcelId: number): Promise<Link[]> {
  const rows = await preparedRows<{ id: number; record_id: number | null; category: string; decided: boolean }>(
    db,
    'SELECT id, record_id, category, decided FROM matches WHERE commune_code = :commune AND parcel_id = :parcel ORDER BY id',
    { commune: communeCode, parcel: parcelId },
  )
  return rows.map((r) => ({ matchId: Number(r.id), recordId: r.record_id === null ? null : Number(r.record_id), category: r.category, decided: r.decided }))
}

export async function snapshot(db: Knex | Knex.Transaction, communeCode: string, parcel: Pick<LockedParcel, 'id' | 'status' | 'version' | 'review_flag'>): Promise<ParcelSnapshot> {
  return { parcelId: Number(parcel.id), status: parcel.status, version: parcel.version, flag: parcel.review_flag?.note ?? null, links: await linksOf(db, communeCode, Number(parcel.id)) }
}

/** 409 with the parcel's current state when the clerk decided on an older version. */
export async function checkVersion(trx: Knex.Transaction, communeCode: string, parcel: LockedParcel, expected: number, field = 'version'): Promise<void> {
  if (parcel.version === expected) return
  throw new Conflict(
    `Thửa ${parcel.sheet_number}/${parcel.parcel_number} (mã ${parcel.id}) vừa được người khác thay đổi (phiên bản ${parcel.version}, bạn đang xem phiên bản ${expected}); hãy tải lại rồi quyết định lại (the parcel changed since you loaded it).`,
    { field },
    { current: await snapshot(trx, communeCode, parcel) },
  )
}

/**
 * Where a decision leaves a parcel: flag and reopen send it back for review; a signed parcel
 * changed by any decision needs review (and signing) again; a parcel left without any record
 * by unlink or relink needs a decision of its own; otherwise it is reconciled.
 */
export function nextStatus(previous: string, kind: string, hasRecord: boolean): string {
  if (kind === 'flag' || kind === 'reopen') return 'needs_review'
  if (SIGNED_STATUSES.includes(previous)) return 'needs_review'
  if (!hasRecord && (kind === 'unlink' || kind === 'relink')) return 'needs_review'
  return 'reconciled'
}

/**
 * Marks the parcel's links decided (matching leaves them alone from now on) and moves its
 * status and version, in one statement; with `queueRows`, for a decision that changed no link
 * or record, its queue rows too; with `lockChainHead`, it also locks the commune's audit chain
 * head (chain.ts) and returns it. Returns the parcel's snapshot before (as of this statement:
 * after any link change the decision made) and after.
 */
export async function settleParcel(
  trx: Knex.Transaction,
  communeCode: string,
  parcel: LockedParcel,
  kind: string,
  options: { flag?: ReviewFlag | null; queueRows?: boolean; lockChainHead?: boolean } = {},
): Promise<{ before: ParcelSnapshot; after: ParcelSnapshot; head: ChainHead | null }> {
  const flag = options.flag ?? null
  const [row] = await preparedRows<{ status: string; version: number; review_flag: ReviewFlag | null; links: Link[]; head_seq: number | null; head_hash: string | null }>(
    trx,
    `WITH decided AS (
       UPDATE matches SET decided = true WHERE commune_code = :commune AND parcel_id = :parcel AND NOT decided RETURNING id
     ), links AS (
       SELECT id, record_id, category, decided FROM matches WHERE commune_code = :commune AND parcel_id = :parcel
     ), settled AS (
       UPDATE parcels
       SET status = CASE WHEN EXISTS (SELECT 1 FROM links WHERE record_id IS NOT NULL) THEN :withRecord ELSE :withoutRecord END,
           version = version + 1, review_flag = CAST(:flag AS jsonb), updated_at = now()
       WHERE commune_code = :commune AND id = :parcel
       RETURNING status, version, review_flag
     )${options.queueRows ? `, queued AS (${SETTLED_QUEUE_ROWS_CTE})` : ''}${options.lockChainHead ? `, head AS (${LOCK_HEAD_SQL})` : ''}
     SELECT settled.*, (SELECT COALESCE(json_agg(json_build_object('matchId', id, 'recordId', record_id, 'category', category, 'decided', decided) ORDER BY id), '[]')
                        FROM links) AS links,
            ${options.lockChainHead ? '(SELECT seq FROM head) AS head_seq, (SELECT hash FROM head) AS head_hash' : 'NULL AS head_seq, NULL AS head_hash'}
     FROM settled`,
    {
      commune: communeCode,
      parcel: parcel.id,
      withRecord: nextStatus(parcel.status, kind, true),
      withoutRecord: nextStatus(parcel.status, kind, false),
      flag: flag ? JSON.stringify(flag) : null,
    },
  )
  // The links as this statement found them; all decided now.
  const links = row!.links
  return {
    before: { parcelId: Number(parcel.id), status: parcel.status, version: parcel.version, flag: parcel.review_flag?.note ?? null, links },
    after: { parcelId: Number(parcel.id), status: row!.status, version: row!.version, flag: row!.review_flag?.note ?? null, links: links.map((l) => ({ ...l, decided: true })) },
    head: row!.head_hash === null ? null : { seq: Number(row!.head_seq), hash: row!.head_hash },
  }
}
