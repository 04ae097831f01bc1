/**
 * `npm run export:data -- --commune CODE --format geojson|shapefile|gpkg|csv|xlsx
 *   [--what parcels|records|discrepancies] [--sheet S] [--status S] [--category C] [--crs native|wgs84] [--out FILE]`
 * The command-line twin of GET /api/communes/:code/export?format=…: the same service writes
 * the same file (default name `landbook-CODE-WHAT.EXT` in the current folder).
 */
import fs from 'node:fs'
import path from 'node:path'
import { Command } from 'commander'
import { FORMATS, SUBJECTS, parseExportRequest, prepareExport } from '../src/exports/index.js'
import { run, withDatabase } from './cli.js'

const options = new Command('export:data')
  .requiredOption('--commune <code>', 'the commune (5-digit code)')
  .requiredOption('--format <format>', FORMATS.join(' | '))
  .option('--what <subject>', `${SUBJECTS.join(' | ')} (default parcels)`)
  .option('--sheet <numbers>', 'only these map sheets (comma-separated)')
  .option('--status <statuses>', 'only parcels with these statuses (comma-separated)')
  .option('--category <categories>', 'only these discrepancy categories (comma-separated)')
  .option('--crs <crs>', 'native (the commune\'s VN-2000 TM-3 zone) or wgs84; default wgs84 for geojson, native otherwise')
  .option('--out <file>', 'where to write (default: landbook-CODE-WHAT.EXT here)')
  .parse()
  .opts<{ commune: string; format: string; what?: string; sheet?: string; status?: string; category?: string; crs?: string; out?: string }>()

run(() =>
  withDatabase(async (db) => {
    const { commune, out, ...query } = options
    const request = parseExportRequest(commune, query)
    const prepared = await prepareExport(db.knex, request)
    const file = path.resolve(out ?? prepared.fileName)
    const started = performance.now()
    const written = await prepared.write(fs.createWriteStream(file))
    const seconds = (performance.now() - started) / 1000
    process.stdout.write(`${JSON.stringify({ file, format: request.format, what: request.what, rows: written, bytes: fs.statSync(file).size, seconds: Number(seconds.toFixed(2)) })}\n`)
  }),
)
