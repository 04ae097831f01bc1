/** The province-scale synthetic data set the benchmarks share: generated once, then reused. */
import fs from 'node:fs'
import path from 'node:path'
import { generateProvince } from '../../src/synthetic/index.js'

export async function ensureProvince(dir: string, communes: number, parcelsPerCommune: number, seed = 2023): Promise<string> {
  const manifest = path.join(dir, 'manifest.json')
  if (fs.existsSync(manifest)) {
    const m = JSON.parse(fs.readFileSync(manifest, 'utf8'))
    if (m.options?.communes === communes && m.options?.parcelsPerCommune === parcelsPerCommune && m.options?.seed === seed) return dir
    fs.rmSync(dir, { recursive: true, force: true })
  }
  process.stderr.write(`generating ${communes} communes × ~${parcelsPerCommune} parcels into ${dir} ...\n`)
  const started = performance.now()
  await generateProvince({ seed, communes, parcelsPerCommune, encoding: 'utf8', firstCode: 23500 }, dir)
  process.stderr.write(`generated in ${((performance.now() - started) / 1000).toFixed(1)} s\n`)
  return dir
}
