import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../src/http/index.js'
import { createParcelJob, datasetSha256, runParcelJob } from '../../src/imports/index.js'
import { testDatabase } from '../helpers/db.js'
import { silentLogger, testImports } from '../helpers/app.js'
import { makeProvince, registerCommunes, type TestProvince } from '../helpers/province.js'
import { insertGeneratedRecords } from '../helpers/records.js'

const db = testDatabase()
const app = createApp({ db, logger: silentLogger, imports: testImports() })
let province: TestProvince
let code: string

beforeAll(async () => {
  province = await makeProvince({ firstCode: 38500, communes: 1, parcelsPerCommune: 300, seed: 8 })
  await registerCommunes(db.knex, province)
  code = province.codes[0]!
  const dataset = province.shapefile(code)
  const job = await createParcelJob(db.knex, { sourceName: dataset.name, sha256: await datasetSha256(dataset) })
  await runParcelJob(db.knex, job.id, dataset)
  await insertGeneratedRecords(db.knex, province.dir, code)
})
afterAll(async () => {
  province?.cleanUp()
  await db.close()
})

describe('matching API', () => {
  it('POST /api/communes/:code/match classifies the commune and returns its summary', async () => {
    const res = await request(app).post(`/api/communes/${code}/match`).expect(200)
    expect(res.body.run).toMatchObject({ communeCode: code, full: true })
    const categories = res.body.summary.categories
    const total = Object.values(categories as Record<string, number>).reduce((a, b) => a + b, 0)
    expect(total).toBeGreaterThan(300)
    expect(categories.record_only).toBeGreaterThan(0)
    expect(res.body.summary.statuses.matched).toBe(categories.matched)
  })

  it('GET /api/communes/:code/matches filters by category and pages', async () => {
    const res = await request(app).get(`/api/communes/${code}/matches?category=record_only&limit=2`).expect(200)
    expect(res.body.matches.length).toBeLessThanOrEqual(2)
    expect(res.body.matches.every((m: { category: string }) => m.category === 'record_only')).toBe(true)
    const summary = await request(app).get(`/api/communes/${code}/summary`).expect(200)
    expect(res.body.total).toBe(summary.body.categories.record_only)
  })

  it('rejects an unknown category with 400 and an unknown commune with 404', async () => {
    const bad = await request(app).get(`/api/communes/${code}/matches?category=whatever`).expect(400)
    expect(bad.body.detail).toContain('category')
    await request(app).post('/api/communes/99998/match').expect(404)
  })
})
