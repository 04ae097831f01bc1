/**
 * `npm run bench:tiles [-- --database-url URL --z16 200 --z14 50 --seed 7 --dashboard 30]`
 *
 * Vector tiles and the dashboard on the production database (--database-url or DATABASE_URL; a
 * province-scale one, imported and matched). Tile coordinates come from the centroids of
 * random parcels, so every tile is inside a commune. For each tile, in alternating order:
 *   - the floor: the bare tile statement (ST_AsMVT, the same SQL and parameters, its communes found
 *     beforehand, outside the time) sent with `pg`;
 *   - the endpoint: GET /tiles/parcels/{z}/{x}/{y}.pbf of Landbook started in this process.
 * Prints median and p95 of both, and their ratio (targets: z16 p95 < 50 ms, ratio < 1.3), then
 * the time of GET /api/progress/communes (target < 200 ms for 220 communes).
 *
 * Writes nothing: requests carry a stand-in administrator instead of a session (a session
 * check is an in-memory lookup in production; only it is left out), and a database without
 * the progress counters migration is reported, not migrated.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { Command } from 'commander'
import express from 'express'
import pg from 'pg'
import type { SessionUser } from '../../src/auth/index.js'
import { createKnex, type Database } from '../../src/db/index.js'
import { createApp } from '../../src/http/index.js'
import { JobQueue, uploadLimitsFrom } from '../../src/imports/index.js'
import { createLogger } from '../../src/logger.js'
import { communesUnder, MVT_SQL, storedSrids, tileAt, tileBindings, tileEncoder, type TileCoord } from '../../src/tiles/index.js'

const opts = new Command('bench:tiles')
  .option('--database-url <url>', 'the database (default: DATABASE_URL)')
  .option('--z16 <n>', 'random z16 tiles', (v) => Number(v), 200)
  .option('--z14 <n>', 'random z14 tiles', (v) => Number(v), 50)
  .option('--dashboard <n>', 'requests of the dashboard data', (v) => Number(v), 30)
  .option('--seed <n>', 'seed of the parcel sample', (v) => Number(v), 7)
  .parse()
  .opts<{ databaseUrl?: string; z16: number; z14: number; dashboard: number; seed: number }>()

const url = opts.databaseUrl ?? process.env.DATABASE_URL
if (!url) {
  process.stderr.write('bench:tiles measures the production database: --database-url URL or DATABASE_URL (PostgreSQL + PostGIS with ST_AsMVT).\n')
  process.exit(2)
}

const logger = createLogger('warn')
const knex = createKnex(url, { poolMax: 4, genericPlans: true })
const db: Database = { kind: 'server', knex, close: () => knex.destroy() }
if ((await tileEncoder(knex)) !== 'postgis') {
  process.stderr.write('This database has no ST_AsMVT (PostGIS built without protobuf-c): there is no floor to compare with.\n')
  process.exit(2)
}

// Landbook in this process, behind a stand-in administrator (see the header).
const benchUser: SessionUser = { id: 0, username: 'bench', displayName: 'Benchmark', role: 'admin', communes: [] }
const outer = express()
outer.use((req, _res, next) => {
  req.user = benchUser
  next()
})
outer.use(createApp({ db, logger, imports: { queue: new JobQueue(logger), uploadDir: path.join(os.tmpdir(), 'landbook-bench-uploads'), limits: uploadLimitsFrom({}) } }))
const server = outer.listen(0, '127.0.0.1')
await new Promise((resolve) => server.once('listening', resolve))
const port = (server.address() as AddressInfo).port
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })

/** GET over a kept-alive connection; resolves with the status and body size once the body is in. */
function get(pathname: string): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: pathname, agent }, (res) => {
        let bytes = 0
        res.on('data', (chunk: Buffer) => (bytes += chunk.length))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }))
        res.on('error', reject)
      })
      .on('error', reject)
  })
}

// The floor's own connection, as a client of PostgreSQL would have it.
const client = new pg.Client({ connectionString: url })
await client.connect()
const srids = await storedSrids(knex)

/** Distinct tiles at zoom z around the centroids of parcels drawn at random (repeatable by --seed). */
async function sampleTiles(z: number, n: number, seed: number): Promise<TileCoord[]> {
  const { rows: [{ estimate }] } = await knex.raw(`SELECT GREATEST(reltuples, 1) AS estimate FROM pg_class WHERE oid = 'parcels'::regclass`)
  const percent = Math.min(100, (100 * n * 20) / Number(estimate))
  const { rows } = await knex.raw(
    `SELECT ST_X(c) AS lon, ST_Y(c) AS lat
     FROM (SELECT ST_Transform(ST_Centroid(geom), 4326) AS c FROM parcels TABLESAMPLE BERNOULLI (?) REPEATABLE (?)) s`,
    [percent, seed],
  )
  const tiles = new Map<string, TileCoord>()
  // A fixed shuffle of the sample (the sample is in table order, i.e. by commune).
  let state = seed + z
  const next = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
  const order = rows.map((r: { lon: number; lat: number }) => ({ r, k: next() })).sort((a: { k: number }, b: { k: number }) => a.k - b.k)
  for (const { r } of order) {
    const tile = tileAt(r.lon, r.lat, z)
    tiles.set(`${tile.x}/${tile.y}`, tile)
    if (tiles.size === n) break
  }
  return [...tiles.values()]
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!
const stats = (times: number[]) => {
  const sorted = [...times].sort((a, b) => a - b)
  return { median: quantile(sorted, 0.5), p95: quantile(sorted, 0.95) }
}

async function timeBare(tile: TileCoord): Promise<number> {
  // The tile statement alone, told beforehand (outside the time) which communes it reads, as the
  // endpoint tells it after its own lookup: the floor is the database's work for the tile.
  const communes = await communesUnder(knex, tile, { communes: null })
  const native = knex.raw(MVT_SQL, tileBindings(tile, { communes }, srids)).toSQL().toNative()
  const started = performance.now()
  await client.query(native.sql, native.bindings as unknown[])
  return performance.now() - started
}

async function timeEndpoint(tile: TileCoord): Promise<{ ms: number; bytes: number; status: number }> {
  const started = performance.now()
  const { status, bytes } = await get(`/tiles/parcels/${tile.z}/${tile.x}/${tile.y}.pbf`)
  if (status !== 200 && status !== 204) throw new Error(`tile ${tile.z}/${tile.x}/${tile.y}: HTTP ${status}`)
  return { ms: performance.now() - started, bytes, status }
}

async function benchZoom(z: number, n: number) {
  const tiles = await sampleTiles(z, n, opts.seed)
  // Warm both paths (buffer cache, PROJ, the app's srid list) so neither pays for the other.
  for (const tile of tiles.slice(0, 5)) {
    await timeBare(tile)
    await timeEndpoint(tile)
  }
  const bare: number[] = []
  const endpoint: number[] = []
  let bytes = 0
  let empty = 0
  for (const [i, tile] of tiles.entries()) {
    // Alternating which goes first: the second of a pair finds the pages the first read.
    if (i % 2 === 0) bare.push(await timeBare(tile))
    const e = await timeEndpoint(tile)
    endpoint.push(e.ms)
    bytes += e.bytes
    if (e.status === 204) empty++
    if (i % 2 === 1) bare.push(await timeBare(tile))
  }
  return { z, tiles: tiles.length, empty, meanKb: bytes / tiles.length / 1024, bare: stats(bare), endpoint: stats(endpoint) }
}

const line = (label: string, s: { median: number; p95: number }) => `${label.padEnd(34)} median ${s.median.toFixed(1).padStart(6)} ms   p95 ${s.p95.toFixed(1).padStart(6)} ms`
const { rows: [{ parcels, communes }] } = await knex.raw('SELECT (SELECT count(*) FROM communes) AS communes, (SELECT reltuples::bigint FROM pg_class WHERE oid = \'parcels\'::regclass) AS parcels')
process.stdout.write(`\nbench:tiles — ${communes} communes, ~${parcels} parcels, ${new Date().toISOString()}\n`)
for (const [z, n] of [[16, opts.z16], [14, opts.z14]] as const) {
  const r = await benchZoom(z, n)
  process.stdout.write(`\nz${r.z}: ${r.tiles} tiles (${r.empty} empty), ${r.meanKb.toFixed(1)} KiB a tile on average\n`)
  process.stdout.write(`${line('  bare ST_AsMVT SQL (floor)', r.bare)}\n`)
  process.stdout.write(`${line('  GET /tiles/parcels/{z}/{x}/{y}.pbf', r.endpoint)}\n`)
  process.stdout.write(`  ratio to floor                     median ${(r.endpoint.median / r.bare.median).toFixed(2).padStart(6)}      p95 ${(r.endpoint.p95 / r.bare.p95).toFixed(2).padStart(6)}\n`)
}

const { rows: [{ migrated }] } = await knex.raw(`SELECT to_regclass('progress_counters') IS NOT NULL AS migrated`)
if (!migrated) {
  process.stdout.write('\nGET /api/progress/communes: skipped, this database lacks the progress counters (npm run migrate adds them).\n')
} else {
  const times: number[] = []
  let bytes = 0
  for (let i = 0; i < opts.dashboard + 3; i++) {
    const started = performance.now()
    const res = await get('/api/progress/communes')
    if (res.status !== 200) throw new Error(`dashboard: HTTP ${res.status}`)
    if (i >= 3) times.push(performance.now() - started) // three warm-up requests
    bytes = res.bytes
  }
  process.stdout.write(`\n${line(`GET /api/progress/communes (${communes} communes, ${Math.round(bytes / 1024)} KiB)`, stats(times))}\n`)
}

agent.destroy()
await client.end()
server.close()
await knex.destroy()
