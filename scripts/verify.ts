/**
 * `npm run verify -- --commune CODE [--json]`: re-verifies every signature of a commune (CMS of
 * each batch, proofs, signed entries against the parcels as they are now) and prints a report:
 * counts per status, batches, and each broken, untrusted or superseded parcel with the fields
 * that changed. Exits 1 when any signature is broken. `--all`: every commune, two at a time on
 * a server (one per core), one line per commune.
 */
import { Command } from 'commander'
import { verifyCommune, type CommuneVerification } from '../src/signing/index.js'
import { run, withDatabase } from './cli.js'

const options = new Command('verify')
  .option('--commune <code>', 'the commune to verify')
  .option('--all', 'every commune that has signatures')
  .option('--parallel <n>', 'communes verified at once on a server', (v) => Number(v), 2)
  .option('--json', 'print the whole report as JSON')
  .parse()
  .opts<{ commune?: string; all?: boolean; parallel: number; json?: boolean }>()

function print(report: CommuneVerification, detail: boolean): void {
  if (options.json) {
    process.stdout.write(`${JSON.stringify(report, null, detail ? 2 : 0)}\n`)
    return
  }
  const c = report.counts
  process.stdout.write(`Xã ${report.commune}: ${c.valid} hợp lệ (valid), ${c.broken} bị phá (broken), ${c.untrusted} không tin cậy (untrusted), ${c.superseded} đã thay thế (superseded), ${c.unsigned} chưa ký (unsigned) — ${report.ms} ms\n`)
  if (!detail) return
  for (const b of report.batches) process.stdout.write(`  lô ${b.id}: ${b.entryCount} thửa, ${b.intact ? 'chữ ký nguyên vẹn' : 'CHỮ KÝ HỎNG'}, ${b.trusted ? 'tin cậy' : 'KHÔNG TIN CẬY'}, ${b.signer ?? ''} ${b.signedAt ?? ''}\n`)
  for (const p of report.problems) process.stdout.write(`  thửa ${p.parcelId} (tờ ${p.sheet ?? '?'}, số ${p.parcel ?? '?'}): ${p.status}${p.fields ? ` — ${p.fields.join(', ')}` : ''}\n`)
}

run(async () => {
  if (!options.commune && !options.all) throw new Error('Hãy chọn --commune MÃ_XÃ hoặc --all (choose a commune or --all).')
  const broken = await withDatabase(async (db) => {
    const codes: string[] = options.all ? await db.knex('signature_batches').where({ state: 'signed' }).distinct('commune_code').orderBy('commune_code').pluck('commune_code') : [options.commune!]
    const started = performance.now()
    let broken = 0
    let parcels = 0
    const queue = [...codes]
    const lanes = db.kind === 'embedded' ? 1 : Math.max(1, options.parallel)
    await Promise.all(Array.from({ length: lanes }, async () => {
      for (let code = queue.shift(); code; code = queue.shift()) {
        const report = await verifyCommune(db.knex, code)
        broken += report.counts.broken
        parcels += Object.values(report.counts).reduce((a, n) => a + n, 0)
        print(report, codes.length === 1 || report.counts.broken > 0)
      }
    }))
    if (codes.length > 1) process.stdout.write(`${JSON.stringify({ communes: codes.length, parcels, broken, seconds: Number(((performance.now() - started) / 1000).toFixed(1)) })}\n`)
    return broken
  })
  if (broken > 0) throw new Error(`${broken} chữ ký bị phá: thông tin thửa đã thay đổi sau khi ký (broken signatures).`)
})
