/**
 * `npm run import:records -- <files or folders...> [--commune CODE] [--mapping JSON or file.json]`
 * The command-line twin of POST /api/imports/records: the same jobs, checks and report, one
 * CSV/XLSX register export (hồ sơ) per job, one file after another.
 */
import fs from 'node:fs'
import path from 'node:path'
import { Command } from 'commander'
import { Presets, SingleBar } from 'cli-progress'
import { Invalid } from '../src/errors.js'
import { chosenCommune, collectRecordFiles, createRecordsJob, fileSha256, RECORD_FIELD_NAMES, runRecordsJob, type RecordsFile, type RecordsMapping } from '../src/imports/records/index.js'
import { run, withDatabase } from './cli.js'

const program = new Command('import:records')
  .argument('<paths...>', 'records files (.csv, .xlsx) or folders holding them')
  .option('--commune <code>', 'every row belongs to this commune (else read from the file\'s commune column)')
  .option('--mapping <json>', 'columns by field, as JSON or a .json file, e.g. {"sheet":"Tờ số","parcel":"Thửa số"}')
  .option('--quiet', 'no progress bar')
  .parse()
const options = program.opts<{ commune?: string; mapping?: string; quiet?: boolean }>()

async function filesOf(paths: string[]): Promise<RecordsFile[]> {
  const files: RecordsFile[] = []
  for (const given of paths) {
    const abs = path.resolve(given)
    if (!fs.existsSync(abs)) throw new Invalid(`Không tìm thấy ${given} (no such file or folder).`, { file: given })
    if (fs.statSync(abs).isDirectory()) {
      const found = await collectRecordFiles(abs)
      for (const o of found.orphans) process.stderr.write(`bỏ qua ${o.file}: ${o.reason}\n`)
      files.push(...found.files)
    } else {
      files.push({ name: path.basename(abs), path: abs })
    }
  }
  return files
}

function mappingOf(text: string | undefined): RecordsMapping | undefined {
  if (!text) return undefined
  const json = text.trim().startsWith('{') ? text : fs.readFileSync(text, 'utf8')
  let mapping: Record<string, unknown>
  try {
    mapping = JSON.parse(json) as Record<string, unknown>
  } catch {
    throw new Invalid(`--mapping: không đọc được JSON (${text}) (mapping must be JSON).`, { field: 'mapping' })
  }
  const wrong = Object.entries(mapping).filter(([field, header]) => !(RECORD_FIELD_NAMES as string[]).includes(field) || typeof header !== 'string')
  if (wrong.length > 0) {
    throw new Invalid(`--mapping: ${wrong.map(([f]) => f).join(', ')} không hợp lệ; các trường là ${RECORD_FIELD_NAMES.join(', ')}, mỗi trường một tên cột (unknown field or non-text column).`, { field: 'mapping' })
  }
  return mapping as RecordsMapping
}

run(async () => {
  const mapping = mappingOf(options.mapping)
  const files = await filesOf(program.args)
  await withDatabase(async (db) => {
    const commune = await chosenCommune(db.knex, options.commune)
    const show = !options.quiet && process.stderr.isTTY
    const totals = { succeeded: 0, failed: 0, duplicate: 0, records: 0, rejected: 0 }
    for (const file of files) {
      const job = await createRecordsJob(db.knex, { sourceName: file.name, sha256: await fileSha256(file.path), communeCode: commune ?? null, mapping })
      const bar = show ? new SingleBar({ stream: process.stderr, format: `${file.name} {bar} {value}/{total} dòng`, hideCursor: true }, Presets.shades_classic) : null
      bar?.start(1, 0)
      const done = await runRecordsJob(db.knex, job.id, file, {
        communeCode: commune,
        mapping,
        onProgress: (n, total) => {
          bar?.setTotal(Math.max(total ?? n, n))
          bar?.update(n)
        },
      })
      bar?.stop()
      const counts = done.counts as { records?: number; rejected?: number; replaced?: number; findings?: Record<string, number> }
      totals[done.state as 'succeeded' | 'failed' | 'duplicate'] += 1
      totals.records += counts.records ?? 0
      totals.rejected += counts.rejected ?? 0
      if (done.state === 'succeeded') {
        const findings = Object.entries(counts.findings ?? {}).map(([code, n]) => `${code} ${n}`).join(', ')
        process.stdout.write(`${file.name}: ${counts.records} hồ sơ, ${counts.rejected} dòng lỗi, thay ${counts.replaced} hồ sơ cũ, xã ${done.commune_code}, lượt nhập ${done.id}${findings ? ` (${findings})` : ''}\n`)
      } else {
        process.stdout.write(`${file.name}: ${done.state}${done.error ? ` — ${done.error}` : ''} (lượt nhập ${done.id})\n`)
      }
    }
    process.stdout.write(`${JSON.stringify({ ...totals, files: files.length })}\n`)
    if (totals.failed > 0) throw new Error(`${totals.failed} tệp không nhập được; xem lỗi ở trên (${totals.failed} file(s) failed).`)
  })
})
