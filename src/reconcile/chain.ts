/**
 * The audit chain (chuỗi nhật ký đối soát): every decision appends one row to
 * `reconciliation_events`, numbered per commune (seq 1, 2, 3 …) and hash-chained.
 *
 * hash = SHA-256 (hex) of the UTF-8 canonical JSON of
 *   { commune_code, seq, parcel_id, record_id, actor_id, kind, before, after, reason, created_at, prev_hash }
 * where canonical JSON has object keys sorted (by UTF-16 code units, at every depth), no
 * whitespace, and JSON.stringify's numbers and strings (RFC 8785 for the values stored here);
 * created_at is ISO 8601 UTC with milliseconds; prev_hash is the previous event's hash, 64
 * zeros for seq 1. Every field of the row is covered, so any edit shows.
 *
 * Appends lock the commune's row in `reconciliation_heads` (seq and hash of the last event)
 * for the rest of the transaction, so concurrent decisions in a commune queue there and the
 * chain never forks; the head also shows when events were deleted from the end.
 */
import { createHash } from 'node:crypto'
import type { Knex } from 'knex'
import { preparedRows } from '../db/index.js'

export const GENESIS_HASH = '0'.repeat(64)

/** An event as a decision describes it; the chain adds seq, created_at and the hashes. */
export interface NewEvent {
  parcelId: number | null
  recordId: number | null
  actorId: number | null
  kind: string
  before: unknown
  after: unknown
  reason: string | null
}

/** A stored event, as read back from the table. */
export interface EventRow {
  commune_code: string
  seq: number
  parcel_id: number | null
  record_id: number | null
  actor_id: number | null
  kind: string
  before: unknown
  after: unknown
  reason: string | null
  created_at: Date | string
  prev_hash: string
  hash: string
}

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null)
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
}

/** The hash of a row: every column but `hash` itself, canonically serialised. */
export function eventHash(row: Omit<EventRow, 'hash'>): string {
  const createdAt = row.created_at instanceof Date ? row.created_at.toISOString() : new Date(row.created_at).toISOString()
  const body = canonicalJson({
    commune_code: row.commune_code,
    seq: Number(row.seq),
    parcel_id: row.parcel_id,
    record_id: row.record_id,
    actor_id: row.actor_id,
    kind: row.kind,
    before: row.before,
    after: row.after,
    reason: row.reason,
    created_at: createdAt,
    prev_hash: row.prev_hash,
  })
  return createHash('sha256').update(body, 'utf8').digest('hex')
}

/** The last event of a commune's chain, as its head row keeps it (seq 0 and 64 zeros before the first). */
export interface ChainHead {
  seq: number
  hash: string
}

/**
 * Locks the commune's chain head for the rest of the transaction, creating it at the commune's
 * first event (ON CONFLICT DO UPDATE locks the row), and returns it. A statement of its own, or
 * a CTE of a statement doing other work at the same point (state.ts settles a parcel with it).
 */
export const LOCK_HEAD_SQL = `INSERT INTO reconciliation_heads (commune_code, seq, hash) VALUES (:commune, 0, '${GENESIS_HASH}')
  ON CONFLICT (commune_code) DO UPDATE SET commune_code = excluded.commune_code
  RETURNING seq, hash`

/**
 * Appends events to the commune's chain inside the caller's transaction and returns them as
 * stored. Take this last in a decision (after the parcel locks): the head stays locked until
 * the transaction ends. `head`: the caller locked it already (LOCK_HEAD_SQL) in this transaction.
 */
export async function appendEvents(trx: Knex.Transaction, communeCode: string, events: NewEvent[], locked?: ChainHead): Promise<EventRow[]> {
  if (events.length === 0) return []
  const head = locked ?? (await preparedRows<ChainHead>(trx, LOCK_HEAD_SQL, { commune: communeCode }))[0]
  // Milliseconds, as JavaScript keeps them: the stored timestamp reads back identical.
  const createdAt = new Date()
  let seq = Number(head!.seq)
  let prevHash = head!.hash
  const rows: EventRow[] = events.map((e) => {
    const unhashed = {
      commune_code: communeCode,
      seq: ++seq,
      parcel_id: e.parcelId,
      record_id: e.recordId,
      actor_id: e.actorId,
      kind: e.kind,
      // Through JSON once: what is hashed is exactly what jsonb stores and gives back.
      before: e.before === undefined ? null : JSON.parse(JSON.stringify(e.before)),
      after: e.after === undefined ? null : JSON.parse(JSON.stringify(e.after)),
      reason: e.reason,
      created_at: createdAt,
      prev_hash: prevHash,
    }
    const row = { ...unhashed, hash: eventHash(unhashed) }
    prevHash = row.hash
    return row
  })
  // Each batch of events and the head in one statement.
  for (let i = 0; i < rows.length; i += 500) {
    const batch = rows.slice(i, i + 500)
    const last = batch[batch.length - 1]!
    await preparedRows(
      trx,
      `WITH appended AS (
         INSERT INTO reconciliation_events (commune_code, seq, parcel_id, record_id, actor_id, kind, before, after, reason, created_at, prev_hash, hash)
         SELECT commune_code, seq, parcel_id, record_id, actor_id, kind, before, after, reason, created_at, prev_hash, hash
         FROM jsonb_to_recordset(CAST(:events AS jsonb)) AS e(commune_code text, seq bigint, parcel_id bigint, record_id bigint, actor_id bigint,
           kind text, before jsonb, after jsonb, reason text, created_at timestamptz, prev_hash text, hash text)
         ORDER BY seq
       )
       UPDATE reconciliation_heads SET seq = :seq, hash = :hash, updated_at = now() WHERE commune_code = :commune`,
      { events: JSON.stringify(batch), seq: last.seq, hash: last.hash, commune: communeCode },
    )
  }
  return rows
}

export interface ChainReport {
  commune: string
  ok: boolean
  /** Events checked. */
  events: number
  /** The seq where the chain first breaks. */
  brokenAt?: number
  reason?: string
  head: { seq: number; hash: string } | null
}

/**
 * Recomputes every hash of the commune's chain from the stored rows, in seq order, and checks
 * the numbering, the links and the head. Reads in pages, so a long chain never sits in memory.
 */
export async function verifyChain(knex: Knex, communeCode: string): Promise<ChainReport> {
  const head = await knex('reconciliation_heads').where({ commune_code: communeCode }).first('seq', 'hash')
  const headView = head ? { seq: Number(head.seq), hash: head.hash as string } : null
  const broken = (events: number, brokenAt: number, reason: string): ChainReport => ({ commune: communeCode, ok: false, events, brokenAt, reason, head: headView })
  let expectedSeq = 1
  let prevHash = GENESIS_HASH
  let checked = 0
  for (;;) {
    const page: EventRow[] = await knex('reconciliation_events').where({ commune_code: communeCode }).andWhere('seq', '>=', expectedSeq).orderBy('seq').limit(5000)
    for (const row of page) {
      const seq = Number(row.seq)
      if (seq !== expectedSeq) {
        return broken(checked, expectedSeq, `Thiếu sự kiện số ${expectedSeq} (đến số ${seq - 1}): đã bị xóa (event ${expectedSeq} is missing: deleted).`)
      }
      if (row.prev_hash !== prevHash) {
        return broken(checked, seq, `Sự kiện số ${seq} không nối với sự kiện trước (prev_hash differs from the previous event's hash).`)
      }
      if (eventHash(row) !== row.hash) {
        return broken(checked, seq, `Sự kiện số ${seq} đã bị sửa sau khi ghi: mã băm không khớp nội dung (event ${seq} was altered: its hash does not match its content).`)
      }
      prevHash = row.hash
      expectedSeq++
      checked++
    }
    if (page.length < 5000) break
  }
  const lastSeq = expectedSeq - 1
  if (headView === null) {
    if (checked > 0) return broken(checked, 1, 'Không có đầu chuỗi cho xã này dù đã có sự kiện (the chain head is missing).')
  } else if (headView.seq !== lastSeq || headView.hash !== prevHash) {
    return broken(
      checked,
      Math.min(headView.seq, lastSeq) + 1,
      headView.seq > lastSeq
        ? `Các sự kiện sau số ${lastSeq} (đến số ${headView.seq}) đã bị xóa (the last events were deleted).`
        : `Đầu chuỗi không khớp sự kiện cuối cùng (số ${lastSeq}) (the chain head does not match the last event).`,
    )
  }
  return { commune: communeCode, ok: true, events: checked, head: headView }
}
