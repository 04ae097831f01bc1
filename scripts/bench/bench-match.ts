/**
 * `npm run bench:match [-- --communes N --parcels-per-commune N --data DIR]`
 *
 * On the production database (DATABASE_URL): loads the synthetic province's parcels and
 * records with Landbook's own import commands into a fresh database (or reuses it when it
 * already holds exactly that province), then prints:
 *   - the floor: the bare SQL key join of all parcels and records (materialised);
 *   - `npm run match -- --all`: the whole province matched and classified, and the ratio;
 *   - one commune re-matched after a change, and one commune matched from scratch.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { Command } from 'commander'
import { ensureProvince } from './province-data.js'

const opts = new Command('bench:match')
  .option('--communes <n>', 'communes', (v) => Number(v), 220)
  .option('--parcels-per-commune <n>', 'parcels per commune', (v) => Number(v), 7400)
  .option('--data <dir>', 'where the synthetic province is kept', './bench-data/province')
  .parse()
  .opts<{ communes: number; parcelsPerCommune: number; data: string }>()

const serverUrl = process.env.DATABASE_URL
if (!serverUrl) {
  process.stderr.write('bench:match measures the production database: set DATABASE_URL to a PostgreSQL + PostGIS server.\n')
  process.exit(2)
}

const NAME = 'landbook_bench_match'
const url = (() => {
  const u = new URL(serverUrl)
  u.pathname = `/${NAME}`
  return u.toString()
})()
const psql = (target: string, sql: string) => execFileSync('psql', [target, '-v', 'ON_ERROR_STOP=1', '-Atc', sql], { encoding: 'utf8' }).trim()
const tsx = (script: string, ...args: string[]) =>
  execFileSync('npx', ['tsx', script, ...args], { env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn' }, encoding: 'utf8', maxBuffer: 1 << 26 })
const timed = (run: () => void) => {
  const started = performance.now()
  run()
  return (performance.now() - started) / 1000
}

const dataDir = await ensureProvince(path.resolve(opts.data), opts.communes, opts.parcelsPerCommune)
const counts = JSON.parse(fs.readFileSync(path.join(dataDir, 'manifest.json'), 'utf8')).counts as { parcels: number; records: number }

const exists = psql(serverUrl, `SELECT count(*) FROM pg_database WHERE datname = '${NAME}'`) === '1'
const loaded = exists && psql(url, 'SELECT (SELECT count(*) FROM parcels) || \',\' || (SELECT count(*) FROM attribute_records)') === `${counts.parcels},${counts.records}`
if (!loaded) {
  process.stderr.write('loading the province (parcels and records) with Landbook ...\n')
  psql(serverUrl, `DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`)
  psql(serverUrl, `CREATE DATABASE ${NAME}`)
  tsx('scripts/migrate.ts')
  tsx('scripts/import-communes.ts', path.join(dataDir, 'communes.csv'))
  tsx('scripts/import-parcels.ts', '--quiet', path.join(dataDir, 'parcels'))
  tsx('scripts/import-records.ts', '--quiet', path.join(dataDir, 'records'))
}
psql(url, 'VACUUM ANALYZE')
psql(url, 'TRUNCATE match_candidates, match_runs; DELETE FROM matches')

const floor = timed(() =>
  psql(url, `CREATE TEMP TABLE j AS SELECT p.commune_code, p.id AS parcel_id, r.id AS record_id FROM parcels p
              FULL JOIN attribute_records r ON r.commune_code = p.commune_code AND r.sheet_number = p.sheet_number AND r.parcel_number = p.parcel_number`),
)
let summary = ''
const province = timed(() => {
  summary = tsx('scripts/match.ts', '--all').trim().split('\n').at(-1)!
})
const commune = psql(url, 'SELECT min(code) FROM communes')
psql(url, `UPDATE attribute_records SET land_use_codes = '{TMD}', updated_at = now() WHERE commune_code = '${commune}' AND id = (SELECT min(id) FROM attribute_records WHERE commune_code = '${commune}')`)
const rematch = JSON.parse(tsx('scripts/match.ts', '--commune', commune).trim().split('\n')[0]!)
psql(url, `DELETE FROM match_runs WHERE commune_code = '${commune}'`)
const fresh = JSON.parse(tsx('scripts/match.ts', '--commune', commune).trim().split('\n')[0]!)
const matchRows = psql(url, 'SELECT count(*) FROM matches')

process.stdout.write(`\nbench:match — ${opts.communes} communes, ${counts.parcels} parcels × ${counts.records} records, ${new Date().toISOString()}\n`)
process.stdout.write(`bare SQL key join (floor, materialised)   ${floor.toFixed(1).padStart(7)} s\n`)
process.stdout.write(`npm run match -- --all (whole province)    ${province.toFixed(1).padStart(7)} s   ratio to floor ${(province / floor).toFixed(2)}   (${matchRows} match rows; includes process start)\n`)
process.stdout.write(`  ${summary}\n`)
process.stdout.write(`one commune re-matched after one change    ${rematch.seconds.toFixed(3).padStart(7)} s   (${rematch.keysRematched} key)\n`)
process.stdout.write(`one commune matched from scratch           ${fresh.seconds.toFixed(3).padStart(7)} s   (${fresh.keysRematched} keys)\n`)
