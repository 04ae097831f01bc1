/**
 * `npm run import:communes -- communes.csv`: registers communes (code, name, province_code,
 * srid, boundary_wkt) before their map files are imported.
 */
import fs from 'node:fs'
import { Command } from 'commander'
import { parse } from 'csv-parse/sync'
import { upsertCommunes } from '../src/communes/index.js'
import { run, withDatabase } from './cli.js'

const program = new Command('import:communes').argument('<csv>', 'CSV with columns code,name,province_code,srid[,boundary_wkt]').parse()

run(() =>
  withDatabase(async (db) => {
    const rows = parse(fs.readFileSync(program.args[0]!), { columns: true, bom: true, skip_empty_lines: true }) as Array<Record<string, string>>
    await db.knex.transaction((trx) =>
      upsertCommunes(trx, rows.map((r) => ({ code: r.code!, name: r.name!, provinceCode: r.province_code!, srid: Number(r.srid), boundaryWkt: r.boundary_wkt || null }))),
    )
    process.stdout.write(`${rows.length} communes registered\n`)
  }),
)
