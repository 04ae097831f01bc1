/** `npm run migrate [-- --down | --status]`: apply, undo or list the schema migrations. */
import { Command } from 'commander'
import { migrateToLatest, migrationStatus, rollbackAll } from '../src/db/index.js'
import { run, withDatabase } from './cli.js'

const options = new Command('migrate')
  .option('--down', 'undo every migration (drops Landbook’s tables and their data)')
  .option('--status', 'list applied and pending migrations')
  .parse()
  .opts<{ down?: boolean; status?: boolean }>()

run(() =>
  withDatabase(async (db) => {
    if (options.status) {
      const s = await migrationStatus(db.knex)
      process.stdout.write(`applied: ${s.applied.length}\npending: ${s.pending.join(', ') || 'none'}\n`)
    } else if (options.down) {
      const undone = await rollbackAll(db.knex)
      process.stdout.write(`undone: ${undone.length} migrations\n`)
    } else {
      const applied = await migrateToLatest(db.knex)
      process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'already up to date\n')
    }
  }),
)
