/**
 * Clerks' decisions on a parcel (quyết định đối soát): accept as is, correct its record,
 * relink a record to another parcel, link or unlink a record (splits and merges), flag for a
 * field survey, reopen. Each is one transaction: wait for any matching run, lock the parcel,
 * check the version the clerk saw (409 with the current state when stale), change links and
 * records, mark the links decided, move the parcel's status and version, and append one event
 * to the commune's audit chain. Every statement is a prepared one (db/prepared.ts): an accept
 * is five round trips with BEGIN and COMMIT.
 */
import type { Knex } from 'knex'
import { normalizeCommuneCode } from '../communes/index.js'
import { Invalid } from '../errors.js'
import { appendEvents, type EventRow } from './chain.js'
import { correctedRecordId, correctRecord, type Correction } from './corrections.js'
import type { DecisionInput } from './input.js'
import { linkRecord, lockRecord, relinkRecord, unlinkRecord } from './links.js'
import { refreshQueueRows } from './queue-table.js'
import { signedParcelsChanged } from './signing-hook.js'
import { checkVersion, lockParcel, settleParcel, SIGNED_STATUSES, snapshot, type LockedParcel, type ParcelSnapshot, type ReviewFlag } from './state.js'

/** Who decides: the signed-in user (null only for work done by the system itself). */
export interface Actor {
  id: number | null
}

export interface EventView {
  seq: number
  kind: string
  parcelId: number | null
  recordId: number | null
  actorId: number | null
  before: unknown
  after: unknown
  reason: string | null
  createdAt: string
  prevHash: string
  hash: string
}

export interface DecisionResult {
  parcel: ParcelSnapshot
  /** The parcel a relink moved the record to. */
  target?: ParcelSnapshot
  event: EventView
}

export function eventView(row: EventRow): EventView {
  return {
    seq: Number(row.seq),
    kind: row.kind,
    parcelId: row.parcel_id === null ? null : Number(row.parcel_id),
    recordId: row.record_id === null ? null : Number(row.record_id),
    actorId: row.actor_id === null ? null : Number(row.actor_id),
    before: row.before,
    after: row.after,
    reason: row.reason,
    createdAt: new Date(row.created_at).toISOString(),
    prevHash: row.prev_hash,
    hash: row.hash,
  }
}

/** Decisions that change no link or record: the parcel's links before are those settling finds. */
const KEEPS_LINKS = new Set(['accept', 'flag', 'reopen'])

export async function decide(knex: Knex, code: string, parcelId: number, input: DecisionInput, actor: Actor): Promise<DecisionResult> {
  const commune = normalizeCommuneCode(code)
  return knex.transaction(async (trx) => {
    // Waits for any matching run of the commune, then locks the parcels (state.ts).
    const targetId = input.kind === 'relink' ? input.targetParcelId : null
    const { parcel, others } = await lockParcel(trx, commune, parcelId, targetId === null ? [] : [targetId])
    await checkVersion(trx, commune, parcel, input.version)
    let target: LockedParcel | undefined
    if (input.kind === 'relink') {
      target = others.get(input.targetParcelId)
      if (!target) throw new Invalid(`Không có thửa ${input.targetParcelId} trong xã ${commune} (no parcel ${input.targetParcelId} in this commune).`, { field: 'targetParcelId' })
      if (input.targetVersion !== undefined) await checkVersion(trx, commune, target, input.targetVersion, 'targetVersion')
    }

    const changed = KEEPS_LINKS.has(input.kind) ? undefined : await snapshot(trx, commune, parcel)
    const targetBefore = target ? await snapshot(trx, commune, target) : undefined
    let recordId: number | null = null
    let correction: Correction | undefined
    switch (input.kind) {
      case 'correct': {
        const record = await lockRecord(trx, commune, correctedRecordId(parcel.id, changed!.links, input.recordId))
        recordId = record.id
        correction = await correctRecord(trx, commune, parcel.id, record, input.changes, input.recordVersion)
        break
      }
      case 'link':
        recordId = (await lockRecord(trx, commune, input.recordId)).id
        await linkRecord(trx, commune, parcel.id, recordId)
        break
      case 'unlink':
        recordId = (await lockRecord(trx, commune, input.recordId)).id
        await unlinkRecord(trx, commune, parcel.id, recordId)
        break
      case 'relink':
        recordId = (await lockRecord(trx, commune, input.recordId)).id
        await relinkRecord(trx, commune, parcel.id, recordId, target!.id)
        break
      case 'accept':
      case 'flag':
      case 'reopen':
        break
    }

    const flag: ReviewFlag | null = input.kind === 'flag' ? { note: input.note, actorId: actor.id, at: new Date().toISOString() } : null
    // A decision that changed no link or record updates the parcel's queue rows as it settles.
    // ... and locks the audit chain head, which the event appended below needs.
    const settled = await settleParcel(trx, commune, parcel, input.kind, { flag, queueRows: changed === undefined, lockChainHead: true })
    const before = changed ?? settled.before
    const after = settled.after
    const targetAfter = target ? (await settleParcel(trx, commune, target, input.kind)).after : undefined
    if (changed !== undefined) await refreshQueueRows(trx, commune, target ? [parcel.id, target.id] : [parcel.id], recordId === null ? [] : [recordId])
    const signed = [parcel, target].filter((p): p is LockedParcel => p !== undefined && SIGNED_STATUSES.includes(p.status))
    if (signed.length > 0) await signedParcelsChanged(trx, commune, signed.map((p) => p.id))

    const [event] = await appendEvents(trx, commune, [
      {
        parcelId: parcel.id,
        recordId,
        actorId: actor.id,
        kind: input.kind,
        before: { ...before, ...(correction && { record: correction.before }), ...(targetBefore && { target: targetBefore }) },
        after: { ...after, ...(correction && { record: correction.after }), ...(targetAfter && { target: targetAfter }) },
        reason: input.kind === 'flag' ? input.note : (input.reason ?? null),
      },
    ], settled.head!)
    return { parcel: after, ...(targetAfter && { target: targetAfter }), event: eventView(event!) }
  })
}
