/**
 * `npm run bench:import [-- --communes N --parcels-per-commune N --data DIR]`
 *
 * Loads the synthetic province into the production database (DATABASE_URL) three ways, each
 * into a fresh database of its own, and prints parcels/s and the ratio to the fastest
 * reference tool:
 *   - Landbook: `npm run import:parcels` over all commune files (with every check);
 *   - ogr2ogr -f PostgreSQL --config PG_USE_COPY YES, one call over the folder, GiST index;
 *   - shp2pgsql -D | psql, one call per file, then the GiST index.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { Command } from 'commander'
import { ensureProvince } from './province-data.js'

const opts = new Command('bench:import')
  .option('--communes <n>', 'communes', (v) => Number(v), 220)
  .option('--parcels-per-commune <n>', 'parcels per commune', (v) => Number(v), 7400)
  .option('--data <dir>', 'where the synthetic province is kept', './bench-data/province')
  .option('--skip-references', 'measure Landbook only')
  .parse()
  .opts<{ communes: number; parcelsPerCommune: number; data: string; skipReferences?: boolean }>()

const serverUrl = process.env.DATABASE_URL
if (!serverUrl) {
  process.stderr.write('bench:import measures the production database: set DATABASE_URL to a PostgreSQL + PostGIS server.\n')
  process.exit(2)
}

function withDatabaseName(url: string, name: string): string {
  const u = new URL(url)
  u.pathname = `/${name}`
  return u.toString()
}

function psql(url: string, sql: string): string {
  return execFileSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-Atc', sql], { encoding: 'utf8' }).trim()
}

function freshDatabase(name: string): string {
  psql(serverUrl!, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  psql(serverUrl!, `CREATE DATABASE ${name}`)
  const url = withDatabaseName(serverUrl!, name)
  psql(url, 'CREATE EXTENSION postgis')
  // Older PostGIS builds lack EPSG:9218 (VN-2000 / TM-3 108°30′); the references need it too.
  psql(url, `INSERT INTO spatial_ref_sys (srid, auth_name, auth_srid, proj4text) SELECT 9218, 'EPSG', 9218, '${TM3_108_30}' WHERE NOT EXISTS (SELECT 1 FROM spatial_ref_sys WHERE srid = 9218)`)
  return url
}

const TM3_108_30 = '+proj=tmerc +lat_0=0 +lon_0=108.5 +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84 +towgs84=-191.90441429,-39.30318279,-111.45032835,0.00928836,-0.01975479,0.00427372,0.252906278 +units=m +no_defs'

function report(r: { tool: string; seconds: number; note: string }): void {
  results.push(r)
  process.stderr.write(`${r.tool}: ${r.seconds.toFixed(1)} s (${r.note})\n`)
}

function timed(run: () => void): number {
  const started = performance.now()
  run()
  return (performance.now() - started) / 1000
}

const dataDir = await ensureProvince(path.resolve(opts.data), opts.communes, opts.parcelsPerCommune)
const parcelDir = path.join(dataDir, 'parcels')
const manifest = JSON.parse(fs.readFileSync(path.join(dataDir, 'manifest.json'), 'utf8'))
const parcelCount: number = manifest.counts?.parcels ?? manifest.parcels
const results: Array<{ tool: string; seconds: number; note: string }> = []

// Landbook: the real CLI, in its own process, so its peak memory is its own.
{
  const url = freshDatabase('landbook_bench_import')
  const env = { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn' }
  execFileSync('npx', ['tsx', 'scripts/migrate.ts'], { env, stdio: 'ignore' })
  execFileSync('npx', ['tsx', 'scripts/import-communes.ts', path.join(dataDir, 'communes.csv')], { env, stdio: 'ignore' })
  let summary: Record<string, number> = {}
  const seconds = timed(() => {
    const out = spawnSync('npx', ['tsx', 'scripts/import-parcels.ts', '--quiet', parcelDir], { env, encoding: 'utf8', maxBuffer: 1 << 26 })
    if (out.status !== 0) throw new Error(`import failed: ${out.stderr}\n${out.stdout.slice(-2000)}`)
    summary = JSON.parse(out.stdout.trim().split('\n').at(-1)!)
  })
  const loaded = psql(url, 'SELECT count(*) FROM parcels')
  report({ tool: 'landbook import:parcels (all checks)', seconds, note: `${loaded} parcels, peak RSS ${summary.maxRssMiB} MiB, ${summary.succeeded} jobs ok` })
}

if (!opts.skipReferences) {
  {
    const url = freshDatabase('landbook_bench_ogr')
    const pg = `PG:${url.replace(/^postgresql:\/\//, '').replace(/^([^@]+)@([^:/]+):?(\d*)\/(.+)$/, (_m, user, host, port, db) => `user=${user} host=${host}${port ? ` port=${port}` : ''} dbname=${db}`)}`
    const seconds = timed(() =>
      execFileSync('ogr2ogr', ['--config', 'PG_USE_COPY', 'YES', '-f', 'PostgreSQL', pg, parcelDir, '-nln', 'parcels', '-nlt', 'MULTIPOLYGON', '-lco', 'GEOMETRY_NAME=geom', '-lco', 'SPATIAL_INDEX=GIST', '-append'], { stdio: 'ignore' }),
    )
    report({ tool: 'ogr2ogr PG_USE_COPY (one call)', seconds, note: `${psql(url, 'SELECT count(*) FROM parcels')} parcels` })
  }
  {
    const url = freshDatabase('landbook_bench_shp2pgsql')
    const files = fs.readdirSync(parcelDir).filter((f) => f.endsWith('.shp')).sort()
    // Contractors' files differ in field names and types, so shp2pgsql gets one table per file
    // (-c), each with its GiST index (-I): the way it is used on such deliveries.
    const seconds = timed(() => {
      for (const file of files) {
        const table = `parcels_${path.basename(file, '.shp')}`
        execFileSync('bash', ['-o', 'pipefail', '-c', `shp2pgsql -D -I -s 9218 -c "${path.join(parcelDir, file)}" ${table} 2>/dev/null | psql -q -v ON_ERROR_STOP=1 "${url}" >/dev/null`])
      }
    })
    const loaded = psql(url, `SELECT sum(n) FROM (${files.map((f) => `SELECT count(*) AS n FROM parcels_${path.basename(f, '.shp')}`).join(' UNION ALL ')}) t`)
    report({ tool: 'shp2pgsql -D -I | psql (per file)', seconds, note: `${loaded} parcels` })
  }
}

const fastestReference = Math.min(...results.slice(1).map((r) => r.seconds))
process.stdout.write(`\nbench:import — ${opts.communes} communes, ${parcelCount} parcels, ${new Date().toISOString()}\n`)
for (const r of results) {
  const ratio = Number.isFinite(fastestReference) ? ` ratio to fastest reference ${(r.seconds / fastestReference).toFixed(2)}` : ''
  process.stdout.write(`${r.tool.padEnd(42)} ${r.seconds.toFixed(1).padStart(7)} s ${Math.round(parcelCount / r.seconds).toString().padStart(8)} parcels/s${ratio}  (${r.note})\n`)
}
