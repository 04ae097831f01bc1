import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import type { Knex } from 'knex'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inject } from 'vitest'
import { upsertCommunes } from '../../src/communes/index.js'
import { appendEvents, canonicalJson, eventHash, GENESIS_HASH, verifyChain } from '../../src/reconcile/chain.js'
import { foldName } from '../../src/reconcile/index.js'
import { testDatabase } from '../helpers/db.js'

const db = testDatabase()
const knex = db.knex
const CODES = ['41100', '41101', '41102', '41103', '41104']

beforeAll(async () => {
  await upsertCommunes(knex, CODES.map((code) => ({ code, name: `Xã ${code}`, provinceCode: '52', srid: 9217 })))
})
afterAll(() => db.close())

/** Ten events on the commune's chain, appended in three transactions. */
async function chainOf(code: string): Promise<void> {
  for (const batch of [3, 5, 2]) {
    await knex.transaction((trx) =>
      appendEvents(
        trx,
        code,
        Array.from({ length: batch }, (_, i) => ({
          parcelId: 100 + i,
          recordId: i % 2 === 0 ? 200 + i : null,
          actorId: null,
          kind: 'accept',
          before: { status: 'matched', version: 1, area: 123.45, links: [{ recordId: 200 + i, category: 'matched' }] },
          after: { status: 'reconciled', version: 2, owner: 'Nguyễn Văn Đức' },
          reason: i === 0 ? 'Đúng với hồ sơ' : null,
        })),
      ),
    )
  }
}

/** Changes the table behind the triggers' back, as someone with database access could. */
async function tamper(sql: string, bindings: Knex.RawBinding[]): Promise<void> {
  await knex.transaction(async (trx) => {
    await trx.raw('ALTER TABLE reconciliation_events DISABLE TRIGGER USER')
    await trx.raw(sql, bindings)
    await trx.raw('ALTER TABLE reconciliation_events ENABLE TRIGGER USER')
  })
}

describe('canonical serialisation', () => {
  it('sorts keys at every depth, drops undefined, and keeps arrays in order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: null }], c: 'đ' }, u: undefined })).toBe('{"a":{"c":"đ","d":[3,{"y":null,"z":1}]},"b":1}')
    expect(canonicalJson(null)).toBe('null')
  })

  it('hashes every field: changing any one changes the hash', () => {
    const row = { commune_code: '41100', seq: 1, parcel_id: 1, record_id: null, actor_id: 7, kind: 'accept', before: { a: 1 }, after: { a: 2 }, reason: null, created_at: new Date('2026-01-02T03:04:05.678Z'), prev_hash: GENESIS_HASH }
    const hash = eventHash(row)
    expect(hash).toMatch(/^[0-9a-f]{64}$/)
    for (const change of [{ seq: 2 }, { parcel_id: 2 }, { actor_id: 8 }, { kind: 'flag' }, { before: { a: 3 } }, { reason: 'x' }, { created_at: new Date('2026-01-02T03:04:05.679Z') }, { prev_hash: 'f'.repeat(64) }]) {
      expect(eventHash({ ...row, ...change })).not.toBe(hash)
    }
  })
})

describe('the hash chain', () => {
  it('numbers events 1, 2, 3 … and links each to the previous one', async () => {
    await chainOf(CODES[0]!)
    const rows = await knex('reconciliation_events').where({ commune_code: CODES[0] }).orderBy('seq')
    expect(rows.map((r) => Number(r.seq))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    expect(rows[0].prev_hash).toBe(GENESIS_HASH)
    for (let i = 1; i < rows.length; i++) expect(rows[i].prev_hash).toBe(rows[i - 1].hash)
    expect(await verifyChain(knex, CODES[0]!)).toMatchObject({ ok: true, events: 10, head: { seq: 10, hash: rows[9].hash } })
  })

  it('detects an event edited with the triggers disabled', async () => {
    const code = CODES[1]!
    await chainOf(code)
    await tamper(`UPDATE reconciliation_events SET after = jsonb_set(after, '{status}', '"signed"') WHERE commune_code = ? AND seq = 4`, [code])
    expect(await verifyChain(knex, code)).toMatchObject({ ok: false, brokenAt: 4, events: 3, reason: expect.stringMatching(/altered/) })
  })

  it('detects an edit that recomputed the edited event’s own hash', async () => {
    const code = CODES[2]!
    await chainOf(code)
    const row = await knex('reconciliation_events').where({ commune_code: code, seq: 6 }).first()
    const forged = { ...row, reason: 'sửa lén' }
    await tamper('UPDATE reconciliation_events SET reason = ?, hash = ? WHERE commune_code = ? AND seq = 6', ['sửa lén', eventHash(forged), code])
    expect(await verifyChain(knex, code)).toMatchObject({ ok: false, brokenAt: 7, reason: expect.stringMatching(/prev_hash/) })
  })

  it('detects a deleted event, in the middle or at the end', async () => {
    const middle = CODES[3]!
    await chainOf(middle)
    await tamper('DELETE FROM reconciliation_events WHERE commune_code = ? AND seq = 5', [middle])
    expect(await verifyChain(knex, middle)).toMatchObject({ ok: false, brokenAt: 5, reason: expect.stringMatching(/missing/) })

    const end = CODES[4]!
    await chainOf(end)
    await tamper('DELETE FROM reconciliation_events WHERE commune_code = ? AND seq >= 9', [end])
    expect(await verifyChain(knex, end)).toMatchObject({ ok: false, brokenAt: 9, events: 8, reason: expect.stringMatching(/last events were deleted/) })
  })

  it('npm run audit:verify prints the report and exits 1 only when the chain is broken', async () => {
    const cli = (code: string) =>
      promisify(execFile)('npx', ['tsx', 'scripts/audit-verify.ts', '--commune', code], { env: { ...process.env, DATABASE_URL: inject('databaseUrl'), LOG_LEVEL: 'silent' } })
    const good = await cli(CODES[0]!)
    expect(good.stdout).toMatch(/nguyên vẹn, 10 sự kiện/)
    const bad = await cli(CODES[1]!).catch((e) => e)
    expect(bad.code).toBe(1)
    expect(bad.stdout).toMatch(/CHUỖI BỊ HỎNG tại sự kiện số 4/)
  }, 60_000)
})

describe('accent-insensitive names', () => {
  it('the database folds owner names exactly as the search text is folded', async () => {
    const names = ['Nguyễn Văn Đức', 'ĐẶNG THỊ  HỒNG', 'Trần   Thị Ánh ', 'Phạm Ngọc Ẩn', 'Hồ Thị Ửng', 'Lê Văn Ỷ', 'Ksor H\u0301en']
    for (const name of names) {
      const { rows } = await knex.raw('SELECT landbook_fold(?) AS f', [name])
      expect(rows[0].f, name).toBe(foldName(name))
    }
    expect(foldName('Nguyễn Văn Đức')).toBe('nguyen van duc')
    expect(foldName('Đặng Thị  Hồng')).toBe('dang thi hong')
  })
})
