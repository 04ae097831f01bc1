/**
 * Account management by administrators over HTTP: listing, creating (with a generated
 * password), changing role, name, password and active flag, assigning communes; each change
 * reaching the user's live session at once. Communes 39010–39012 belong to this file.
 */
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { upsertCommunes } from '../../src/communes/index.js'
import { createApp } from '../../src/http/index.js'
import { silentLogger, testImports } from '../helpers/app.js'
import { signIn, TEST_PASSWORD, uniqueUsername, type TestAgent } from '../helpers/auth.js'
import { testDatabase } from '../helpers/db.js'

const A = '39010'
const B = '39011'
const db = testDatabase()
const app = createApp({ db, logger: silentLogger, imports: testImports() })
let admin: { agent: TestAgent; csrf: string }

beforeAll(async () => {
  await upsertCommunes(db.knex, [A, B, '39012'].map((code) => ({ code, name: `Xã thử người dùng ${code}`, provinceCode: '64', srid: 9218 })))
  admin = await signIn(app, db.knex, 'admin')
})
afterAll(() => db.close())

const post = (url: string, body: object) => admin.agent.post(url).set('x-csrf-token', admin.csrf).send(body)
const patch = (url: string, body: object) => admin.agent.patch(url).set('x-csrf-token', admin.csrf).send(body)
const put = (url: string, body: object) => admin.agent.put(url).set('x-csrf-token', admin.csrf).send(body)

async function login(username: string, password = TEST_PASSWORD) {
  const agent = request.agent(app)
  const res = await agent.post('/api/auth/login').send({ username, password })
  return { agent, res }
}

describe('user management', () => {
  it('creates a user with communes, who can then sign in and see them', async () => {
    const username = uniqueUsername('Clerk')
    const res = await post('/api/users', { username, role: 'clerk', displayName: 'Nguyễn Thị Hoa', password: TEST_PASSWORD, communes: ['39011', '39010', '39010'] }).expect(201)
    expect(res.body.user).toMatchObject({ username: username.toLowerCase(), role: 'clerk', displayName: 'Nguyễn Thị Hoa', active: true, communes: [A, B] })
    expect(res.body).not.toHaveProperty('password')
    const { res: signedIn } = await login(username)
    expect(signedIn.status).toBe(200)
    expect(signedIn.body.user.communes).toEqual([A, B])
    const list = await admin.agent.get('/api/users').expect(200)
    expect(list.body.users.find((u: { username: string }) => u.username === username.toLowerCase())).toMatchObject({ communes: [A, B] })
    expect(JSON.stringify(list.body)).not.toMatch(/argon2|password/)
  })

  it('generates a password when none is given, answered once', async () => {
    const username = uniqueUsername('gis')
    const res = await post('/api/users', { username, role: 'gis', communes: [A] }).expect(201)
    expect(res.body.password).toMatch(/^\w{4}-\w{4}-\w{4}-\w{4}$/)
    expect((await login(username, res.body.password)).res.status).toBe(200)
  })

  it.each([
    ['a username in use', () => ({ username: 'dup-user', role: 'clerk', password: TEST_PASSWORD }), 409, 'username'],
    ['an unknown role', () => ({ username: uniqueUsername('x'), role: 'boss', password: TEST_PASSWORD }), 400, 'role'],
    ['a short password', () => ({ username: uniqueUsername('x'), role: 'clerk', password: 'ngan' }), 400, 'password'],
    ['a bad username', () => ({ username: 'có dấu cách', role: 'clerk', password: TEST_PASSWORD }), 400, 'username'],
    ['an unregistered commune', () => ({ username: uniqueUsername('x'), role: 'clerk', password: TEST_PASSWORD, communes: ['39019'] }), 400, 'communes'],
    ['an unknown field', () => ({ username: uniqueUsername('x'), role: 'clerk', password: TEST_PASSWORD, admin: true }), 400, undefined],
  ])('refuses %s', async (_name, body, status, field) => {
    await post('/api/users', { username: 'dup-user', role: 'clerk', password: TEST_PASSWORD }) // 201 the first time
    const res = await post('/api/users', body()).expect(status)
    expect(res.headers['content-type']).toContain('application/problem+json')
    if (field) expect(res.body.field ?? res.body.errors?.[0]?.field).toBe(field)
  })

  it('changes a role and communes, and the user\'s open session follows at once', async () => {
    const clerk = await signIn(app, db.knex, 'clerk', [A])
    await clerk.agent.get(`/api/communes/${B}`).expect(403)
    await put(`/api/users/${clerk.user.id}/communes`, { communes: [B] }).expect(200)
    await clerk.agent.get(`/api/communes/${B}`).expect(200)
    await clerk.agent.get(`/api/communes/${A}`).expect(403)
    expect((await clerk.agent.get('/api/communes').expect(200)).body.communes.map((c: { code: string }) => c.code)).toEqual([B])

    const res = await patch(`/api/users/${clerk.user.id}`, { role: 'manager', displayName: 'Trưởng phòng' }).expect(200)
    expect(res.body.user).toMatchObject({ role: 'manager', displayName: 'Trưởng phòng', communes: [B] })
    const me = await clerk.agent.get('/api/auth/me').expect(200)
    expect(me.body.user).toMatchObject({ role: 'manager', displayName: 'Trưởng phòng', communes: [] })
    await clerk.agent.get(`/api/communes/${A}`).expect(200) // a manager sees every commune
  })

  it('disabling a user ends their sessions and refuses their sign-in', async () => {
    const clerk = await signIn(app, db.knex, 'clerk', [A])
    await patch(`/api/users/${clerk.user.id}`, { active: false }).expect(200)
    await clerk.agent.get('/api/auth/me').expect(401)
    expect((await login(clerk.user.username)).res.status).toBe(403)
    await patch(`/api/users/${clerk.user.id}`, { active: true }).expect(200)
    expect((await login(clerk.user.username)).res.status).toBe(200)
  })

  it('a password set by an administrator ends the user\'s sessions; the new one signs in', async () => {
    const signer = await signIn(app, db.knex, 'signer', [A])
    await patch(`/api/users/${signer.user.id}`, { password: 'mat-khau-moi-2026' }).expect(200)
    await signer.agent.get('/api/auth/me').expect(401)
    expect((await login(signer.user.username)).res.status).toBe(401)
    expect((await login(signer.user.username, 'mat-khau-moi-2026')).res.status).toBe(200)
  })

  it('answers 404 for an unknown user, 400 for an empty change or a malformed id', async () => {
    await patch('/api/users/99999999', { active: false }).expect(404)
    await put('/api/users/99999999/communes', { communes: [] }).expect(404)
    await patch('/api/users/1', {}).expect(400)
    await patch('/api/users/abc', { active: true }).expect(400)
  })

  it('is for administrators only', async () => {
    for (const role of ['gis', 'clerk', 'signer', 'manager'] as const) {
      const other = await signIn(app, db.knex, role, role === 'manager' ? [] : [A])
      const list = await other.agent.get('/api/users').expect(403)
      expect(list.body.detail).toMatch(/^Vai trò .* không được làm việc này/)
      await other.agent.post('/api/users').set('x-csrf-token', other.csrf).send({ username: uniqueUsername('x'), role: 'admin', password: TEST_PASSWORD }).expect(403)
      await other.agent.patch(`/api/users/${other.user.id}`).set('x-csrf-token', other.csrf).send({ role: 'admin' }).expect(403)
    }
  })
})
