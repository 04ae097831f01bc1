/**
 * `npm run import:communes -- communes.csv`: registers communes (code, name, province_code,
 * srid, boundary_wkt) before their map files are imported.
 */
import { Command } from 'commander'
import { readCommunesCsv, upsertCommunes } from '../src/communes/index.js'
import { run, withDatabase } from './cli.js'

const program = new Command('import:communes').argument('<csv>', 'CSV with columns code,name,province_code,srid[,boundary_wkt]').parse()

run(() =>
  withDatabase(async (db) => {
    const rows = readCommunesCsv(program.args[0]!)
    await db.knex.transaction((trx) => upsertCommunes(trx, rows))
    process.stdout.write(`${rows.length} communes registered\n`)
  }),
)
