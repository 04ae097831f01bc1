/**
 * Signing in and out over HTTP: the session cookie and what the database keeps of it, wrong
 * and disabled accounts, who-am-I, CSRF on writes, sliding expiry, and sign-in throttling.
 * Users are made through the service with unique names; no commune is needed here.
 */
import { createHash } from 'node:crypto'
import request from 'supertest'
import { afterAll, describe, expect, it } from 'vitest'
import { createUser, updateUser } from '../../src/auth/index.js'
import { createApp } from '../../src/http/index.js'
import { createLogger } from '../../src/logger.js'
import { silentLogger, testImports } from '../helpers/app.js'
import { signIn, TEST_PASSWORD, uniqueUsername } from '../helpers/auth.js'
import { testDatabase } from '../helpers/db.js'

const db = testDatabase()
const app = createApp({ db, logger: silentLogger, imports: testImports() })
afterAll(() => db.close())

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function newUser(role: 'clerk' | 'admin' = 'clerk') {
  const username = uniqueUsername('login')
  const user = await createUser(db.knex, { username, password: TEST_PASSWORD, role })
  return { username, user }
}

/** The `landbook_session` Set-Cookie header of a response. */
function sessionCookie(res: request.Response): string {
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? [])
  const cookie = cookies.find((c) => c.startsWith('landbook_session='))
  if (!cookie) throw new Error(`no session cookie in ${JSON.stringify(cookies)}`)
  return cookie
}
const tokenOf = (cookie: string) => decodeURIComponent(cookie.split(';')[0]!.slice('landbook_session='.length))

describe('POST /api/auth/login', () => {
  it('answers the user and a CSRF token, and sets an httpOnly, SameSite=Strict session cookie', async () => {
    const { username, user } = await newUser()
    const res = await request(app).post('/api/auth/login').send({ username, password: TEST_PASSWORD }).expect(200)
    expect(res.body.user).toEqual({ id: user.id, username, displayName: username, role: 'clerk', communes: [] })
    expect(res.body.csrfToken).toMatch(/^[\w-]{40,}$/)
    const cookie = sessionCookie(res)
    expect(cookie).toMatch(/HttpOnly/i)
    expect(cookie).toMatch(/SameSite=Strict/i)
    expect(cookie).toMatch(/Path=\//)
    expect(cookie).not.toMatch(/Secure/i)
    // A browser-session cookie: the server ends the session, not the cookie's date.
    expect(cookie).not.toMatch(/Expires|Max-Age/i)
  })

  it('marks the cookie Secure when the request came over https', async () => {
    const { username } = await newUser()
    const res = await request(app).post('/api/auth/login').set('x-forwarded-proto', 'https').send({ username, password: TEST_PASSWORD }).expect(200)
    expect(sessionCookie(res)).toMatch(/Secure/i)
  })

  it('stores only the SHA-256 of the session token, and the password as argon2id', async () => {
    const { username, user } = await newUser()
    const res = await request(app).post('/api/auth/login').send({ username: username.toUpperCase(), password: TEST_PASSWORD }).expect(200)
    const token = tokenOf(sessionCookie(res))
    const rows = await db.knex('sessions').where({ user_id: user.id })
    expect(rows).toHaveLength(1)
    expect(rows[0].token_sha256).toBe(createHash('sha256').update(token).digest('hex'))
    expect(JSON.stringify(rows)).not.toContain(token)
    expect(rows[0].csrf_token).toBe(res.body.csrfToken)
    expect(new Date(rows[0].expires_at).getTime() - Date.now()).toBeGreaterThan(11.9 * 3_600_000)
    const { password_hash } = await db.knex('users').where({ id: user.id }).first('password_hash')
    expect(password_hash).toMatch(/^\$argon2id\$/)
  })

  it('refuses a wrong password and an unknown user alike: 401 problem+json, no cookie', async () => {
    const { username } = await newUser()
    const wrong = await request(app).post('/api/auth/login').send({ username, password: 'sai-mat-khau' }).expect(401)
    expect(wrong.headers['content-type']).toContain('application/problem+json')
    expect(wrong.headers['set-cookie']).toBeUndefined()
    const unknown = await request(app).post('/api/auth/login').send({ username: uniqueUsername('nobody'), password: TEST_PASSWORD }).expect(401)
    expect(unknown.body.detail).toBe(wrong.body.detail)
    expect(wrong.body.detail).toMatch(/^Sai tên đăng nhập hoặc mật khẩu/)
  })

  it('refuses a disabled account with 403 once its password is right', async () => {
    const { username, user } = await newUser()
    await updateUser(db.knex, user.id, { active: false })
    const res = await request(app).post('/api/auth/login').send({ username, password: TEST_PASSWORD }).expect(403)
    expect(res.body.detail).toContain('khóa')
    await request(app).post('/api/auth/login').send({ username, password: 'sai-mat-khau' }).expect(401)
  })

  it('refuses a body without username or password with 400 naming the field', async () => {
    const res = await request(app).post('/api/auth/login').send({ username: 'x' }).expect(400)
    expect(res.body.errors[0].field).toBe('password')
  })
})

describe('logs', () => {
  it('never hold the session token, the password or the CSRF token', async () => {
    const lines: string[] = []
    const logger = createLogger('info', { write: (line: string) => void lines.push(line) })
    const logged = createApp({ db, logger, imports: testImports() })
    const { username } = await newUser()
    const agent = request.agent(logged)
    const res = await agent.post('/api/auth/login').send({ username, password: TEST_PASSWORD }).expect(200)
    await agent.get('/api/auth/me').expect(200)
    await agent.post('/api/auth/logout').set('x-csrf-token', res.body.csrfToken).expect(204)
    const text = lines.join('')
    expect(text).toContain(username) // the sign-in is logged
    expect(text).toContain('[redacted]')
    for (const secret of [tokenOf(sessionCookie(res)), res.body.csrfToken, TEST_PASSWORD]) expect(text).not.toContain(secret)
  })
})

describe('GET /api/auth/me and POST /api/auth/logout', () => {
  it('answers who is signed in, and 401 without a session', async () => {
    const { agent, csrf, user } = await signIn(app, db.knex, 'manager')
    const me = await agent.get('/api/auth/me').expect(200)
    expect(me.body).toEqual({ user, csrfToken: csrf })
    const anonymous = await request(app).get('/api/auth/me').expect(401)
    expect(anonymous.headers['content-type']).toContain('application/problem+json')
    expect(anonymous.body.detail).toMatch(/^Bạn cần đăng nhập/)
  })

  it('logs out: the session row goes, the cookie is cleared, and the old cookie no longer works', async () => {
    const { agent, csrf, user } = await signIn(app, db.knex, 'clerk')
    expect(await db.knex('sessions').where({ user_id: user.id })).toHaveLength(1)
    await agent.post('/api/auth/logout').expect(403) // a signed-in write needs the CSRF token
    const res = await agent.post('/api/auth/logout').set('x-csrf-token', csrf).expect(204)
    expect(sessionCookie(res)).toMatch(/Expires=Thu, 01 Jan 1970/)
    expect(await db.knex('sessions').where({ user_id: user.id })).toEqual([])
    await agent.get('/api/auth/me').expect(401)
    // Logging out without a session is harmless.
    await request(app).post('/api/auth/logout').expect(204)
  })

  it('a second sign-in from the same browser ends the first session', async () => {
    const { username, user } = await newUser()
    const agent = request.agent(app)
    await agent.post('/api/auth/login').send({ username, password: TEST_PASSWORD }).expect(200)
    await agent.post('/api/auth/login').send({ username, password: TEST_PASSWORD }).expect(200)
    expect(await db.knex('sessions').where({ user_id: user.id })).toHaveLength(1)
  })
})

describe('CSRF', () => {
  it('refuses a signed-in write without the token or with a wrong one (403), and accepts the right one', async () => {
    const { agent, csrf } = await signIn(app, db.knex, 'admin')
    const body = { username: uniqueUsername('csrf'), role: 'clerk', password: TEST_PASSWORD }
    const missing = await agent.post('/api/users').send(body).expect(403)
    expect(missing.body.field).toBe('x-csrf-token')
    await agent.post('/api/users').set('x-csrf-token', `${csrf.slice(0, -1)}x`).send(body).expect(403)
    await agent.post('/api/users').set('x-csrf-token', 'short').send(body).expect(403)
    expect(await db.knex('users').where({ username: body.username })).toEqual([])
    await agent.post('/api/users').set('x-csrf-token', csrf).send(body).expect(201)
  })

  it('does not ask for it to sign in, even with a session cookie', async () => {
    const { agent } = await signIn(app, db.knex, 'clerk')
    const { username } = await newUser()
    await agent.post('/api/auth/login').send({ username, password: TEST_PASSWORD }).expect(200)
  })

  it('is not needed for reads', async () => {
    const { agent } = await signIn(app, db.knex, 'manager')
    await agent.get('/api/communes').expect(200)
  })
})

describe('session expiry', () => {
  const shortApp = createApp({ db, logger: silentLogger, imports: testImports(), auth: { sessionTtlMs: 1500 } })

  it('slides with each request and ends after the lifetime without one', async () => {
    const { agent, user } = await signIn(shortApp, db.knex, 'clerk')
    const created = new Date((await db.knex('sessions').where({ user_id: user.id }).first()).expires_at).getTime()
    for (let i = 0; i < 3; i++) {
      await sleep(700)
      await agent.get('/api/auth/me').expect(200) // 2.1 s after signing in: alive, because it was used
    }
    // The row's expiry moved too (touched in the background at least every quarter lifetime).
    await expect.poll(async () => new Date((await db.knex('sessions').where({ user_id: user.id }).first()).expires_at).getTime()).toBeGreaterThan(created)
    await sleep(1800)
    await agent.get('/api/auth/me').expect(401)
  })

  it('ends a session whose row expired or went (another process) within a quarter of the lifetime', async () => {
    const { agent, user } = await signIn(shortApp, db.knex, 'clerk')
    await db.knex('sessions').where({ user_id: user.id }).update({ expires_at: db.knex.raw(`now() - interval '1 second'`) })
    await sleep(500)
    await agent.get('/api/auth/me') // answered from memory, and the row is read again meanwhile
    await expect.poll(async () => (await agent.get('/api/auth/me')).status, { timeout: 3000 }).toBe(401)
  })

  it('refuses a session whose row has expired (read from the database: not yet used in this process)', async () => {
    const { username, user } = await newUser()
    const res = await request(app).post('/api/auth/login').send({ username, password: TEST_PASSWORD }).expect(200)
    await db.knex('sessions').where({ user_id: user.id }).update({ expires_at: db.knex.raw(`now() - interval '1 second'`) })
    const expired = await request(app).get('/api/auth/me').set('cookie', sessionCookie(res).split(';')[0]!).expect(401)
    // The browser is told to forget the cookie.
    expect(sessionCookie(expired)).toMatch(/Expires=Thu, 01 Jan 1970/)
  })
})

describe('sign-in throttling', () => {
  it('answers 429 with Retry-After after five wrong passwords for one username, even with the right one', async () => {
    const { username } = await newUser()
    for (let i = 0; i < 5; i++) await request(app).post('/api/auth/login').send({ username, password: `sai-${i}` }).expect(401)
    const res = await request(app).post('/api/auth/login').send({ username, password: TEST_PASSWORD }).expect(429)
    expect(res.headers['content-type']).toContain('application/problem+json')
    const retryAfter = Number(res.headers['retry-after'])
    expect(retryAfter).toBeGreaterThan(800)
    expect(retryAfter).toBeLessThanOrEqual(900)
    expect(res.body.detail).toMatch(/^Đăng nhập sai quá 5 lần/)
    // Another username from the same address is not held back.
    const other = await newUser()
    await request(app).post('/api/auth/login').send({ username: other.username, password: TEST_PASSWORD }).expect(200)
  })

  it('forgets the failures after a successful sign-in', async () => {
    const { username } = await newUser()
    for (let i = 0; i < 4; i++) await request(app).post('/api/auth/login').send({ username, password: 'sai' }).expect(401)
    await request(app).post('/api/auth/login').send({ username, password: TEST_PASSWORD }).expect(200)
    for (let i = 0; i < 4; i++) await request(app).post('/api/auth/login').send({ username, password: 'sai' }).expect(401)
    await request(app).post('/api/auth/login').send({ username, password: TEST_PASSWORD }).expect(200)
  })
})
