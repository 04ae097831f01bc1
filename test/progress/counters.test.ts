/**
 * The progress counters kept by triggers agree with the tables through every kind of write:
 * COPY-sized inserts, status updates, cascaded deletes, rolled-back transactions, TRUNCATE, and
 * folding the deltas into the base. In a database of its own (TRUNCATE would wipe other files' data).
 */
import type { Knex } from 'knex'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrateToLatest } from '../../src/db/index.js'
import { ensureParcelPartition } from '../../src/imports/index.js'
import { countFromTables, foldDeltas, readCounters } from '../../src/progress/index.js'
import { freshDatabase } from '../helpers/fresh-database.js'

const A = '44300'
const B = '44301'
let fresh: Awaited<ReturnType<typeof freshDatabase>>
let knex: Knex

beforeAll(async () => {
  fresh = await freshDatabase()
  knex = fresh.knex
  await migrateToLatest(knex)
  await knex('communes').insert([A, B].map((code) => ({ code, name: `Xã đếm ${code}`, province_code: '64', srid: 9218 })))
  // Parcels are partitioned by commune; the import makes a commune's partition, these rows don't come through it.
  for (const code of [A, B]) await ensureParcelPartition(knex, code)
})
afterAll(() => fresh?.close())

/** Inserts n square parcels (10 m) into the commune, in one statement. */
async function addParcels(commune: string, n: number, status = 'imported'): Promise<number[]> {
  const { rows } = await knex.raw(
    `INSERT INTO parcels (commune_code, sheet_number, parcel_number, geom, srid, area_m2, status)
     SELECT ?, '1', CAST(i AS text), ST_Multi(ST_MakeEnvelope(500000 + 10 * i, 1500000, 500010 + 10 * i, 1500010, 9218)), 9218, 100, ?
     FROM generate_series(1, ?) i RETURNING id`,
    [commune, status, n],
  )
  return rows.map((r: { id: number }) => Number(r.id))
}

/** What the counters say, as (commune, metric) → n, zeros left out. */
async function counters(): Promise<Record<string, number>> {
  const rows = await readCounters(knex, [A, B])
  return Object.fromEntries(rows.filter((r) => Number(r.n) !== 0).map((r) => [`${r.commune_code} ${r.metric}`, Number(r.n)]))
}

async function truth(): Promise<Record<string, number>> {
  return Object.fromEntries((await countFromTables(knex, [A, B])).map((r) => [`${r.commune_code} ${r.metric}`, Number(r.n)]))
}

describe('progress counters', () => {
  it('follow inserts, updates and deletes, one delta row per statement and metric', async () => {
    const ids = await addParcels(A, 50)
    await addParcels(B, 20, 'matched')
    expect(await counters()).toEqual({ [`${A} status:imported`]: 50, [`${B} status:matched`]: 20 })
    const { rows: [{ n }] } = await knex.raw('SELECT count(*)::int AS n FROM progress_counter_deltas WHERE commune_code = ?', [A])
    expect(n).toBe(1)

    await knex('parcels').where({ commune_code: A }).whereIn('id', ids.slice(0, 10)).update({ status: 'matched' })
    await knex('parcels').where({ commune_code: A }).whereIn('id', ids.slice(0, 4)).update({ status: 'reconciled' })
    await knex('parcels').where({ commune_code: A }).update({ version: 2 }) // no status change: no delta
    await knex('attribute_records').insert([1, 2, 3].map((i) => ({ commune_code: A, sheet_number: '1', parcel_number: String(i) })))
    await knex('matches').insert(ids.slice(0, 10).map((id) => ({ commune_code: A, parcel_id: id, category: 'matched' })))
    await knex('matches').where({ commune_code: A }).whereIn('parcel_id', ids.slice(0, 2)).update({ category: 'area_mismatch' })
    expect(await counters()).toEqual(await truth())
    expect(await counters()).toMatchObject({ [`${A} status:imported`]: 40, [`${A} status:matched`]: 6, [`${A} status:reconciled`]: 4, [`${A} records`]: 3, [`${A} category:matched`]: 8, [`${A} category:area_mismatch`]: 2 })

    // Deleting parcels cascades to their matches; both tables' counters follow.
    await knex('parcels').where({ commune_code: A }).whereIn('id', ids.slice(0, 5)).delete()
    expect(await counters()).toEqual(await truth())
    expect((await counters())[`${A} category:matched`]).toBe(5)
  })

  it('keep nothing of a rolled-back transaction', async () => {
    const before = await counters()
    await expect(
      knex.transaction(async (trx) => {
        await trx.raw(`UPDATE parcels SET status = 'signed' WHERE commune_code = ?`, [B])
        throw new Error('bỏ')
      }),
    ).rejects.toThrow('bỏ')
    expect(await counters()).toEqual(before)
  })

  it('fold their deltas into the base without changing what is read', async () => {
    const before = await counters()
    expect(await foldDeltas(knex)).toBeGreaterThan(0)
    const { rows: [{ n }] } = await knex.raw('SELECT count(*)::int AS n FROM progress_counter_deltas')
    expect(n).toBe(0)
    expect(await counters()).toEqual(before)
    await addParcels(B, 5, 'matched')
    expect(await counters()).toEqual(await truth())
  })

  it('roll the audit events up per Vietnam day and kind, with the net change at each stage', async () => {
    const event = (seq: number, createdAt: string, kind: string, before: string | null, after: string | null, target?: [string, string]) => ({
      commune_code: B, seq, kind, prev_hash: '0', hash: String(seq), created_at: createdAt,
      before: JSON.stringify({ status: before, ...(target && { target: { status: target[0] } }) }),
      after: JSON.stringify({ status: after, ...(target && { target: { status: target[1] } }) }),
    })
    // 17:30 UTC on 1 January is 00:30 on 2 January in Vietnam.
    await knex('reconciliation_events').insert([
      event(1, '2026-01-01T09:00:00Z', 'accept', 'matched', 'reconciled'),
      event(2, '2026-01-01T10:00:00Z', 'accept', 'needs_review', 'reconciled'),
      event(3, '2026-01-01T17:30:00Z', 'reopen', 'signed', 'needs_review'),
    ])
    await knex('reconciliation_events').insert(event(4, '2026-01-02T02:00:00Z', 'relink', 'reconciled', 'needs_review', ['matched', 'reconciled']))
    const { rows } = await knex.raw(
      `SELECT CAST(day AS text) AS day, kind, n::int, reconciled::int, signed::int, synced::int FROM progress_daily_events WHERE commune_code = ? ORDER BY day, kind`,
      [B],
    )
    expect(rows).toEqual([
      { day: '2026-01-01', kind: 'accept', n: 2, reconciled: 2, signed: 0, synced: 0 },
      { day: '2026-01-02', kind: 'relink', n: 1, reconciled: 0, signed: 0, synced: 0 },
      { day: '2026-01-02', kind: 'reopen', n: 1, reconciled: -1, signed: -1, synced: 0 },
    ])
  })

  it('start again from zero after TRUNCATE', async () => {
    await knex.raw('TRUNCATE matches')
    expect(await counters()).toEqual(await truth())
    await knex.raw('TRUNCATE parcels CASCADE')
    expect(await counters()).toEqual({ [`${A} records`]: 3 })
    await addParcels(A, 3)
    expect(await counters()).toEqual({ [`${A} records`]: 3, [`${A} status:imported`]: 3 })
  })
})
