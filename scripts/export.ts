/**
 * `npm run export -- --commune CODE [--out FILE.zip] [--partial]`: the integration package of a
 * signed commune (parcels in WGS84 and VN-2000, records, signatures, proofs, manifest), the same
 * package as GET /api/communes/:code/export. The export is recorded and the commune's signed
 * parcels move to synced. With --format, the data exports of `npm run export:data` instead.
 */
import fs from 'node:fs'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { Command } from 'commander'
import { exportCommune } from '../src/signing/index.js'
import { run, withDatabase } from './cli.js'

if (process.argv.some((a) => a === '--format' || a.startsWith('--format='))) {
  await import('./export-data.js') // GeoJSON, shapefile, GeoPackage, CSV, XLSX: its own options
} else {
  const options = new Command('export')
    .requiredOption('--commune <code>', 'the commune to export')
    .option('--out <file>', 'the zip to write (default: the package name in the current folder)')
    .option('--partial', 'export the signed parcels even when the commune is not fully signed')
    .parse()
    .opts<{ commune: string; out?: string; partial?: boolean }>()

  run(() =>
    withDatabase(async (db) => {
      const pkg = await exportCommune(db.knex, options.commune, { partial: options.partial })
      const out = path.resolve(options.out ?? pkg.fileName)
      await pipeline(pkg.zip, fs.createWriteStream(out))
      process.stdout.write(`${JSON.stringify({ export: pkg.id, commune: pkg.commune, parcels: pkg.parcelCount, file: out, bytes: fs.statSync(out).size })}\n`)
    }),
  )
}
