import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../src/http/index.js'
import { testDatabase } from '../helpers/db.js'
import { silentLogger, testImports } from '../helpers/app.js'
import { signIn } from '../helpers/auth.js'
import { importParcels, makeProvince, registerCommunes, type TestProvince } from '../helpers/province.js'
import { insertGeneratedRecords } from '../helpers/records.js'

const db = testDatabase()
const imports = testImports()
const app = createApp({ db, logger: silentLogger, imports })
let province: TestProvince
let code: string
let clerk: Awaited<ReturnType<typeof signIn>>
let admin: Awaited<ReturnType<typeof signIn>>

beforeAll(async () => {
  province = await makeProvince({ firstCode: 38500, communes: 1, parcelsPerCommune: 300, seed: 8 })
  await registerCommunes(db.knex, province)
  code = province.codes[0]!
  await importParcels(db.knex, province, code)
  await insertGeneratedRecords(db.knex, province.dir, code)
  clerk = await signIn(app, db.knex, 'clerk', [code])
  admin = await signIn(app, db.knex, 'admin')
})
afterAll(async () => {
  province?.cleanUp()
  await db.close()
})

describe('matching API', () => {
  it('POST /api/communes/:code/match queues a run; the run page shows it succeeded with the summary', async () => {
    const res = await clerk.agent.post(`/api/communes/${code}/match`).set('x-csrf-token', clerk.csrf).expect(202)
    expect(res.body.run).toMatchObject({ commune_code: code, state: 'queued', requested_by: clerk.user.id })
    expect(res.headers.location).toBe(`/api/communes/${code}/match-runs/${res.body.run.id}`)
    await imports.queue.idle()
    const done = await clerk.agent.get(res.headers.location!).expect(200)
    expect(done.body.run).toMatchObject({ id: res.body.run.id, state: 'succeeded', error: null })
    const categories = done.body.summary.categories
    const total = Object.values(categories as Record<string, number>).reduce((a, b) => a + b, 0)
    expect(total).toBeGreaterThan(300)
    expect(categories.record_only).toBeGreaterThan(0)
    expect(done.body.summary.statuses.matched).toBe(categories.matched)
    const list = await clerk.agent.get(`/api/communes/${code}/match-runs`).expect(200)
    expect(list.body.runs[0]).toMatchObject({ id: res.body.run.id, state: 'succeeded' })
    await clerk.agent.get(`/api/communes/${code}/match-runs/999999`).expect(404)
  })

  it('GET /api/communes/:code/matches filters by category and pages', async () => {
    const res = await clerk.agent.get(`/api/communes/${code}/matches?category=record_only&limit=2`).expect(200)
    expect(res.body.matches.length).toBeLessThanOrEqual(2)
    expect(res.body.matches.every((m: { category: string }) => m.category === 'record_only')).toBe(true)
    const summary = await clerk.agent.get(`/api/communes/${code}/summary`).expect(200)
    expect(res.body.total).toBe(summary.body.categories.record_only)
  })

  it('rejects an unknown category with 400 and an unknown commune with 404', async () => {
    const bad = await clerk.agent.get(`/api/communes/${code}/matches?category=whatever`).expect(400)
    expect(bad.body.detail).toContain('category')
    await admin.agent.post('/api/communes/99998/match').set('x-csrf-token', admin.csrf).expect(404)
  })
})
