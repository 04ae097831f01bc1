import request from 'supertest'
import { afterAll, describe, expect, it } from 'vitest'
import { createApp } from '../../src/http/index.js'
import { loadConfig } from '../../src/config.js'
import { testDatabase } from '../helpers/db.js'
import { silentLogger, testImports } from '../helpers/app.js'
import { signIn } from '../helpers/auth.js'

const db = testDatabase()
afterAll(() => db.close())

describe('GET /api/config and the base map', () => {
  it('tells signed-in pages the configured base map, and lets its http origin through the CSP', async () => {
    const { basemap } = loadConfig({ LANDBOOK_BASEMAP_URL: 'http://tiles.vpdk.local/{z}/{x}/{y}.png', LANDBOOK_BASEMAP_ATTRIBUTION: 'VPĐK Gia Lai' })
    const app = createApp({ db, logger: silentLogger, imports: testImports(), web: { basemap } })
    await request(app).get('/api/config').expect(401)
    const manager = await signIn(app, db.knex, 'manager')
    const res = await manager.agent.get('/api/config').expect(200)
    expect(res.body.basemap).toEqual({ url: 'http://tiles.vpdk.local/{z}/{x}/{y}.png', attribution: 'VPĐK Gia Lai' })
    const csp = res.headers['content-security-policy']!
    expect(csp).toContain('img-src \'self\' data: https: http://tiles.vpdk.local')
    expect(csp).not.toContain('upgrade-insecure-requests')
  })

  it('has no base map by default (offline offices), and keeps the strict CSP', async () => {
    const app = createApp({ db, logger: silentLogger, imports: testImports() })
    const clerk = await signIn(app, db.knex, 'clerk')
    const res = await clerk.agent.get('/api/config').expect(200)
    expect(res.body).toEqual({ basemap: null })
    expect(res.headers['content-security-policy']).toContain('upgrade-insecure-requests')
  })

  it('refuses a base-map URL that is not a tile template, naming the variable', () => {
    expect(() => loadConfig({ LANDBOOK_BASEMAP_URL: 'https://tiles.example.vn/' })).toThrow(/LANDBOOK_BASEMAP_URL/)
  })
})
