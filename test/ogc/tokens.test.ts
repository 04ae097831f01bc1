/**
 * API tokens: made over HTTP (for oneself; an administrator for anyone, a manager through an
 * administrator), shown once, stored as a hash, usable only on the read-only routes, refused
 * once revoked or expired. Commune 43040 belongs to this file.
 */
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { upsertCommunes } from '../../src/communes/index.js'
import { createApp } from '../../src/http/index.js'
import { createApiToken, forgetCachedTokens } from '../../src/ogc/index.js'
import { silentLogger, testImports } from '../helpers/app.js'
import { signIn } from '../helpers/auth.js'
import { testDatabase } from '../helpers/db.js'

const db = testDatabase()
const app = createApp({ db, logger: silentLogger, imports: testImports() })
const C = '43040'
let clerk: Awaited<ReturnType<typeof signIn>>
let admin: Awaited<ReturnType<typeof signIn>>
let manager: Awaited<ReturnType<typeof signIn>>

beforeAll(async () => {
  await upsertCommunes(db.knex, [{ code: C, name: 'Xã thử mã truy cập', provinceCode: '64', srid: 9218 }])
  clerk = await signIn(app, db.knex, 'clerk', [C])
  admin = await signIn(app, db.knex, 'admin')
  manager = await signIn(app, db.knex, 'manager')
})
afterAll(() => db.close())

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

describe('API tokens', () => {
  it('a user makes one for themself; it is shown once and only its hash is stored', async () => {
    const res = await clerk.agent.post('/api/tokens').set('x-csrf-token', clerk.csrf).send({ name: 'QGIS máy bàn', expiresInDays: 30 }).expect(201)
    expect(res.body.token).toMatch(/^lbk_[\w-]{40,}$/)
    expect(res.body).toMatchObject({ name: 'QGIS máy bàn', username: clerk.user.username })
    const row = await db.knex('api_tokens').where({ id: res.body.id }).first()
    expect(JSON.stringify(row)).not.toContain(res.body.token)
    const list = await clerk.agent.get('/api/tokens').expect(200)
    expect(list.body.tokens.map((t: { id: number }) => t.id)).toContain(res.body.id)
    expect(JSON.stringify(list.body)).not.toContain(res.body.token)
    const communes = await request(app).get('/ogc/collections/communes/items').set(bearer(res.body.token)).expect(200)
    expect(communes.body.features.map((f: { id: string }) => f.id)).toEqual([C])
  })

  it('a token reads only: the API routes that change data do not take it', async () => {
    const { token } = await createApiToken(db.knex, { userId: clerk.user.id, name: 'chỉ đọc' })
    await request(app).get('/api/communes').set(bearer(token)).expect(401)
    await request(app).post(`/api/communes/${C}/match`).set(bearer(token)).expect(401)
    await request(app).post('/api/tokens').set(bearer(token)).send({ name: 'x' }).expect(401)
  })

  it('a revoked token is refused at once', async () => {
    const made = await clerk.agent.post('/api/tokens').set('x-csrf-token', clerk.csrf).send({ name: 'tạm' }).expect(201)
    await request(app).get('/ogc').set(bearer(made.body.token)).expect(200)
    await clerk.agent.delete(`/api/tokens/${made.body.id}`).set('x-csrf-token', clerk.csrf).expect(204)
    const res = await request(app).get('/ogc').set(bearer(made.body.token)).expect(401)
    expect(res.headers['www-authenticate']).toContain('invalid_token')
  })

  it('an expired token is refused', async () => {
    const { id, token } = await createApiToken(db.knex, { userId: clerk.user.id, name: 'hết hạn', expiresInDays: 1 })
    await db.knex('api_tokens').where({ id }).update({ expires_at: db.knex.raw(`now() - interval '1 minute'`) })
    forgetCachedTokens()
    await request(app).get('/ogc').set(bearer(token)).expect(401)
  })

  it('a manager changes nothing, so an administrator makes their token', async () => {
    await manager.agent.post('/api/tokens').set('x-csrf-token', manager.csrf).send({ name: 'của tôi' }).expect(403)
    await clerk.agent.post('/api/tokens').set('x-csrf-token', clerk.csrf).send({ name: 'hộ', username: manager.user.username }).expect(403)
    const made = await admin.agent.post('/api/tokens').set('x-csrf-token', admin.csrf).send({ name: 'báo cáo tỉnh', username: manager.user.username }).expect(201)
    expect(made.body.userId).toBe(manager.user.id)
    const collections = await request(app).get('/ogc/collections/communes/items?limit=1').set(bearer(made.body.token)).expect(200)
    expect(collections.body.numberMatched).toBeGreaterThanOrEqual(1)
    // Someone else's token is not the clerk's to revoke.
    await clerk.agent.delete(`/api/tokens/${made.body.id}`).set('x-csrf-token', clerk.csrf).expect(403)
  })
})
