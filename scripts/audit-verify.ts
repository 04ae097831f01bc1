/**
 * `npm run audit:verify -- --commune CODE | --all`: recomputes every hash of the commune's
 * reconciliation audit chain from the stored events (the same check as
 * GET /api/communes/:code/audit/verify), prints a report, and exits 1 when a chain is broken.
 */
import { Command } from 'commander'
import { Invalid } from '../src/errors.js'
import { verifyAudit } from '../src/reconcile/index.js'
import { run, withDatabase } from './cli.js'

const options = new Command('audit:verify')
  .option('--commune <code>', 'one commune')
  .option('--all', 'every commune with events')
  .parse()
  .opts<{ commune?: string; all?: boolean }>()

run(() =>
  withDatabase(async (db) => {
    if (!options.commune && !options.all) throw new Invalid('Hãy chọn --commune MÃ_XÃ hoặc --all (choose a commune or --all).')
    const codes: string[] = options.all ? await db.knex('reconciliation_heads').orderBy('commune_code').pluck('commune_code') : [options.commune!]
    const broken: string[] = []
    for (const code of codes) {
      const report = await verifyAudit(db.knex, code)
      if (report.ok) {
        process.stdout.write(`xã ${report.commune}: chuỗi nguyên vẹn, ${report.events} sự kiện (chain intact, ${report.events} events)${report.head ? `, hash cuối ${report.head.hash}` : ''}\n`)
      } else {
        broken.push(report.commune)
        process.stdout.write(`xã ${report.commune}: CHUỖI BỊ HỎNG tại sự kiện số ${report.brokenAt} (chain BROKEN at event ${report.brokenAt}): ${report.reason}\n`)
        process.stdout.write(`  ${report.events} sự kiện đầu hợp lệ (events valid before the break)\n`)
      }
    }
    if (broken.length > 0) throw new Error(`Nhật ký đối soát bị hỏng ở ${broken.length} xã: ${broken.join(', ')} (audit chain broken).`)
  }),
)
