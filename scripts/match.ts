/** `npm run match -- [--commune CODE | --all]`: classify parcels against records. */
import { Command } from 'commander'
import { Invalid } from '../src/errors.js'
import { matchCommune } from '../src/matching/index.js'
import { run, withDatabase } from './cli.js'

const options = new Command('match')
  .option('--commune <code>', 'one commune')
  .option('--all', 'every commune')
  .option('--parallel <n>', 'communes matched at once on a server', (v) => Number(v), 2)
  .parse()
  .opts<{ commune?: string; all?: boolean; parallel: number }>()

run(() =>
  withDatabase(async (db) => {
    if (!options.commune && !options.all) throw new Invalid('Hãy chọn --commune MÃ_XÃ hoặc --all (choose a commune or --all).')
    const codes: string[] = options.all ? await db.knex('communes').orderBy('code').pluck('code') : [options.commune!]
    const started = performance.now()
    const totals: Record<string, number> = {}
    const queue = [...codes]
    // Each commune is its own transaction; on a server two run side by side (two cores).
    const lanes = db.kind === 'embedded' ? 1 : Math.max(1, options.parallel)
    await Promise.all(Array.from({ length: lanes }, async () => {
      for (let code = queue.shift(); code; code = queue.shift()) {
        const result = await matchCommune(db.knex, code)
        for (const [category, n] of Object.entries(result.counts)) totals[category] = (totals[category] ?? 0) + n
        if (codes.length === 1) process.stdout.write(`${JSON.stringify(result)}\n`)
      }
    }))
    process.stdout.write(`${JSON.stringify({ communes: codes.length, seconds: Number(((performance.now() - started) / 1000).toFixed(2)), totals })}\n`)
  }),
)
