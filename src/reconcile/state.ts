/**
 * A parcel's reconciliation state (trạng thái đối soát) as decisions see it: the row locked
 * for the decision, its links (matches rows: one per record, or one with no record), and the
 * snapshot the audit event keeps before and after. Also the status a decision leads to.
 */
import type { Knex } from 'knex'
import { Conflict, NotFound } from '../errors.js'

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

/** Locks the parcels (in id order, so two decisions never wait on each other in a cycle). */
export async function lockParcels(trx: Knex.Transaction, communeCode: string, ids: number[]): Promise<Map<number, LockedParcel>> {
  const { rows } = await trx.raw<{ rows: LockedParcel[] }>(
    `SELECT id, sheet_number, parcel_number, status, version, review_flag FROM parcels
     WHERE commune_code = ? AND id = ANY(?::bigint[]) ORDER BY id FOR UPDATE`,
    [communeCode, [...new Set(ids)].sort((a, b) => a - b)],
  )
  return new Map(rows.map((r) => [Number(r.id), r]))
}

/** The parcel named in the URL, locked; NotFound when the commune has no such parcel. */
export async function lockParcel(trx: Knex.Transaction, communeCode: string, parcelId: number, also: number[] = []): Promise<{ parcel: LockedParcel; others: Map<number, LockedParcel> }> {
  const locked = await lockParcels(trx, communeCode, [parcelId, ...also])
  const parcel = locked.get(parcelId)
  if (!parcel) throw new NotFound(`Không có thửa ${parcelId} trong xã ${communeCode} (no parcel ${parcelId} in this commune).`, { field: 'id' })
  return { parcel, others: locked }
}

export async function linksOf(db: Knex | Knex.Transaction, communeCode: string, parcelId: number): Promise<Link[]> {
  const { rows } = await db.raw<{ rows: Array<{ id: number; record_id: number | null; category: string; decided: boolean }> }>(
    'SELECT id, record_id, category, decided FROM matches WHERE commune_code = ? AND parcel_id = ? ORDER BY id',
    [communeCode, parcelId],
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
 * status and version; returns its new snapshot.
 */
export async function settleParcel(
  trx: Knex.Transaction,
  communeCode: string,
  parcel: LockedParcel,
  kind: string,
  flag: ReviewFlag | null = null,
): Promise<ParcelSnapshot> {
  await trx.raw('UPDATE matches SET decided = true WHERE commune_code = ? AND parcel_id = ? AND NOT decided', [communeCode, parcel.id])
  const links = await linksOf(trx, communeCode, parcel.id)
  const status = nextStatus(parcel.status, kind, links.some((l) => l.recordId !== null))
  const { rows: [row] } = await trx.raw<{ rows: LockedParcel[] }>(
    `UPDATE parcels SET status = ?, version = version + 1, review_flag = ?::jsonb, updated_at = now()
     WHERE commune_code = ? AND id = ? RETURNING id, status, version, review_flag`,
    [status, flag ? JSON.stringify(flag) : null, communeCode, parcel.id],
  )
  return { parcelId: Number(parcel.id), status: row!.status, version: row!.version, flag: row!.review_flag?.note ?? null, links }
}
