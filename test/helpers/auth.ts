/**
 * Signing in for HTTP tests: a new user of the given role (and communes) made through the
 * users service, logged in through POST /api/auth/login, and a supertest agent holding the
 * session cookie. Writes need the CSRF token: `agent.post(url).set('x-csrf-token', csrf)`.
 */
import { randomBytes } from 'node:crypto'
import type { Express } from 'express'
import type { Knex } from 'knex'
import request from 'supertest'
import { createUser, type Role, type SessionUser } from '../../src/auth/index.js'

export type TestAgent = ReturnType<typeof request.agent>

export const TEST_PASSWORD = 'mat-khau-thu-nghiem'

/** A unique username (test files run in parallel on one database). */
export const uniqueUsername = (prefix: string) => `${prefix}-${randomBytes(5).toString('hex')}`

export async function signIn(app: Express, knex: Knex, role: Role, communes: string[] = []): Promise<{ agent: TestAgent; csrf: string; user: SessionUser }> {
  const username = uniqueUsername(`t-${role}`)
  await createUser(knex, { username, password: TEST_PASSWORD, role, communes, displayName: `Người thử ${role}` })
  const agent = request.agent(app)
  const res = await agent.post('/api/auth/login').send({ username, password: TEST_PASSWORD })
  if (res.status !== 200) throw new Error(`sign-in as ${username} failed: ${res.status} ${JSON.stringify(res.body)}`)
  return { agent, csrf: res.body.csrfToken, user: res.body.user }
}

/**
 * The same sign-in as request headers (the session cookie and the CSRF token), for tests that
 * build a new app per request: `request(app).post(url).set(headers)`.
 */
export async function signInHeaders(app: Express, knex: Knex, role: Role, communes: string[] = []): Promise<{ headers: Record<string, string>; user: SessionUser }> {
  const username = uniqueUsername(`t-${role}`)
  await createUser(knex, { username, password: TEST_PASSWORD, role, communes, displayName: `Người thử ${role}` })
  const res = await request(app).post('/api/auth/login').send({ username, password: TEST_PASSWORD })
  if (res.status !== 200) throw new Error(`sign-in as ${username} failed: ${res.status} ${JSON.stringify(res.body)}`)
  const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]!).join('; ')
  return { headers: { cookie, 'x-csrf-token': res.body.csrfToken }, user: res.body.user }
}
