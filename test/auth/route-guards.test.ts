/**
 * Every API route is guarded. The routes are read from the app's own router stack, so a route
 * added without a guard fails here: without a session each answers 401 (but for the public
 * allow-list); a signed-in write without the CSRF token is 403; a manager's write is 403; a
 * gis, clerk or signer user gets 403 on a commune not assigned to them. The table below says,
 * route by route, which roles may use it. Communes 39030–39031 belong to this file.
 */
import type { Express } from 'express'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROLES, type Role } from '../../src/auth/index.js'
import { upsertCommunes } from '../../src/communes/index.js'
import { createApp } from '../../src/http/index.js'
import { silentLogger, testImports } from '../helpers/app.js'
import { signIn, type TestAgent } from '../helpers/auth.js'
import { testDatabase } from '../helpers/db.js'

const A = '39030' // assigned to the gis, clerk and signer users here
const B = '39031' // assigned to nobody here

/** Routes anyone may call without a session. */
const PUBLIC = new Set(['GET /api/health', 'POST /api/auth/login', 'POST /api/auth/logout'])
/** Who may call each route ('any': every signed-in role); `commune`: only within the user's communes. */
const RULES: Record<string, { roles: readonly Role[]; commune?: boolean }> = {
  'GET /api/auth/me': { roles: ROLES },
  'GET /api/users': { roles: ['admin'] },
  'POST /api/users': { roles: ['admin'] },
  'PATCH /api/users/:id': { roles: ['admin'] },
  'PUT /api/users/:id/communes': { roles: ['admin'] },
  'GET /api/communes': { roles: ROLES },
  'GET /api/communes/:code': { roles: ROLES, commune: true },
  'POST /api/imports/parcels': { roles: ['gis', 'admin'] },
  'POST /api/imports/records': { roles: ['gis', 'admin'] },
  'GET /api/imports': { roles: ['gis', 'admin', 'manager'] },
  'GET /api/imports/:id': { roles: ['gis', 'admin', 'manager'] },
  'GET /api/imports/:id/findings': { roles: ['gis', 'admin', 'manager'] },
  'GET /api/imports/:id/events': { roles: ['gis', 'admin', 'manager'] },
  'POST /api/communes/:code/match': { roles: ['gis', 'clerk', 'admin'], commune: true },
  'GET /api/communes/:code/match-runs': { roles: ROLES, commune: true },
  'GET /api/communes/:code/match-runs/:id': { roles: ROLES, commune: true },
  'GET /api/communes/:code/matches': { roles: ROLES, commune: true },
  'GET /api/communes/:code/summary': { roles: ROLES, commune: true },
}
const RESTRICTED: Role[] = ['gis', 'clerk', 'signer']
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

interface Layer {
  route?: { path: unknown; methods: Record<string, boolean> }
  handle: { stack?: Layer[] }
  rawPath?: unknown
  slash?: boolean
}

/** Every route registered on the app, with the prefix of the routers it is mounted in. */
function registeredRoutes(app: Express): Array<{ method: string; path: string; key: string }> {
  const found: Array<{ method: string; path: string; key: string }> = []
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        if (typeof layer.route.path !== 'string') throw new Error(`route with a non-string path under ${prefix || '/'}: add it to this walker`)
        for (const method of Object.keys(layer.route.methods).filter((m) => m !== '_all')) {
          const path = prefix + layer.route.path
          found.push({ method: method.toUpperCase(), path, key: `${method.toUpperCase()} ${path}` })
        }
      } else if (layer.handle?.stack) {
        if (!layer.slash && typeof layer.rawPath !== 'string') throw new Error('router mounted on a non-string path: add it to this walker')
        walk(layer.handle.stack, layer.slash ? prefix : prefix + (layer.rawPath as string))
      }
    }
  }
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '')
  return found.filter((r) => r.path.startsWith('/api/'))
}

const db = testDatabase()
const imports = testImports()
const app = createApp({ db, logger: silentLogger, imports })
const routes = registeredRoutes(app)
const users = {} as Record<Role, { agent: TestAgent; csrf: string; id: number }>
let jobOfA: number
let jobOfB: number

beforeAll(async () => {
  await upsertCommunes(db.knex, [A, B].map((code) => ({ code, name: `Xã thử phân quyền ${code}`, provinceCode: '64', srid: 9218 })))
  for (const role of ROLES) {
    const { agent, csrf, user } = await signIn(app, db.knex, role, RESTRICTED.includes(role) ? [A] : [])
    users[role] = { agent, csrf, id: user.id }
  }
  // Ended jobs (an event stream of a running one would not end).
  const job = (commune: string | null, createdBy: number | null = null) => ({ kind: 'parcels', state: 'failed', commune_code: commune, source_name: `guard-${commune}`, error: 'thử', created_by: createdBy })
  ;[{ id: jobOfA }, { id: jobOfB }] = await db.knex('import_jobs').insert([job(A), job(B)]).returning('id')
})
afterAll(async () => {
  await imports.queue.idle()
  await db.close()
})

/** The route's path with its parameters filled: `:code` is the commune given, `:id` a real row where one matters. */
function urlOf(path: string, commune: string, role?: Role): string {
  return path.replace(/:(\w+)/g, (_, name: string) => {
    if (name === 'code') return commune
    if (name === 'id' && path.startsWith('/api/imports/')) return String(jobOfA)
    if (name === 'id' && path.startsWith('/api/users/')) return String(users[role ?? 'admin']?.id ?? 1)
    return '1'
  })
}

function send(client: TestAgent | ReturnType<typeof request>, method: string, url: string, csrf?: string) {
  const req = (client as unknown as Record<string, (url: string) => request.Test>)[method.toLowerCase()]!.call(client, url)
  return csrf ? req.set('x-csrf-token', csrf) : req
}

describe('the route walker', () => {
  it('finds the API routes, including every route in the table and the public ones', () => {
    const keys = new Set(routes.map((r) => r.key))
    expect(routes.length).toBeGreaterThanOrEqual(Object.keys(RULES).length + PUBLIC.size)
    for (const key of [...Object.keys(RULES), ...PUBLIC]) expect(keys, `${key} is in the table but not in the app`).toContain(key)
  })
})

describe('without a session', () => {
  it.each(routes.filter((r) => !PUBLIC.has(r.key)).map((r) => [r.key, r] as const))('%s answers 401 problem+json', async (_key, route) => {
    const res = await send(request(app), route.method, urlOf(route.path, A))
    expect(res.status, `${route.key} answered ${res.status} without a session: does it have a guard?`).toBe(401)
    expect(res.headers['content-type']).toContain('application/problem+json')
  })

  it('the public routes answer without one', async () => {
    await request(app).get('/api/health').expect(200)
    await request(app).post('/api/auth/login').send({}).expect(400)
    await request(app).post('/api/auth/logout').expect(204)
  })
})

describe('signed in', () => {
  const writes = routes.filter((r) => WRITES.has(r.method) && !PUBLIC.has(r.key))

  it.each(writes.map((r) => [r.key, r] as const))('%s refuses a write without the CSRF token (403)', async (_key, route) => {
    const res = await send(users.admin.agent, route.method, urlOf(route.path, A, 'admin'))
    expect(res.status).toBe(403)
    expect(res.body.field).toBe('x-csrf-token')
  })

  it.each(writes.map((r) => [r.key, r] as const))('%s is refused to a manager (403): managers change nothing', async (_key, route) => {
    const res = await send(users.manager.agent, route.method, urlOf(route.path, A, 'manager'), users.manager.csrf)
    expect(res.status, JSON.stringify(res.body)).toBe(403)
  })

  const communeRoutes = routes.filter((r) => r.path.includes(':code') && !PUBLIC.has(r.key))
  it.each(communeRoutes.flatMap((r) => RESTRICTED.map((role) => [r.key, role, r] as const)))(
    "%s is refused to a %s user on a commune not assigned (403)",
    async (_key, role, route) => {
      const res = await send(users[role].agent, route.method, urlOf(route.path, B, role), users[role].csrf)
      expect(res.status, JSON.stringify(res.body)).toBe(403)
    },
  )

  it.each(Object.entries(RULES).flatMap(([key, rule]) => ROLES.map((role) => [key, role, rule.roles.includes(role)] as const)))(
    '%s as %s: allowed %s',
    async (key, role, allowed) => {
      const route = routes.find((r) => r.key === key)!
      const res = await send(users[role].agent, route.method, urlOf(route.path, A, role), users[role].csrf)
      if (allowed) expect([401, 403], `${key} refused ${role}: ${JSON.stringify(res.body)}`).not.toContain(res.status)
      else {
        expect(res.status, `${key} let ${role} in`).toBe(403)
        expect(res.body.detail).toMatch(/^Vai trò /)
      }
    },
  )
})

describe('import jobs of other communes', () => {
  it('a GIS officer sees the jobs of assigned communes and their own, not the others', async () => {
    const gis = users.gis.agent
    await gis.get(`/api/imports/${jobOfA}`).expect(200)
    const other = await gis.get(`/api/imports/${jobOfB}`).expect(403)
    expect(other.body.detail).toContain(`${B}`)
    await gis.get(`/api/imports/${jobOfB}/findings`).expect(403)
    await gis.get(`/api/imports/${jobOfB}/events`).expect(403)
    const [{ id: own }, { id: someoneElses }] = await db.knex('import_jobs')
      .insert([
        { kind: 'records', state: 'failed', commune_code: null, source_name: 'guard-own', created_by: users.gis.id },
        { kind: 'records', state: 'failed', commune_code: null, source_name: 'guard-other', created_by: users.admin.id },
      ])
      .returning('id')
    await gis.get(`/api/imports/${own}`).expect(200)
    await gis.get(`/api/imports/${someoneElses}`).expect(403)
    const ids = (await gis.get('/api/imports').expect(200)).body.jobs.map((j: { id: number }) => j.id)
    expect(ids).toContain(jobOfA)
    expect(ids).toContain(own)
    expect(ids).not.toContain(jobOfB)
    expect(ids).not.toContain(someoneElses)
  })

  it('managers and administrators see every job', async () => {
    for (const role of ['manager', 'admin'] as const) {
      await users[role].agent.get(`/api/imports/${jobOfB}`).expect(200)
      const ids = (await users[role].agent.get('/api/imports').expect(200)).body.jobs.map((j: { id: number }) => j.id)
      expect(ids).toEqual(expect.arrayContaining([jobOfA, jobOfB]))
    }
  })

  it('the commune list shows a restricted user only their communes, and everyone else all', async () => {
    const codes = async (role: Role) => (await users[role].agent.get('/api/communes').expect(200)).body.communes.map((c: { code: string }) => c.code)
    for (const role of RESTRICTED) expect(await codes(role)).toEqual([A])
    for (const role of ['admin', 'manager'] as const) expect(await codes(role)).toEqual(expect.arrayContaining([A, B]))
  })
})
