import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '../../src/auth/index.js'
import { Conflict, Invalid, NotFound } from '../../src/errors.js'
import { matchCommune } from '../../src/matching/index.js'
import { bulkAccept, decide, decisionInput, verifyChain, type Actor } from '../../src/reconcile/index.js'
import { rebuildQueue } from '../../src/reconcile/queue-table.js'
import { testDatabase } from '../helpers/db.js'
import { matchedProvince, parcelsIn } from '../helpers/matched-commune.js'
import type { TestProvince } from '../helpers/province.js'

const db = testDatabase()
const knex = db.knex
let province: TestProvince
let code: string
let other: string
let clerk: Actor

beforeAll(async () => {
  province = await matchedProvince(knex, { firstCode: 41000, communes: 2, parcelsPerCommune: 1200, seed: 17 })
  ;[code, other] = province.codes as [string, string]
  const user = await createUser(knex, { username: `clerk-41000-${Date.now()}`, password: 'mat-khau-thu-nghiem', role: 'clerk', communes: [code] })
  clerk = { id: user.id }
  await rebuildQueue(knex, code) // built before the decisions, so their refreshes are tested below
})
afterAll(async () => {
  province?.cleanUp()
  await db.close()
})

const parcel = (id: number) => knex('parcels').where({ commune_code: code, id }).first('id', 'status', 'version', 'review_flag', 'sheet_number')
const links = (id: number) => knex('matches').where({ commune_code: code, parcel_id: id }).orderBy('id').select('record_id', 'category', 'decided')
const recordLinks = (id: number) => knex('matches').where({ commune_code: code, record_id: id }).orderBy('id').select('parcel_id', 'category', 'decided')
const eventCount = async () => Number((await knex('reconciliation_events').where({ commune_code: code }).count({ n: '*' }))[0]!.n)
const decision = (body: unknown) => decisionInput.parse(body)

/** A record without a parcel (planted wrong parcel number) and the parcel it really belongs to. */
async function wrongNumberPair(index = 0): Promise<{ recordId: number; parcelId: number }> {
  const item = province.truth(code).planted.filter((p) => p.kind === 'wrong_parcel_number')[index]!
  const [[s, typed], [, real]] = item.keys as [[number, number], [number, number]]
  const record = await knex('attribute_records').where({ commune_code: code, sheet_number: `${s}`, parcel_number: `${typed}` }).first('id')
  const target = await knex('parcels').where({ commune_code: code, sheet_number: `${s}`, parcel_number: `${real}` }).first('id')
  return { recordId: Number(record.id), parcelId: Number(target.id) }
}

describe('accept', () => {
  it('reconciles the parcel, marks its link decided, bumps the version and appends a hashed event', async () => {
    const [id] = await parcelsIn(knex, code, 'area_mismatch')
    const events = await eventCount()
    const result = await decide(knex, code, id!, decision({ kind: 'accept', version: 1, reason: 'Diện tích đo mới đúng' }), clerk)
    expect(result.parcel).toMatchObject({ parcelId: id, status: 'reconciled', version: 2 })
    expect(await parcel(id!)).toMatchObject({ status: 'reconciled', version: 2 })
    expect(await links(id!)).toEqual([expect.objectContaining({ category: 'area_mismatch', decided: true })])
    expect(result.event).toMatchObject({ seq: events + 1, kind: 'accept', parcelId: id, actorId: clerk.id, reason: 'Diện tích đo mới đúng' })
    expect(result.event.before).toMatchObject({ status: 'needs_review', version: 1, links: [{ category: 'area_mismatch', decided: false }] })
    expect(result.event.after).toMatchObject({ status: 'reconciled', version: 2 })
    expect(result.event.hash).toMatch(/^[0-9a-f]{64}$/)
    expect(await eventCount()).toBe(events + 1)
  })

  it('refuses a stale version with 409 and the current state, and changes nothing', async () => {
    const [id] = await parcelsIn(knex, code, 'landuse_mismatch')
    await decide(knex, code, id!, decision({ kind: 'accept', version: 1 }), clerk)
    const events = await eventCount()
    const error = await decide(knex, code, id!, decision({ kind: 'flag', version: 1, note: 'đo lại' }), clerk).catch((e) => e)
    expect(error).toBeInstanceOf(Conflict)
    expect(error.message).toMatch(/phiên bản 2/)
    expect(error.extra.current).toMatchObject({ parcelId: id, status: 'reconciled', version: 2 })
    expect(await parcel(id!)).toMatchObject({ status: 'reconciled', version: 2, review_flag: null })
    expect(await eventCount()).toBe(events)
  })

  it('lets one of two clerks deciding on the same version win; the other gets 409', async () => {
    const [id] = await parcelsIn(knex, code, 'matched')
    const outcomes = await Promise.allSettled([
      decide(knex, code, id!, decision({ kind: 'accept', version: 1 }), clerk),
      decide(knex, code, id!, decision({ kind: 'flag', version: 1, note: 'Ranh giới chưa rõ' }), clerk),
    ])
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1)
    const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected')
    expect(rejected).toHaveLength(1)
    expect(rejected[0]!.reason).toBeInstanceOf(Conflict)
    expect((await parcel(id!))!.version).toBe(2)
  })

  it('is left alone by later matching runs', async () => {
    const [id] = await parcelsIn(knex, code, 'area_mismatch')
    await decide(knex, code, id!, decision({ kind: 'accept', version: 1 }), clerk)
    await knex('parcels').where({ commune_code: code, id }).update({ updated_at: knex.fn.now() })
    await matchCommune(knex, code)
    expect(await parcel(id!)).toMatchObject({ status: 'reconciled', version: 2 })
    expect(await links(id!)).toEqual([expect.objectContaining({ category: 'area_mismatch', decided: true })])
  })
})

describe('correct', () => {
  it('corrects the record, keeps the values before and after in the event, and compares again', async () => {
    const [id] = await parcelsIn(knex, code, 'area_mismatch')
    const area = (await knex('parcels').where({ commune_code: code, id }).first('area_m2')).area_m2 as number
    const [link] = await links(id!)
    const before = await knex('attribute_records').where({ commune_code: code, id: link.record_id }).first('legal_area_m2', 'owner_name', 'version')
    const result = await decide(
      knex, code, id!,
      decision({ kind: 'correct', version: 1, reason: 'Sai khi nhập sổ: diện tích theo GCN', changes: { legalAreaM2: Math.round(area * 10) / 10, ownerName: ' Nguyễn Văn Đức ' } }),
      clerk,
    )
    expect(result.parcel.status).toBe('reconciled')
    const record = await knex('attribute_records').where({ commune_code: code, id: link.record_id }).first('legal_area_m2', 'owner_name', 'version', 'owner_name_folded')
    expect(record).toMatchObject({ legal_area_m2: Math.round(area * 10) / 10, owner_name: 'Nguyễn Văn Đức', version: before.version + 1, owner_name_folded: 'nguyen van duc' })
    expect(result.event).toMatchObject({ kind: 'correct', recordId: link.record_id })
    expect(result.event.before).toMatchObject({ record: { legalAreaM2: before.legal_area_m2, ownerName: before.owner_name, version: before.version } })
    expect(result.event.after).toMatchObject({ record: { legalAreaM2: Math.round(area * 10) / 10, ownerName: 'Nguyễn Văn Đức', version: before.version + 1 } })
    const { details } = await knex('matches').where({ commune_code: code, parcel_id: id }).first('details')
    expect(details).toMatchObject({ area_off: false, corrected: true, legal_area_m2: Math.round(area * 10) / 10 })
  })

  it('needs a reason and a field that changes', async () => {
    expect(() => decision({ kind: 'correct', version: 1, changes: { ownerName: 'A' } })).toThrow(/reason/)
    expect(() => decision({ kind: 'correct', version: 1, reason: '  ', changes: { ownerName: 'A' } })).toThrow(/reason/)
    expect(() => decision({ kind: 'correct', version: 1, reason: 'x', changes: {} })).toThrow(/at least one field/)
    expect(() => decision({ kind: 'correct', version: 1, reason: 'x', changes: { area: 5 } })).toThrow()
    const [id] = await parcelsIn(knex, code, 'matched', { withRecord: true })
    const [link] = await links(id!)
    const current = await knex('attribute_records').where({ commune_code: code, id: link.record_id }).first('owner_name')
    const error = await decide(knex, code, id!, decision({ kind: 'correct', version: 1, reason: 'x', changes: { ownerName: current.owner_name } }), clerk).catch((e) => e)
    expect(error).toBeInstanceOf(Invalid)
    expect(error.message).toMatch(/nothing changes/)
    expect((await parcel(id!))!.version).toBe(1)
  })
})

describe('links: link, unlink, relink, split', () => {
  it('links a record without parcel to the parcel it belongs to', async () => {
    const { recordId, parcelId } = await wrongNumberPair(0)
    expect(await recordLinks(recordId)).toEqual([{ parcel_id: null, category: 'record_only', decided: false }])
    const result = await decide(knex, code, parcelId, decision({ kind: 'link', version: 1, recordId, reason: 'Số thửa ghi sai trong sổ' }), clerk)
    expect(result.parcel).toMatchObject({ status: 'reconciled', version: 2 })
    expect(await links(parcelId)).toEqual([{ record_id: recordId, category: 'record_only', decided: true }])
    expect(await recordLinks(recordId)).toEqual([{ parcel_id: parcelId, category: 'record_only', decided: true }])
    expect(result.event).toMatchObject({ kind: 'link', recordId })
  })

  it('unlinks it again: both sides keep a row, the parcel goes back to review', async () => {
    const { recordId, parcelId } = await wrongNumberPair(0)
    const result = await decide(knex, code, parcelId, decision({ kind: 'unlink', version: 2, recordId }), clerk)
    expect(result.parcel).toMatchObject({ status: 'needs_review', version: 3 })
    expect(await links(parcelId)).toEqual([{ record_id: null, category: 'spatial_only', decided: true }])
    expect(await recordLinks(recordId)).toEqual([{ parcel_id: null, category: 'record_only', decided: true }])
  })

  it('relinks a record from one parcel to another', async () => {
    const [from] = await parcelsIn(knex, code, 'matched', { withRecord: true })
    const [to] = await parcelsIn(knex, code, 'spatial_only')
    const [{ record_id: recordId }] = await links(from!)
    const result = await decide(knex, code, from!, decision({ kind: 'relink', version: 1, recordId, targetParcelId: to, targetVersion: 1 }), clerk)
    expect(result.parcel).toMatchObject({ status: 'needs_review', version: 2 })
    expect(result.target).toMatchObject({ parcelId: to, status: 'reconciled', version: 2 })
    expect(await links(from!)).toEqual([{ record_id: null, category: 'spatial_only', decided: true }])
    expect(await links(to!)).toEqual([{ record_id: recordId, category: 'matched', decided: true }])
    expect(result.event.before).toMatchObject({ target: { parcelId: to, version: 1 } })
    expect(result.event.after).toMatchObject({ target: { parcelId: to, version: 2 } })
  })

  it('splits: one record linked to two parcels; merge: two records on one parcel', async () => {
    const [p1, p2] = await parcelsIn(knex, code, 'spatial_only')
    const { recordId } = await wrongNumberPair(1)
    await decide(knex, code, p1!, decision({ kind: 'link', version: 1, recordId }), clerk)
    await decide(knex, code, p2!, decision({ kind: 'link', version: 1, recordId }), clerk)
    expect((await recordLinks(recordId)).map((l) => l.parcel_id)).toEqual([p1, p2])
    const { recordId: second } = await wrongNumberPair(2)
    await decide(knex, code, p1!, decision({ kind: 'link', version: 2, recordId: second }), clerk)
    expect((await links(p1!)).map((l) => l.record_id)).toEqual([recordId, second])
    const again = await decide(knex, code, p1!, decision({ kind: 'link', version: 3, recordId: second }), clerk).catch((e) => e)
    expect(again).toBeInstanceOf(Invalid)
  })
})

describe('flag and reopen', () => {
  it('flags for a field survey with a note, and reopening clears it', async () => {
    const [id] = await parcelsIn(knex, code, 'matched', { withRecord: true })
    const flagged = await decide(knex, code, id!, decision({ kind: 'flag', version: 1, note: 'Cần đo đạc lại ngoài thực địa' }), clerk)
    expect(flagged.parcel).toMatchObject({ status: 'needs_review', flag: 'Cần đo đạc lại ngoài thực địa', version: 2 })
    expect((await parcel(id!))!.review_flag).toMatchObject({ note: 'Cần đo đạc lại ngoài thực địa', actorId: clerk.id })
    expect(flagged.event.reason).toBe('Cần đo đạc lại ngoài thực địa')
    const reopened = await decide(knex, code, id!, decision({ kind: 'reopen', version: 2 }), clerk)
    expect(reopened.parcel).toMatchObject({ status: 'needs_review', flag: null, version: 3 })
  })

  it('a decision on a signed parcel sends it back to review', async () => {
    const [id] = await parcelsIn(knex, code, 'matched', { withRecord: true })
    await knex('parcels').where({ commune_code: code, id }).update({ status: 'signed' })
    const result = await decide(knex, code, id!, decision({ kind: 'accept', version: 1 }), clerk)
    expect(result.parcel.status).toBe('needs_review')
  })
})

describe('bad input changes nothing', () => {
  it('an unknown parcel is 404, a record or target from another commune is refused', async () => {
    const events = await eventCount()
    await expect(decide(knex, code, 999_999_999, decision({ kind: 'accept', version: 1 }), clerk)).rejects.toBeInstanceOf(NotFound)
    const [id] = await parcelsIn(knex, code, 'spatial_only')
    const foreignRecord = await knex('attribute_records').where({ commune_code: other }).first('id')
    const error = await decide(knex, code, id!, decision({ kind: 'link', version: 1, recordId: Number(foreignRecord.id) }), clerk).catch((e) => e)
    expect(error).toBeInstanceOf(Invalid)
    expect(error.message).toContain(`xã ${code}`)
    expect(error.location.field).toBe('recordId')
    const foreignParcel = await knex('parcels').where({ commune_code: other }).first('id')
    const [paired] = await parcelsIn(knex, code, 'matched', { withRecord: true })
    const [link] = await links(paired!)
    const relink = await decide(knex, code, paired!, decision({ kind: 'relink', version: 1, recordId: link.record_id, targetParcelId: Number(foreignParcel.id) }), clerk).catch((e) => e)
    expect(relink).toBeInstanceOf(Invalid)
    expect(relink.location.field).toBe('targetParcelId')
    expect(await parcel(id!)).toMatchObject({ version: 1 })
    expect(await parcel(paired!)).toMatchObject({ version: 1 })
    expect(await eventCount()).toBe(events)
  })

  it('wrong types and oversize values are refused by the input schema', () => {
    expect(() => decision({ kind: 'accept', version: '1' })).toThrow()
    expect(() => decision({ kind: 'explode', version: 1 })).toThrow()
    expect(() => decision({ kind: 'accept', version: 1, reason: 'x'.repeat(2001) })).toThrow(/2000/)
    expect(() => decision({ kind: 'accept', version: 1, extra: true })).toThrow()
    expect(() => decision({ kind: 'link', version: 1, recordId: -3 })).toThrow()
    expect(() => decision({ kind: 'correct', version: 1, reason: 'x', changes: { landUseCodes: ['ONT', 'not a code'] } })).toThrow(/land-use/)
    expect(() => decision({ kind: 'flag', version: 1, note: 'a\u0000b' })).toThrow(/unstorable/)
  })
})

describe('bulk accept', () => {
  it('accepts every undecided matched parcel of a sheet in one transaction, one event each', async () => {
    const { sheet_number: sheet } = await knex('parcels').where({ commune_code: code }).orderBy('id').first('sheet_number')
    const { rows: [{ n: expected }] } = await knex.raw(
      `SELECT count(*)::int AS n FROM matches m JOIN parcels p ON p.commune_code = m.commune_code AND p.id = m.parcel_id
       WHERE m.commune_code = ? AND m.category = 'matched' AND NOT m.decided AND p.sheet_number = ? AND p.status = 'matched'`,
      [code, sheet],
    )
    expect(expected).toBeGreaterThan(5)
    const events = await eventCount()
    const result = await bulkAccept(knex, code, { sheet: `0${sheet}` }, clerk)
    expect(result).toMatchObject({ sheet, accepted: expected, events: { first: events + 1, last: events + expected } })
    expect(await eventCount()).toBe(events + expected)
    const { rows: [{ n: left }] } = await knex.raw(
      `SELECT count(*)::int AS n FROM parcels WHERE commune_code = ? AND sheet_number = ? AND status = 'matched'`,
      [code, sheet],
    )
    expect(left).toBe(0)
    expect((await bulkAccept(knex, code, { sheet }, clerk)).accepted).toBe(0)
  })

  it('accepts the rest of the commune, and the chain still verifies', async () => {
    const result = await bulkAccept(knex, code, {}, clerk)
    expect(result.accepted).toBeGreaterThan(50)
    const report = await verifyChain(knex, code)
    expect(report).toMatchObject({ ok: true, events: await eventCount() })
  })
})

describe('concurrent decisions in one commune', () => {
  it('number the events without gaps or forks', async () => {
    const ids = (await knex('parcels').where({ commune_code: code, status: 'reconciled' }).orderBy('id').limit(12).select('id', 'version'))
    await Promise.all(ids.map((p) => decide(knex, code, Number(p.id), decision({ kind: 'reopen', version: p.version }), clerk)))
    const report = await verifyChain(knex, code)
    expect(report.ok).toBe(true)
    const seqs = (await knex('reconciliation_events').where({ commune_code: code }).orderBy('seq').pluck('seq')).map(Number)
    expect(seqs).toEqual(seqs.map((_, i) => i + 1))
  })
})

describe('the queue table after all these decisions', () => {
  it('holds exactly what a rebuild from scratch would', async () => {
    const rows = () => knex('reconcile_queue').where({ commune_code: code }).orderBy('match_id').select()
    const kept = await rows()
    expect(kept.length).toBeGreaterThan(1000)
    await knex('reconcile_queue_state').where({ commune_code: code }).delete()
    await rebuildQueue(knex, code)
    expect(await rows()).toEqual(kept)
  })
})
