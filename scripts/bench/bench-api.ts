/**
 * `npm run bench:api [-- --database-url URL --communes N --connections 50 --duration 20 --pool 10 --no-decisions]`
 *
 * The reconciliation API under load, against the database named by --database-url or
 * DATABASE_URL (a province-scale database, already imported and matched; a test-sized one
 * works too). Starts Landbook in this process on a free port, creates a clerk assigned to N
 * communes (the largest with 2,000 parcels or more still to decide) and signs in, then drives it with autocannon:
 *   (a) queue pages: random commune, filter (none, category, status, sheet, owner name) and
 *       sort, pages 1–5 of 50;
 *   (b) decisions: a random matched or needs_review parcel of those communes, its version read
 *       first (GET the parcel, as a clerk opens it), then POST accept with that version; a 409
 *       (another connection decided the same parcel first) is counted apart.
 * Prints p50/p95/p99 latency and requests/s of each. Phase (b) writes real decisions and
 * audit events (append-only) into the communes it uses: run it on a benchmark database.
 */
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { randomBytes } from 'node:crypto'
import autocannon from 'autocannon'
import { Command } from 'commander'
import { createUser } from '../../src/auth/index.js'
import { createKnex, type Database } from '../../src/db/index.js'
import { createApp } from '../../src/http/index.js'
import { JobQueue, uploadLimitsFrom } from '../../src/imports/index.js'
import { createLogger } from '../../src/logger.js'
import { CATEGORIES } from '../../src/matching/index.js'
import { QUEUE_SORTS } from '../../src/reconcile/index.js'

const opts = new Command('bench:api')
  .option('--database-url <url>', 'the database (default: DATABASE_URL)')
  .option('--communes <n>', 'communes assigned to the benchmark clerk', (v) => Number(v), 20)
  .option('--connections <n>', 'concurrent connections', (v) => Number(v), 50)
  .option('--duration <s>', 'seconds per phase', (v) => Number(v), 20)
  .option('--pool <n>', "database sessions per pool (the app's default on a server: 10)", (v) => Number(v), 10)
  .option('--no-decisions', 'only the queue phase (writes nothing but the clerk and its session)')
  .parse()
  .opts<{ databaseUrl?: string; communes: number; connections: number; duration: number; pool: number; decisions: boolean }>()

const url = opts.databaseUrl ?? process.env.DATABASE_URL
if (!url) {
  process.stderr.write('bench:api needs a PostgreSQL + PostGIS database: --database-url URL or DATABASE_URL.\n')
  process.exit(2)
}

const logger = createLogger('silent')
const knex = createKnex(url, { poolMax: opts.pool, genericPlans: true })
const db: Database = { kind: 'server', knex, close: () => knex.destroy() }
const app = createApp({ db, logger, imports: { queue: new JobQueue(logger), uploadDir: path.join(os.tmpdir(), 'landbook-bench-uploads'), limits: uploadLimitsFrom({}) } })
const server = app.listen(0, '127.0.0.1')
await new Promise((resolve) => server.once('listening', resolve))
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

// The matched communes with the most parcels, of those with at least 2,000 still to decide
// (matched or needs_review), and a clerk for them: each run decides thousands of parcels, and
// communes whose parcels were all decided would leave the decisions phase a few hot rows to
// fight over. The same communes serve run after run until they run low.
const communes: string[] = (
  await knex.raw(
    `SELECT commune_code FROM parcels p WHERE EXISTS (SELECT 1 FROM matches m WHERE m.commune_code = p.commune_code)
     GROUP BY commune_code HAVING count(*) FILTER (WHERE status IN ('matched', 'needs_review')) >= 2000
     ORDER BY count(*) DESC, commune_code LIMIT ?`,
    [opts.communes],
  )
).rows.map((r: { commune_code: string }) => r.commune_code)
if (communes.length === 0) throw new Error('No matched commune in this database: import and match first (npm run match -- --all).')
const username = `bench-clerk-${randomBytes(4).toString('hex')}`
const password = randomBytes(12).toString('hex')
await createUser(knex, { username, password, role: 'clerk', communes, displayName: 'Benchmark clerk' })
const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) })
if (login.status !== 200) throw new Error(`sign-in failed: ${login.status} ${await login.text()}`)
const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
const csrf = ((await login.json()) as { csrfToken: string }).csrfToken
const headers = { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' }

/** What autocannon keeps per connection between the requests of a sequence. */
interface Context {
  started: number
  parcel: { code: string; id: number }
  version: number
}
const ctx = (context: object) => context as Context

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!
const sheets = new Map<string, string[]>()
for (const code of communes) sheets.set(code, await knex('parcels').where({ commune_code: code }).distinct('sheet_number').pluck('sheet_number'))
const NAMES = ['nguyen', 'tran thi', 'le van', 'pham', 'hoang', 'vu', 'dang', 'bui thi', 'do van', 'ho', 'ngo', 'duong']

function queuePath(): string {
  const code = pick(communes)
  const query = new URLSearchParams({ sort: pick(QUEUE_SORTS), page: String(1 + Math.floor(Math.random() * 5)), limit: '50' })
  const filter = Math.random()
  if (filter < 0.25) query.set('category', pick(CATEGORIES))
  else if (filter < 0.4) query.set('status', pick(['needs_review', 'matched', 'reconciled']))
  else if (filter < 0.55) query.set('sheet', pick(sheets.get(code)!))
  else if (filter < 0.65) query.set('q', pick(NAMES))
  return `/api/communes/${code}/queue?${query}`
}

// The first read of each commune after a matching run or import rebuilds its queue rows: apart.
const cold: number[] = []
for (const code of communes) {
  const started = performance.now()
  const res = await fetch(`${base}/api/communes/${code}/queue?limit=50`, { headers })
  if (res.status !== 200) throw new Error(`queue of ${code}: ${res.status} ${await res.text()}`)
  cold.push(performance.now() - started)
}

interface Stats {
  latencies: number[]
  statuses: Map<number, number>
}
const newStats = (): Stats => ({ latencies: [], statuses: new Map() })
const record = (stats: Stats, started: number, status: number) => {
  stats.latencies.push(performance.now() - started)
  stats.statuses.set(status, (stats.statuses.get(status) ?? 0) + 1)
}
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN

function report(label: string, stats: Stats, seconds: number): string {
  const sorted = [...stats.latencies].sort((a, b) => a - b)
  const statuses = [...stats.statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ')
  return `${label.padEnd(28)} ${String(sorted.length).padStart(7)} req  ${(sorted.length / seconds).toFixed(0).padStart(6)} req/s  p50 ${percentile(sorted, 50).toFixed(1).padStart(6)} ms  p95 ${percentile(sorted, 95).toFixed(1).padStart(6)} ms  p99 ${percentile(sorted, 99).toFixed(1).padStart(6)} ms   ${statuses}`
}

/** Runs autocannon; also measures this process's CPU (the app and autocannon share it). */
async function drive(requests: autocannon.Request[]): Promise<{ result: autocannon.Result; seconds: number; cpuSeconds: number }> {
  const started = performance.now()
  const cpu = process.cpuUsage()
  const result = await autocannon({ url: base, connections: opts.connections, duration: opts.duration, headers, requests })
  const used = process.cpuUsage(cpu)
  return { result, seconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6 }
}
const cpuLine = (phase: { cpuSeconds: number; seconds: number }, requests: number) =>
  `    this process (app + autocannon): ${((phase.cpuSeconds / phase.seconds) * 100).toFixed(0)}% of a core, ${((phase.cpuSeconds * 1000) / Math.max(1, requests)).toFixed(2)} ms CPU per request; ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)}`

// The floor: the same server, cookie and middleware, answering without a database query.
const floor = newStats()
const phaseFloor = await drive([
  {
    method: 'GET',
    path: '/api/auth/me',
    setupRequest: (req, c) => {
      ctx(c).started = performance.now()
      return req
    },
    onResponse: (status, _body, context) => record(floor, ctx(context).started, status),
  },
])

// (a) Queue pages.
const queue = newStats()
const phaseA = await drive([
  {
    method: 'GET',
    setupRequest: (req, c) => {
      const context = ctx(c)
      context.started = performance.now()
      return { ...req, path: queuePath() }
    },
    onResponse: (status, _body, context) => record(queue, ctx(context).started, status),
  },
])

const lines = [
  `\nbench:api — ${communes.length} communes (${communes[0]}…), ${opts.connections} connections, ${opts.duration} s per phase, ${new Date().toISOString()}`,
  `first queue read of each commune (rebuilds its queue rows when a matching run or import came since): median ${percentile([...cold].sort((a, b) => a - b), 50).toFixed(0)} ms, max ${Math.max(...cold).toFixed(0)} ms`,
  report('floor: GET /api/auth/me', floor, phaseFloor.seconds) + '   (signed in, no database query: HTTP + middleware on this machine)',
  cpuLine(phaseFloor, floor.latencies.length),
  report('(a) GET queue page', queue, phaseA.seconds),
  `    autocannon: ${phaseA.result.requests.average.toFixed(0)} req/s average, latency p50 ${phaseA.result.latency.p50} ms p97.5 ${phaseA.result.latency.p97_5} ms p99 ${phaseA.result.latency.p99} ms, errors ${phaseA.result.errors}, timeouts ${phaseA.result.timeouts}`,
  cpuLine(phaseA, queue.latencies.length),
]

// (b) Decisions: read the parcel's version, then accept it.
if (opts.decisions) {
  const pool: Array<{ code: string; id: number }> = (
    await knex.raw(
      `SELECT commune_code AS code, id FROM parcels WHERE commune_code = ANY(?::text[]) AND status IN ('matched', 'needs_review') ORDER BY random() LIMIT 50000`,
      [communes],
    )
  ).rows
  if (pool.length === 0) throw new Error('No matched or needs_review parcel left in these communes to decide on.')
  const read = newStats()
  const decided = newStats()
  const phaseB = await drive([
    {
      method: 'GET',
      setupRequest: (req, c) => {
        const context = ctx(c)
        const parcel = pick(pool)
        context.parcel = parcel
        context.started = performance.now()
        return { ...req, path: `/api/communes/${parcel.code}/parcels/${parcel.id}` }
      },
      onResponse: (status, body, c) => {
        const context = ctx(c)
        record(read, context.started, status)
        context.version = status === 200 ? (JSON.parse(body) as { parcel: { version: number } }).parcel.version : 1
      },
    },
    {
      method: 'POST',
      setupRequest: (req, c) => {
        const context = ctx(c)
        const parcel = context.parcel
        context.started = performance.now()
        return { ...req, path: `/api/communes/${parcel.code}/parcels/${parcel.id}/decisions`, body: JSON.stringify({ kind: 'accept', version: context.version, reason: 'bench:api' }) }
      },
      onResponse: (status, _body, context) => record(decided, ctx(context).started, status),
    },
  ])
  const conflicts = decided.statuses.get(409) ?? 0
  const accepted = decided.statuses.get(201) ?? 0
  lines.push(
    report('(b) GET parcel (version)', read, phaseB.seconds),
    report('(b) POST decision (accept)', decided, phaseB.seconds),
    cpuLine(phaseB, read.latencies.length + decided.latencies.length),
    `    decisions: ${accepted} accepted (201), ${conflicts} refused as stale (409, another connection decided first), ${decided.latencies.length - accepted - conflicts} other`,
  )
  const chains = await knex('reconciliation_heads').whereIn('commune_code', communes).sum<{ n: number }[]>({ n: 'seq' })
  lines.push(`    audit events now in these communes: ${chains[0]?.n ?? 0} (written by this and earlier runs; append-only)`)
}

process.stdout.write(`${lines.join('\n')}\n`)
// autocannon stops at the deadline with requests still in flight: let them finish first.
server.close()
server.closeAllConnections()
const pool = (knex.client as { pool: { numUsed(): number; numPendingAcquires(): number } }).pool
while (pool.numUsed() + pool.numPendingAcquires() > 0) await new Promise((resolve) => setTimeout(resolve, 50))
await knex('users').where({ username }).update({ active: false })
await knex.destroy()
