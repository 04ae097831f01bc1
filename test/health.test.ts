import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../src/http/index.js'
import { testDatabase } from './helpers/db.js'
import { silentLogger, testImports } from './helpers/app.js'
import { signIn, type TestAgent } from './helpers/auth.js'

const db = testDatabase()
const app = createApp({ db, logger: silentLogger, imports: testImports() })
let manager: TestAgent
beforeAll(async () => {
  manager = (await signIn(app, db.knex, 'manager')).agent
})
afterAll(() => db.close())

describe('GET /api/health', () => {
  it('reports the database kind, PostgreSQL and PostGIS versions and a fully migrated schema, without signing in', async () => {
    const res = await request(app).get('/api/health').expect(200)
    expect(res.body.status).toBe('ok')
    expect(res.body.database.kind).toBe(db.kind)
    expect(res.body.database.postgres).toMatch(/^\d+\.\d+/)
    expect(res.body.database.postgis).toMatch(/^3\.\d+/)
    expect(res.body.database.migrations.pending).toEqual([])
    expect(res.body.database.migrations.applied).toBeGreaterThanOrEqual(10)
    expect(res.headers['x-request-id']).toBeTruthy()
  })

  it('answers unknown API routes with problem+json 404', async () => {
    const res = await request(app).get('/api/nothing-here').expect(404)
    expect(res.headers['content-type']).toContain('application/problem+json')
    expect(res.body.detail).toContain('/api/nothing-here')
  })

  it('answers a missing commune with a 404 naming the code', async () => {
    const res = await manager.get('/api/communes/99999').expect(404)
    expect(res.body.detail).toContain('99999')
  })

  it('rejects a malformed commune code with 400 naming the field', async () => {
    const res = await manager.get('/api/communes/12ab').expect(400)
    expect(res.body.field).toBe('code')
  })
})
