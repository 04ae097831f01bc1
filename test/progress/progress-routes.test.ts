/**
 * The dashboard's data over HTTP: figures per commune that agree with the tables, totals, the
 * CSV, XLSX and GeoJSON forms, progress over time, and who sees which communes. A clerk's
 * decision shows in the figures and the timeline at once. Communes 44200–44201.
 */
import ExcelJS from 'exceljs'
import { parse } from 'csv-parse/sync'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../src/http/index.js'
import { countFromTables, type CommuneProgress } from '../../src/progress/index.js'
import { silentLogger, testImports } from '../helpers/app.js'
import { signIn } from '../helpers/auth.js'
import { testDatabase } from '../helpers/db.js'
import { matchedProvince, parcelsIn } from '../helpers/matched-commune.js'
import type { TestProvince } from '../helpers/province.js'

const db = testDatabase()
const knex = db.knex
const app = createApp({ db, logger: silentLogger, imports: testImports() })
let province: TestProvince
let code: string
let other: string
let manager: Awaited<ReturnType<typeof signIn>>
let clerk: Awaited<ReturnType<typeof signIn>>

beforeAll(async () => {
  province = await matchedProvince(knex, { firstCode: 44200, communes: 2, parcelsPerCommune: 300, seed: 29 })
  ;[code, other] = province.codes as [string, string]
  manager = await signIn(app, knex, 'manager')
  clerk = await signIn(app, knex, 'clerk', [code])
})
afterAll(async () => {
  province?.cleanUp()
  await db.close()
})

/** The figures the tables themselves give for a commune. */
async function expectedFigures(commune: string) {
  const counts = Object.fromEntries((await countFromTables(knex, [commune])).map((r) => [r.metric, r.n]))
  const n = (metric: string) => counts[metric] ?? 0
  const parcels = Number((await knex('parcels').where({ commune_code: commune }).count({ n: '*' }))[0]!.n)
  return {
    parcels,
    records: Number((await knex('attribute_records').where({ commune_code: commune }).count({ n: '*' }))[0]!.n),
    matched: n('category:matched'),
    areaMismatch: n('category:area_mismatch'),
    landuseMismatch: n('category:landuse_mismatch'),
    spatialOnly: n('category:spatial_only'),
    recordOnly: n('category:record_only'),
    duplicateKey: n('category:duplicate_key'),
    needsReview: n('status:needs_review'),
    reconciled: n('status:reconciled') + n('status:signed') + n('status:synced'),
  }
}

const communeIn = (body: { communes: CommuneProgress[] }, c: string) => body.communes.find((x) => x.code === c)!

describe('GET /api/progress/communes', () => {
  it('gives each commune the figures its tables give, and totals over the communes listed', async () => {
    const res = await manager.agent.get('/api/progress/communes').expect(200)
    for (const c of [code, other]) {
      const figures = communeIn(res.body, c)
      expect(figures).toMatchObject({ code: c, ...(await expectedFigures(c)) })
      expect(figures.parcels).toBeGreaterThan(250)
      expect(figures.percent.matched).toBeCloseTo((100 * figures.matched) / figures.parcels, 1)
      expect(Date.parse(figures.lastActivity!)).toBeGreaterThan(Date.now() - 10 * 60_000)
    }
    // Other test files' communes are there too: the totals are the sum of what is listed.
    const sum = (key: 'parcels' | 'records' | 'matched' | 'reconciled') => res.body.communes.reduce((s: number, c: CommuneProgress) => s + c[key], 0)
    expect(res.body.totals).toMatchObject({ communes: res.body.communes.length, parcels: sum('parcels'), records: sum('records'), matched: sum('matched'), reconciled: sum('reconciled') })
  })

  it('shows a clerk only the communes assigned, and needs a session', async () => {
    await request(app).get('/api/progress/communes').expect(401)
    const res = await clerk.agent.get('/api/progress/communes').expect(200)
    expect(res.body.communes.map((c: CommuneProgress) => c.code)).toEqual([code])
    expect(res.body.totals).toMatchObject({ communes: 1, parcels: communeIn(res.body, code).parcels })
  })

  it("counts a clerk's decision at once, in the figures and in the timeline", async () => {
    const before = communeIn((await manager.agent.get('/api/progress/communes').expect(200)).body, code)
    const ids = await parcelsIn(knex, code, 'matched', { withRecord: true })
    for (const id of ids.slice(0, 2)) {
      await clerk.agent.post(`/api/communes/${code}/parcels/${id}/decisions`).set('x-csrf-token', clerk.csrf).send({ kind: 'accept', version: 1 }).expect(201)
    }
    const flagged = ids[2]!
    await clerk.agent.post(`/api/communes/${code}/parcels/${flagged}/decisions`).set('x-csrf-token', clerk.csrf).send({ kind: 'flag', version: 1, note: 'Cần đo lại' }).expect(201)

    const after = communeIn((await manager.agent.get('/api/progress/communes').expect(200)).body, code)
    expect(after.reconciled).toBe(before.reconciled + 2)
    expect(after.statuses.matched).toBe(before.statuses.matched - 3)
    expect(after.needsReview).toBe(before.needsReview + 1)
    expect(after).toMatchObject(await expectedFigures(code))

    const timeline = (await clerk.agent.get(`/api/progress/timeline?commune=${code}`).expect(200)).body
    expect(timeline).toMatchObject({ communes: [code], timeZone: 'Asia/Ho_Chi_Minh' })
    const today = timeline.days.at(-1)
    expect(today.decisions).toEqual({ accept: 2, flag: 1 })
    expect(today).toMatchObject({ decisionsTotal: 3, reconciled: 2, signed: 0, synced: 0, matchRuns: 1, imports: { parcels: 1 } })
  })
})

describe('downloads', () => {
  it('CSV: a row per commune and the totals, Vietnamese headers by default, English on request', async () => {
    const res = await clerk.agent.get('/api/progress/communes.csv').expect(200)
    expect(res.headers['content-type']).toContain('text/csv')
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="?tien-do-\d{4}-\d{2}-\d{2}\.csv"?/)
    expect(res.text.startsWith('\uFEFF')).toBe(true)
    const rows = parse(res.text, { bom: true }) as string[][]
    expect(rows[0]!.slice(0, 4)).toEqual(['Mã xã', 'Tên xã', 'Thửa bản đồ', 'Hồ sơ'])
    expect(rows).toHaveLength(3)
    const figures = await expectedFigures(code)
    expect(rows[1]!.slice(0, 5)).toEqual([code, expect.any(String), String(figures.parcels), String(figures.records), String(figures.matched)])
    expect(rows[2]![0]).toBe('Tổng cộng')
    expect(rows[2]![2]).toBe(String(figures.parcels))

    const en = parse((await clerk.agent.get('/api/progress/communes.csv?lang=en').expect(200)).text, { bom: true }) as string[][]
    expect(en[0]!.slice(0, 3)).toEqual(['Commune code', 'Commune', 'Parcels'])
    await clerk.agent.get('/api/progress/communes.csv?lang=fr').expect(400)
  })

  it('XLSX: the same table in a workbook', async () => {
    const res = await clerk.agent
      .get('/api/progress/communes.xlsx')
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = []
        r.on('data', (c: Buffer) => chunks.push(c))
        r.on('end', () => done(null, Buffer.concat(chunks)))
      })
      .expect(200)
    expect(res.headers['content-type']).toContain('spreadsheetml')
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(res.body)
    const sheet = workbook.getWorksheet('Tiến độ')!
    expect(sheet.getRow(1).getCell(1).value).toBe('Mã xã')
    expect(sheet.getRow(2).getCell(1).value).toBe(code)
    expect(sheet.getRow(2).getCell(3).value).toBe((await expectedFigures(code)).parcels)
    expect(sheet.getRow(2).getCell(19).value).toBeInstanceOf(Date)
    expect(sheet.getRow(3).getCell(1).value).toBe('Tổng cộng')
  })
})

describe('GET /api/progress/communes.geojson', () => {
  it('gives the boundaries in WGS84 with the figures and shares as properties', async () => {
    const res = await manager.agent.get('/api/progress/communes.geojson').expect(200)
    expect(res.headers['content-type']).toContain('application/geo+json')
    const body = JSON.parse(res.text)
    expect(body.type).toBe('FeatureCollection')
    const feature = body.features.find((f: { id: string }) => f.id === code)
    expect(feature.geometry.type).toMatch(/Polygon/)
    const [lon, lat] = feature.geometry.coordinates.flat(3).slice(0, 2)
    expect(lon).toBeGreaterThan(102)
    expect(lon).toBeLessThan(110)
    expect(lat).toBeGreaterThan(8)
    expect(lat).toBeLessThan(24)
    expect(feature.properties).toMatchObject({ code, parcels: (await expectedFigures(code)).parcels })
    for (const key of ['pct_matched', 'pct_reconciled', 'pct_signed', 'pct_synced']) expect(typeof feature.properties[key]).toBe('number')
    const mine = JSON.parse((await clerk.agent.get('/api/progress/communes.geojson').expect(200)).text)
    expect(mine.features.map((f: { id: string }) => f.id)).toEqual([code])
  })
})

describe('GET /api/progress/timeline', () => {
  it('keeps a clerk to the communes assigned, and names an unknown commune', async () => {
    const denied = await clerk.agent.get(`/api/progress/timeline?commune=${other}`).expect(403)
    expect(denied.body.detail).toMatch(/phân công|not assigned/)
    await manager.agent.get('/api/progress/timeline?commune=44299').expect(404)
    await manager.agent.get('/api/progress/timeline?commune=abc').expect(400)
  })

  it('counts the parcels of a signed batch as signed on the day it was signed (signing writes no event)', async () => {
    await knex('signature_batches').insert({ commune_code: other, merkle_root: 'ab'.repeat(32), entry_count: 3, state: 'signed', signed_at: knex.fn.now() })
    const { days } = (await manager.agent.get(`/api/progress/timeline?commune=${other}`).expect(200)).body
    expect(days.at(-1)).toMatchObject({ signatures: 3, signed: 3, reconciled: 0, decisionsTotal: 0 })
  })

  it('over all communes, has a day for every date from the first activity on', async () => {
    const { days } = (await manager.agent.get('/api/progress/timeline').expect(200)).body
    expect(days.length).toBeGreaterThan(0)
    for (let i = 1; i < days.length; i++) {
      expect(Date.parse(days[i].date) - Date.parse(days[i - 1].date)).toBe(86_400_000)
      expect(days[i].reconciled).toBeGreaterThanOrEqual(0)
    }
    expect(days.at(-1).matchRuns).toBeGreaterThanOrEqual(2)
  })
})
