import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../src/http/index.js'
import { matchCommune } from '../../src/matching/index.js'
import { silentLogger, testImports } from '../helpers/app.js'
import { signIn, type TestAgent } from '../helpers/auth.js'
import { testDatabase } from '../helpers/db.js'
import { matchedProvince, parcelsIn } from '../helpers/matched-commune.js'
import type { TestProvince } from '../helpers/province.js'

const db = testDatabase()
const knex = db.knex
const app = createApp({ db, logger: silentLogger, imports: testImports() })
let province: TestProvince
let code: string
let other: string
let clerk: { agent: TestAgent; csrf: string }
let secondClerk: { agent: TestAgent; csrf: string }

beforeAll(async () => {
  province = await matchedProvince(knex, { firstCode: 41200, communes: 2, parcelsPerCommune: 800, seed: 23 })
  ;[code, other] = province.codes as [string, string]
  clerk = await signIn(app, knex, 'clerk', [code])
  secondClerk = await signIn(app, knex, 'clerk', [code])
})
afterAll(async () => {
  province?.cleanUp()
  await db.close()
})

const eventCount = async () => Number((await knex('reconciliation_events').where({ commune_code: code }).count({ n: '*' }))[0]!.n)
const version = async (id: number) => (await knex('parcels').where({ commune_code: code, id }).first('version')).version as number
const post = (who: { agent: TestAgent; csrf: string }, url: string, body: unknown) => who.agent.post(url).set('x-csrf-token', who.csrf).send(body as object)

describe('who may do what', () => {
  it('needs a session, and keeps a clerk to the communes assigned to them', async () => {
    await request(app).get(`/api/communes/${code}/queue`).expect(401)
    await clerk.agent.get(`/api/communes/${code}/queue`).expect(200)
    const denied = await clerk.agent.get(`/api/communes/${other}/queue`).expect(403)
    expect(denied.body.detail).toMatch(/phân công|not assigned/)
    const [id] = await parcelsIn(knex, other, 'matched')
    await post(clerk, `/api/communes/${other}/parcels/${id}/decisions`, { kind: 'accept', version: 1 }).expect(403)
    await clerk.agent.get(`/api/communes/${other}/parcels/${id}`).expect(403)
    await clerk.agent.get(`/api/communes/${other}/audit`).expect(403)
    expect((await knex('parcels').where({ commune_code: other, id }).first('version')).version).toBe(1)
  })

  it('lets a manager and a signer read every route but decide nothing', async () => {
    const manager = await signIn(app, knex, 'manager')
    const signer = await signIn(app, knex, 'signer', [code])
    const [id] = await parcelsIn(knex, code, 'matched')
    for (const who of [manager, signer]) {
      await who.agent.get(`/api/communes/${code}/queue`).expect(200)
      await who.agent.get(`/api/communes/${code}/parcels/${id}`).expect(200)
      await who.agent.get(`/api/communes/${code}/audit`).expect(200)
      await post(who, `/api/communes/${code}/parcels/${id}/decisions`, { kind: 'accept', version: 1 }).expect(403)
      await post(who, `/api/communes/${code}/decisions/bulk-accept`, {}).expect(403)
    }
    await manager.agent.get(`/api/communes/${other}/queue`).expect(200)
    const gis = await signIn(app, knex, 'gis', [code])
    await gis.agent.get(`/api/communes/${code}/queue`).expect(403)
  })

  it('refuses a decision without the CSRF token', async () => {
    const [id] = await parcelsIn(knex, code, 'matched')
    await clerk.agent.post(`/api/communes/${code}/parcels/${id}/decisions`).send({ kind: 'accept', version: 1 }).expect(403)
    expect(await version(id!)).toBe(1)
  })
})

describe('the work queue', () => {
  it('pages with a total, filters by category, status and sheet', async () => {
    const all = await clerk.agent.get(`/api/communes/${code}/queue?limit=10`).expect(200)
    const { rows: [{ n }] } = await knex.raw('SELECT count(*)::int AS n FROM matches WHERE commune_code = ?', [code])
    expect(all.body).toMatchObject({ commune: code, total: n, page: 1, limit: 10, sort: 'sheet' })
    expect(all.body.items).toHaveLength(10)
    const second = await clerk.agent.get(`/api/communes/${code}/queue?limit=10&page=2`).expect(200)
    expect(second.body.items[0].matchId).not.toBe(all.body.items[0].matchId)

    const mismatches = await clerk.agent.get(`/api/communes/${code}/queue?category=area_mismatch`).expect(200)
    expect(mismatches.body.total).toBeGreaterThan(0)
    expect(mismatches.body.items.every((i: { category: string }) => i.category === 'area_mismatch')).toBe(true)

    const matched = await clerk.agent.get(`/api/communes/${code}/queue?status=matched&limit=200`).expect(200)
    expect(matched.body.items.every((i: { parcel: { status: string } }) => i.parcel.status === 'matched')).toBe(true)

    // Both filters, each sort: the same total as counting the links themselves.
    const { rows: [{ n: both }] } = await knex.raw(
      `SELECT count(*)::int AS n FROM matches m JOIN parcels p ON p.commune_code = m.commune_code AND p.id = m.parcel_id
       WHERE m.commune_code = ? AND m.category = 'area_mismatch' AND p.status = 'needs_review'`,
      [code],
    )
    expect(both).toBeGreaterThan(0)
    for (const sort of ['sheet', '-area', 'status', '-category']) {
      const page = await clerk.agent.get(`/api/communes/${code}/queue?category=area_mismatch&status=needs_review&sort=${sort}&limit=200`).expect(200)
      expect(page.body.total, sort).toBe(both)
      expect(page.body.items, sort).toHaveLength(Math.min(both, 200))
    }

    const sheet = all.body.items[0].parcel.sheet as string
    const bySheet = await clerk.agent.get(`/api/communes/${code}/queue?sheet=0${sheet}&limit=200`).expect(200)
    expect(bySheet.body.total).toBeGreaterThan(0)
    expect(bySheet.body.items.every((i: { parcel: { sheet: string } | null; record: { sheet: string } }) => (i.parcel?.sheet ?? i.record.sheet) === sheet)).toBe(true)
  })

  it('sorts by sheet and parcel number naturally, and by area difference', async () => {
    const page = await clerk.agent.get(`/api/communes/${code}/queue?limit=200`).expect(200)
    const numbers = page.body.items.map((i: { parcel: { number: string } | null; record: { number: string } }) => Number.parseInt(i.parcel?.number ?? i.record.number, 10))
    expect(numbers.slice(0, 20)).toEqual([...numbers.slice(0, 20)].sort((a, b) => a - b))
    const byArea = await clerk.agent.get(`/api/communes/${code}/queue?sort=area&limit=5`).expect(200)
    const differences = byArea.body.items.map((i: { parcel: { areaM2: number }; record: { legalAreaM2: number } }) => Math.abs(i.parcel.areaM2 - i.record.legalAreaM2))
    expect(differences).toEqual([...differences].sort((a, b) => b - a))
    expect(byArea.body.items[0].category).toBe('area_mismatch')
  })

  it('finds owners by name without accents or case ("nguyen van a" finds "Nguyễn Văn A")', async () => {
    const [id] = await parcelsIn(knex, code, 'matched', { withRecord: true })
    const { record_id: recordId } = await knex('matches').where({ commune_code: code, parcel_id: id }).first('record_id')
    await knex('attribute_records').where({ commune_code: code, id: recordId }).update({ owner_name: 'Đoàn Thị Ánh Tuyết', updated_at: knex.fn.now() })
    await matchCommune(knex, code) // the queue is rebuilt after a matching run
    for (const q of ['doan thi anh tuyet', 'DOAN THI ANH', 'Đoàn Thị', 'anh  tuyet', 'Ánh Tuyết']) {
      const res = await clerk.agent.get(`/api/communes/${code}/queue`).query({ q }).expect(200)
      expect(res.body.items.map((i: { record: { id: number } | null }) => i.record?.id), q).toContain(recordId)
    }
    const none = await clerk.agent.get(`/api/communes/${code}/queue`).query({ q: 'doan%tuyet' }).expect(200)
    expect(none.body.total).toBe(0)
  })

  it('follows changes made outside decisions: a signed batch moves parcels to signed', async () => {
    const { rows } = await knex.raw(`SELECT id FROM parcels WHERE commune_code = ? AND status = 'matched' ORDER BY id LIMIT 3`, [code])
    const ids = rows.map((r: { id: number }) => Number(r.id))
    // What signing does in its transaction (src/signing/batches.ts): the batch signed, its parcels signed.
    await knex.transaction(async (trx) => {
      await trx('signature_batches').insert({ commune_code: code, merkle_root: 'ab'.repeat(32), entry_count: ids.length, state: 'signed' })
      await trx('parcels').where({ commune_code: code }).whereIn('id', ids).update({ status: 'signed' })
    })
    const signed = await clerk.agent.get(`/api/communes/${code}/queue?status=signed`).expect(200)
    expect(signed.body.items.map((i: { parcel: { id: number } }) => i.parcel.id).sort()).toEqual([...ids].sort())
  })

  it('keeps totals and shown versions current after a decision, page after page', async () => {
    const total = async (status: string) => (await clerk.agent.get(`/api/communes/${code}/queue?status=${status}&limit=1`).expect(200)).body.total as number
    const before = { matched: await total('matched'), reconciled: await total('reconciled') }
    expect(await total('matched')).toBe(before.matched) // counted once, then known
    const page = await clerk.agent.get(`/api/communes/${code}/queue?status=matched&limit=1`).expect(200)
    const shown = page.body.items[0].parcel as { id: number; version: number }
    await post(clerk, `/api/communes/${code}/parcels/${shown.id}/decisions`, { kind: 'accept', version: shown.version }).expect(201)
    expect({ matched: await total('matched'), reconciled: await total('reconciled') }).toEqual({ matched: before.matched - 1, reconciled: before.reconciled + 1 })
    const row = (await clerk.agent.get(`/api/communes/${code}/queue?status=reconciled&limit=200`).expect(200)).body.items.find((i: { parcel: { id: number } }) => i.parcel.id === shown.id)
    expect(row.parcel).toMatchObject({ status: 'reconciled', version: shown.version + 1 })
  })

  it('sorts each way by category and status, a "-" sort being the exact reverse', async () => {
    for (const sort of ['category', 'status']) {
      const { rows: [{ n }] } = await knex.raw('SELECT count(*)::int AS n FROM matches WHERE commune_code = ?', [code])
      const ids = async (s: string) => {
        const all: number[] = []
        for (let page = 1; all.length < n; page++) all.push(...(await clerk.agent.get(`/api/communes/${code}/queue?sort=${s}&limit=200&page=${page}`).expect(200)).body.items.map((i: { matchId: number }) => Number(i.matchId)))
        return all
      }
      const forwards = await ids(sort)
      expect(new Set(forwards).size).toBe(n)
      expect(await ids(`-${sort}`)).toEqual([...forwards].reverse())
    }
  })

  it('gives a filtered page in the same order as the unfiltered sort, whichever index serves it', async () => {
    const walk = async (query: string) => {
      const items: Array<{ matchId: number; category: string; parcel: { sheet: string; status: string } | null; record: { sheet: string } | null }> = []
      for (let page = 1; ; page++) {
        const res = await clerk.agent.get(`/api/communes/${code}/queue?${query}&limit=200&page=${page}`).expect(200)
        items.push(...res.body.items)
        if (items.length >= res.body.total) return { items, total: res.body.total as number }
      }
    }
    const sheetOf = (i: { parcel: { sheet: string } | null; record: { sheet: string } | null }) => i.parcel?.sheet ?? i.record!.sheet
    const sheet = sheetOf((await walk('sort=sheet')).items[0]!)
    // Sort first then filter (a sort index, unfiltered) against filter then sort (the hits index).
    const cases: Array<[string, string, (i: Awaited<ReturnType<typeof walk>>['items'][number]) => boolean]> = [
      ['-area', `sheet=${sheet}`, (i) => sheetOf(i) === sheet],
      ['category', `sheet=${sheet}`, (i) => sheetOf(i) === sheet],
      ['-status', 'category=matched', (i) => i.category === 'matched'],
      ['area', 'status=matched', (i) => i.parcel?.status === 'matched'],
      ['-sheet', `category=matched&sheet=${sheet}`, (i) => i.category === 'matched' && sheetOf(i) === sheet],
    ]
    for (const [sort, filter, keep] of cases) {
      const expected = (await walk(`sort=${sort}`)).items.filter(keep).map((i) => i.matchId)
      expect(expected.length, filter).toBeGreaterThan(0)
      const filtered = await walk(`sort=${sort}&${filter}`)
      expect(filtered.total, `${sort} ${filter}`).toBe(expected.length)
      expect(filtered.items.map((i) => i.matchId), `${sort} ${filter}`).toEqual(expected)
    }
  })

  it('refuses unknown filters with 400 naming the field', async () => {
    const bad = await clerk.agent.get(`/api/communes/${code}/queue?category=whatever`).expect(400)
    expect(bad.body.detail).toContain('category')
    await clerk.agent.get(`/api/communes/${code}/queue?limit=201`).expect(400)
    await clerk.agent.get(`/api/communes/${code}/queue?sort=random()`).expect(400)
    await clerk.agent.get(`/api/communes/${code}/queue?page=0`).expect(400)
  })
})

describe('parcel and record detail', () => {
  it('shows geometry in WGS84 and VN-2000, attributes, links, candidates and version', async () => {
    const [id] = await parcelsIn(knex, code, 'spatial_only')
    const res = await clerk.agent.get(`/api/communes/${code}/parcels/${id}`).expect(200)
    expect(res.body.parcel).toMatchObject({ id, status: 'needs_review', version: 1 })
    expect(res.body.geometry.wgs84.type).toBe('MultiPolygon')
    const [lon, lat] = res.body.geometry.wgs84.coordinates[0][0][0]
    expect(lon).toBeGreaterThan(102)
    expect(lon).toBeLessThan(110)
    expect(lat).toBeGreaterThan(8)
    expect(lat).toBeLessThan(24)
    expect(res.body.geometry.stored.srid).toBeGreaterThan(5000)
    expect(res.body.geometry.stored.geojson.coordinates[0][0][0][0]).toBeGreaterThan(100_000)
    expect(res.body.links).toEqual([expect.objectContaining({ category: 'spatial_only', record: null })])
    expect(res.body.history).toEqual([])
  })

  it('shows a record without parcel with its candidate parcels', async () => {
    const { record_id: recordId } = await knex('matches').where({ commune_code: code, category: 'record_only' }).first('record_id')
    const res = await clerk.agent.get(`/api/communes/${code}/records/${recordId}`).expect(200)
    expect(res.body.record.id).toBe(recordId)
    expect(res.body.links).toEqual([expect.objectContaining({ category: 'record_only', parcel: null })])
    expect(res.body.candidateParcels.length).toBeGreaterThan(0)
    expect(res.body.candidateParcels[0].parcel).toHaveProperty('version')
    const parcel = await clerk.agent.get(`/api/communes/${code}/parcels/${res.body.candidateParcels[0].parcel.id}`).expect(200)
    expect(parcel.body.candidateRecords.map((c: { record: { id: number } }) => c.record.id)).toContain(recordId)
  })

  it('answers 404 for an unknown parcel or record and 400 for an id that is no number', async () => {
    await clerk.agent.get(`/api/communes/${code}/parcels/987654321`).expect(404)
    await clerk.agent.get(`/api/communes/${code}/records/987654321`).expect(404)
    await clerk.agent.get(`/api/communes/${code}/parcels/abc`).expect(400)
    const foreign = await knex('parcels').where({ commune_code: other }).first('id')
    await clerk.agent.get(`/api/communes/${code}/parcels/${foreign.id}`).expect(404)
  })
})

describe('decisions over HTTP', () => {
  it('accepts, shows the event in the parcel history, and bumps the version', async () => {
    const [id] = await parcelsIn(knex, code, 'area_mismatch')
    const res = await post(clerk, `/api/communes/${code}/parcels/${id}/decisions`, { kind: 'accept', version: 1, reason: 'Chấp nhận theo đo đạc' }).expect(201)
    expect(res.body.parcel).toMatchObject({ status: 'reconciled', version: 2 })
    expect(res.body.event).toMatchObject({ kind: 'accept', parcelId: id })
    const detail = await clerk.agent.get(`/api/communes/${code}/parcels/${id}`).expect(200)
    expect(detail.body.parcel.version).toBe(2)
    expect(detail.body.history).toEqual([expect.objectContaining({ seq: res.body.event.seq, kind: 'accept', reason: 'Chấp nhận theo đo đạc' })])
  })

  it('two clerks on the same version: one decides, the other gets 409 with the current state', async () => {
    const [id] = await parcelsIn(knex, code, 'landuse_mismatch')
    const url = `/api/communes/${code}/parcels/${id}/decisions`
    const [a, b] = await Promise.all([
      post(clerk, url, { kind: 'accept', version: 1 }),
      post(secondClerk, url, { kind: 'flag', version: 1, note: 'Loại đất cần kiểm tra thực địa' }),
    ])
    expect([a.status, b.status].sort()).toEqual([201, 409])
    const loser = a.status === 409 ? a : b
    expect(loser.type).toBe('application/problem+json')
    expect(loser.body.detail).toMatch(/phiên bản 2/)
    expect(loser.body.current).toMatchObject({ parcelId: id, version: 2 })
    expect(await version(id!)).toBe(2)
  })

  it('bad input gets 4xx with a clear message and changes nothing', async () => {
    const [id] = await parcelsIn(knex, code, 'matched', { withRecord: true })
    const url = `/api/communes/${code}/parcels/${id}/decisions`
    const events = await eventCount()
    await post(clerk, `/api/communes/${code}/parcels/987654321/decisions`, { kind: 'accept', version: 1 }).expect(404)
    const wrongType = await post(clerk, url, { kind: 'accept', version: '1' }).expect(400)
    expect(wrongType.body.detail).toContain('version')
    await post(clerk, url, { kind: 'approve', version: 1 }).expect(400)
    await post(clerk, url, { kind: 'correct', version: 1, changes: { legalAreaM2: 'big' }, reason: 'x' }).expect(400)
    const long = await post(clerk, url, { kind: 'accept', version: 1, reason: 'x'.repeat(5000) }).expect(400)
    expect(long.body.detail).toContain('reason')
    await post(clerk, url, { kind: 'accept', version: 1, reason: 'x'.repeat(2_000_000) }).expect(413)
    const foreign = await knex('attribute_records').where({ commune_code: other }).first('id')
    const crossed = await post(clerk, url, { kind: 'link', version: 1, recordId: Number(foreign.id) }).expect(400)
    expect(crossed.body).toMatchObject({ field: 'recordId' })
    expect(crossed.body.detail).toMatch(/không có hồ sơ .* trong xã/i)
    await clerk.agent.post(url).set('x-csrf-token', clerk.csrf).set('content-type', 'application/json').send('{"kind": "accept", ').expect(400)
    expect(await version(id!)).toBe(1)
    expect(await eventCount()).toBe(events)
  })

  it('bulk accepts the matched parcels of a sheet', async () => {
    const { sheet_number: sheet } = await knex('parcels').where({ commune_code: code, status: 'matched' }).orderBy('id').first('sheet_number')
    const res = await post(clerk, `/api/communes/${code}/decisions/bulk-accept`, { sheet }).expect(201)
    expect(res.body).toMatchObject({ commune: code, sheet })
    expect(res.body.accepted).toBeGreaterThan(0)
    const left = await clerk.agent.get(`/api/communes/${code}/queue?status=matched&sheet=${sheet}`).expect(200)
    expect(left.body.total).toBe(0)
    await post(clerk, `/api/communes/${code}/decisions/bulk-accept`, { sheet: 5 }).expect(400)
  })
})

describe('the audit trail', () => {
  it('lists events newest first, for the commune or one parcel, and verifies the chain', async () => {
    const res = await clerk.agent.get(`/api/communes/${code}/audit?limit=5`).expect(200)
    expect(res.body.total).toBe(await eventCount())
    const seqs = res.body.events.map((e: { seq: number }) => e.seq)
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a))
    expect(res.body.events[0].actor).toMatchObject({ username: expect.stringMatching(/^t-clerk/) })
    const parcelId = res.body.events[0].parcelId
    const forParcel = await clerk.agent.get(`/api/communes/${code}/audit?parcel=${parcelId}`).expect(200)
    expect(forParcel.body.events.every((e: { parcelId: number }) => e.parcelId === parcelId)).toBe(true)
    const verified = await clerk.agent.get(`/api/communes/${code}/audit/verify`).expect(200)
    expect(verified.body).toMatchObject({ ok: true, events: res.body.total })
  })

  it('reports the event edited behind the triggers’ back', async () => {
    await knex.transaction(async (trx) => {
      await trx.raw('ALTER TABLE reconciliation_events DISABLE TRIGGER USER')
      await trx.raw(`UPDATE reconciliation_events SET reason = 'đã sửa' WHERE commune_code = ? AND seq = 2`, [code])
      await trx.raw('ALTER TABLE reconciliation_events ENABLE TRIGGER USER')
    })
    const res = await clerk.agent.get(`/api/communes/${code}/audit/verify`).expect(200)
    expect(res.body).toMatchObject({ ok: false, brokenAt: 2, events: 1 })
    expect(res.body.reason).toMatch(/bị sửa/)
  })
})
