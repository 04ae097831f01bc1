/**
 * `npm run import:parcels -- <files or folders...> [--commune CODE] [--mapping file.json]`
 * The bulk twin of the upload page: the same jobs, the same checks, the same report.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Command } from 'commander'
import { MultiBar, Presets } from 'cli-progress'
import { Invalid } from '../src/errors.js'
import { collectDatasets, loadDatasets, shapefileSetAt, uploadLimitsFrom, type Dataset } from '../src/imports/index.js'
import { extractZip } from '../src/imports/upload/index.js'
import { run, withDatabase } from './cli.js'

/**
 * One lane more than the cores, so that both the JS of the lanes and PostgreSQL have work on
 * every core (province on 2 cores: 2 lanes 53.6 s, 3 lanes 45.6 s, 4 lanes 46.9 s); at most 4,
 * as each lane holds one commune's geometry (peak RSS 495, 720, 828 MiB).
 */
const DEFAULT_LANES = Math.min(4, os.availableParallelism() + 1)

const program = new Command('import:parcels')
  .argument('<paths...>', 'shapefiles (.shp), GeoJSON files, .zip files or folders holding them')
  .option('--commune <code>', 'load every dataset into this commune (else taken from the data or the file name)')
  .option('--mapping <file>', 'JSON file mapping fields, e.g. {"sheet":"SOTO","parcel":"SOTHUA"}')
  .option('--parallel <n>', 'datasets loaded at once on a server, each in its own thread (the embedded database takes one)', (v) => Number(v), DEFAULT_LANES)
  .option('--quiet', 'no progress bar')
  .parse()
const options = program.opts<{ commune?: string; mapping?: string; quiet?: boolean; parallel: number }>()

async function datasetsOf(paths: string[], scratch: string): Promise<Dataset[]> {
  const limits = uploadLimitsFrom(process.env)
  const result: Dataset[] = []
  for (const given of paths) {
    const abs = path.resolve(given)
    if (!fs.existsSync(abs)) throw new Invalid(`Không tìm thấy ${given} (no such file or folder).`, { file: given })
    const ext = path.extname(abs).toLowerCase()
    if (fs.statSync(abs).isDirectory()) {
      const zips = fs.readdirSync(abs, { recursive: true }).map(String).filter((f) => f.toLowerCase().endsWith('.zip'))
      if (zips.length) throw new Invalid(`Thư mục ${given} có tệp .zip (${zips[0]}); hãy chỉ rõ tệp .zip trên dòng lệnh (pass zip files explicitly).`, { file: given })
      const { datasets, orphans } = await collectDatasets(abs, limits)
      for (const o of orphans) process.stderr.write(`bỏ qua ${o.file}: ${o.reason}\n`)
      result.push(...datasets)
    } else if (ext === '.zip') {
      const dest = fs.mkdtempSync(path.join(scratch, 'zip-'))
      await extractZip(abs, dest, limits)
      result.push(...(await collectDatasets(dest, limits)).datasets)
    } else if (ext === '.shp') {
      result.push(shapefileSetAt(abs))
    } else if (ext === '.geojson' || ext === '.json') {
      result.push({ kind: 'geojson', name: path.basename(abs, ext), path: abs })
    } else {
      throw new Invalid(`${given}: chỉ nhận .shp, .geojson, .zip hoặc thư mục (unsupported file type).`, { file: given })
    }
  }
  return result
}

run(async () => {
  const mapping = options.mapping ? JSON.parse(fs.readFileSync(options.mapping, 'utf8')) : undefined
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'landbook-import-'))
  try {
    const datasets = await datasetsOf(program.args, scratch)
    await withDatabase(async (db) => {
      const show = !options.quiet && process.stderr.isTTY
      const bars = new MultiBar({ stream: process.stderr, format: '{name} {bar} {value}/{total} | {state}', hideCursor: true }, Presets.shades_classic)
      const totals = { succeeded: 0, failed: 0, duplicate: 0, parcels: 0 }
      const started = performance.now()
      const bar = new Map<Dataset, ReturnType<MultiBar['create']>>()
      const lanes = Math.max(1, options.parallel)
      await loadDatasets({ ...db, url: process.env.DATABASE_URL }, datasets, lanes, {
        communeCode: options.commune,
        mapping,
        onStart: (dataset, job) => {
          if (show) bar.set(dataset, bars.create(1, 0, { name: dataset.name.padEnd(12), state: job.state }))
        },
        onProgress: (dataset, n, total) => {
          bar.get(dataset)?.setTotal(total ?? n)
          bar.get(dataset)?.update(n, { state: 'running' })
        },
        onDone: (dataset, done) => {
          const b = bar.get(dataset)
          b?.update(b.getTotal(), { state: done.state })
          b?.stop()
          const parcels = Number((done.counts as { parcels?: number }).parcels ?? 0)
          totals[done.state as 'succeeded' | 'failed' | 'duplicate'] = (totals[done.state as 'succeeded'] ?? 0) + 1
          totals.parcels += parcels
          const line = done.state === 'succeeded'
            ? `${dataset.name}: ${parcels} thửa, xã ${done.commune_code}, lượt nhập ${done.id}`
            : `${dataset.name}: ${done.state}${done.error ? ` — ${done.error}` : ''}`
          if (!show) process.stdout.write(`${line}\n`)
          else bars.log(`${line}\n`)
        },
      })
      bars.stop()
      const seconds = (performance.now() - started) / 1000
      process.stdout.write(`${JSON.stringify({ ...totals, datasets: datasets.length, seconds: Number(seconds.toFixed(1)), parcelsPerSecond: Math.round(totals.parcels / seconds), maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`)
      if (totals.failed > 0) throw new Error(`${totals.failed} tệp không nhập được (see the lines above)`)
    })
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true })
  }
})
