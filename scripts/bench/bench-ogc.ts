/**
 * `npm run bench:ogc [-- --database-url URL --pages N --exports N]`
 *
 * On a province-scale database (DATABASE_URL or --database-url; only read, never changed):
 *   - OGC API items pages of 1,000 parcels over HTTP (the real routes, on a loopback port):
 *     a walk along the next links from the start of the province, pages jumping to random
 *     places of the province (deep keyset pages), and the first page of a commune (with its
 *     count), for an administrator and for a GIS officer with three communes; p50/p95; and the
 *     communes collection (every commune with its progress figures) in one page;
 *   - a full commune exported to GeoPackage (the largest commune), timed end to end.
 * Targets (issue 8): page p95 < 150 ms; the GeoPackage in < 5 s.
 */
import fs from 'node:fs'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { Command } from 'commander'
import express from 'express'
import type { SessionUser } from '../../src/auth/index.js'
import { createKnex } from '../../src/db/index.js'
import { parseExportRequest, prepareExport } from '../../src/exports/index.js'
import type { AppDeps } from '../../src/http/deps.js'
import { problemHandler } from '../../src/http/problem.js'
import { createLogger } from '../../src/logger.js'
import { ogcRoutes } from '../../src/ogc/index.js'
import { encodeCursor } from '../../src/ogc/cursor.js'

const opts = new Command('bench:ogc')
  .option('--database-url <url>', 'the province database (default: DATABASE_URL)')
  .option('--pages <n>', 'pages per scenario', (v) => Number(v), 100)
  .option('--exports <n>', 'GeoPackage exports of the largest commune', (v) => Number(v), 3)
  .option('--limit <n>', 'features per page', (v) => Number(v), 1000)
  .parse()
  .opts<{ databaseUrl?: string; pages: number; exports: number; limit: number }>()

const url = opts.databaseUrl ?? process.env.DATABASE_URL
if (!url) {
  process.stderr.write('bench:ogc reads a province-scale database: pass --database-url or set DATABASE_URL.\n')
  process.exit(2)
}
const knex = createKnex(url, { poolMax: 4 })
const logger = createLogger('warn')
const deps = { db: { kind: 'server', knex, close: () => knex.destroy() }, logger } as unknown as AppDeps

// The routes as the app mounts them, with the reader given directly (the bench writes no session).
let reader: SessionUser
const app = express()
app.use((req, _res, next) => {
  req.user = reader
  next()
})
app.use(ogcRoutes(deps))
app.use(problemHandler)
const server = app.listen(0, '127.0.0.1')
await new Promise((resolve) => server.once('listening', resolve))
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ogc`

const admin: SessionUser = { id: 0, username: 'bench-admin', displayName: 'bench', role: 'admin', communes: [] }
const communes: Array<{ code: string; n: number }> = (
  await knex.raw('SELECT commune_code AS code, count(*)::int AS n FROM parcels GROUP BY 1 ORDER BY 1')
).rows
const total = communes.reduce((sum, c) => sum + c.n, 0)
process.stdout.write(`province: ${communes.length} communes, ${total.toLocaleString('en')} parcels; pages of ${opts.limit}\n`)

function quantiles(ms: number[]) {
  const sorted = [...ms].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!
  return { n: sorted.length, p50: Number(at(0.5).toFixed(1)), p95: Number(at(0.95).toFixed(1)), max: Number(sorted[sorted.length - 1]!.toFixed(1)) }
}

async function timedGet(href: string): Promise<{ ms: number; body: { numberReturned: number; links: Array<{ rel: string; href: string }> } }> {
  const started = performance.now()
  const res = await fetch(href)
  const text = await res.text()
  const ms = performance.now() - started
  if (res.status !== 200) throw new Error(`${href}: ${res.status} ${text.slice(0, 300)}`)
  return { ms, body: JSON.parse(text) }
}

const results: Record<string, ReturnType<typeof quantiles>> = {}
const communeResults: Record<string, ReturnType<typeof quantiles>> = {}
const random = (() => {
  let seed = 42
  return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
})()

async function walk(name: string, start: string) {
  const times: number[] = []
  let href: string | undefined = start
  for (let i = 0; i < opts.pages && href; i++) {
    const { ms, body } = await timedGet(href)
    times.push(ms)
    href = body.links.find((l) => l.rel === 'next')?.href
  }
  results[name] = quantiles(times)
}

async function jumps(name: string, pool: Array<{ code: string; n: number }>) {
  const times: number[] = []
  for (let i = 0; i < opts.pages; i++) {
    const commune = pool[Math.floor(random() * pool.length)]!
    const { rows } = await knex.raw('SELECT id FROM parcels WHERE commune_code = ? ORDER BY id OFFSET ? LIMIT 1', [commune.code, Math.floor(random() * commune.n)])
    const cursor = encodeCursor({ direction: 'after', key: [commune.code, Number(rows[0].id)], matched: total })
    times.push((await timedGet(`${base}/collections/parcels/items?limit=${opts.limit}&cursor=${cursor}`)).ms)
  }
  results[name] = quantiles(times)
}

async function communeFirstPages(name: string, pool: Array<{ code: string; n: number }>) {
  const times: number[] = []
  for (let i = 0; i < opts.pages; i++) {
    const commune = pool[Math.floor(random() * pool.length)]!
    times.push((await timedGet(`${base}/collections/parcels/items?limit=${opts.limit}&commune=${commune.code}`)).ms)
  }
  results[name] = quantiles(times)
}

try {
  reader = admin
  await timedGet(`${base}/collections/parcels/items?limit=10`) // warm-up: connections, CRS list
  await walk('admin: walk from the start (next links)', `${base}/collections/parcels/items?limit=${opts.limit}`)
  await jumps('admin: deep pages anywhere in the province', communes)
  await communeFirstPages("admin: a commune's first page (with numberMatched)", communes)
  const three = communes.slice(0, 3)
  reader = { id: 0, username: 'bench-gis', displayName: 'bench', role: 'gis', communes: three.map((c) => c.code) }
  await walk('gis (3 communes): walk through their parcels', `${base}/collections/parcels/items?limit=${opts.limit}`)
  reader = admin
  await walk('admin: walk in TM-3 (crs=EPSG:9218)', `${base}/collections/parcels/items?limit=${opts.limit}&crs=${encodeURIComponent('http://www.opengis.net/def/crs/EPSG/0/9218')}`)
  // The communes' figures come from the progress counters (a later migration than some bench databases have).
  if ((await knex.raw(`SELECT to_regclass('progress_counters') IS NOT NULL AS ok`)).rows[0].ok) {
    const communeTimes: number[] = []
    for (let i = 0; i < 10; i++) communeTimes.push((await timedGet(`${base}/collections/communes/items?limit=1000`)).ms)
    communeResults['admin: every commune with its figures (one page)'] = quantiles(communeTimes)
  } else {
    process.stdout.write('communes collection skipped: this database has no progress_counters (migrate it to measure)\n')
  }
  for (const [name, q] of Object.entries({ ...results, ...communeResults })) process.stdout.write(`${name.padEnd(56)} ${JSON.stringify(q)}\n`)

  const largest = [...communes].sort((a, b) => b.n - a.n)[0]!
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-ogc-'))
  const seconds: number[] = []
  for (let i = 0; i < opts.exports; i++) {
    const file = path.join(dir, `export-${i}.gpkg`)
    const started = performance.now()
    const prepared = await prepareExport(knex, parseExportRequest(largest.code, { format: 'gpkg' }))
    const written = await prepared.write(fs.createWriteStream(file))
    seconds.push((performance.now() - started) / 1000)
    if (written !== largest.n) throw new Error(`exported ${written} of ${largest.n} parcels`)
  }
  const size = fs.statSync(path.join(dir, 'export-0.gpkg')).size
  fs.rmSync(dir, { recursive: true, force: true })
  process.stdout.write(
    `GeoPackage of commune ${largest.code} (${largest.n} parcels, ${(size / 1e6).toFixed(1)} MB): ` +
      `${seconds.map((s) => s.toFixed(2)).join(' s, ')} s (target < 5 s)\n`,
  )
  const worst95 = Math.max(...Object.values(results).map((q) => q.p95))
  process.stdout.write(`parcel pages: worst p95 ${worst95} ms (target < 150 ms)\n`)
} finally {
  server.close()
  await knex.destroy()
}
