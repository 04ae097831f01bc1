/**
 * Small synthetic provinces for tests, made by the project's own generator into a temp
 * folder, with their communes registered. Each test file passes its own first commune code so
 * files never share communes and can run in parallel.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Knex } from 'knex'
import { parse } from 'csv-parse/sync'
import { upsertCommunes } from '../../src/communes/index.js'
import { generateProvince, type CommuneTruth, type SyntheticEncoding } from '../../src/synthetic/index.js'

export interface TestProvince {
  dir: string
  codes: string[]
  truth(code: string): CommuneTruth
  shapefile(code: string): { kind: 'shapefile'; name: string; shp: string; dbf: string; shx: string; prj: string; cpg?: string }
  cleanUp(): void
}

export async function makeProvince(options: { firstCode: number; communes?: number; parcelsPerCommune?: number; seed?: number; encoding?: SyntheticEncoding }): Promise<TestProvince> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'landbook-province-'))
  await generateProvince(
    { seed: options.seed ?? 11, communes: options.communes ?? 1, parcelsPerCommune: options.parcelsPerCommune ?? 300, encoding: options.encoding ?? 'utf8', firstCode: options.firstCode },
    dir,
  )
  const rows = parse(fs.readFileSync(path.join(dir, 'communes.csv')), { columns: true, bom: true }) as Array<Record<string, string>>
  return {
    dir,
    codes: rows.map((r) => r.code!),
    truth: (code) => JSON.parse(fs.readFileSync(path.join(dir, 'truth', `${code}.json`), 'utf8')) as CommuneTruth,
    shapefile: (code) => {
      const base = path.join(dir, 'parcels', code)
      return { kind: 'shapefile', name: code, shp: `${base}.shp`, dbf: `${base}.dbf`, shx: `${base}.shx`, prj: `${base}.prj`, cpg: fs.existsSync(`${base}.cpg`) ? `${base}.cpg` : undefined }
    },
    cleanUp: () => fs.rmSync(dir, { recursive: true, force: true }),
  }
}

export async function registerCommunes(knex: Knex, province: TestProvince): Promise<void> {
  const rows = parse(fs.readFileSync(path.join(province.dir, 'communes.csv')), { columns: true, bom: true }) as Array<Record<string, string>>
  await upsertCommunes(knex, rows.map((r) => ({ code: r.code!, name: r.name!, provinceCode: r.province_code!, srid: Number(r.srid), boundaryWkt: r.boundary_wkt || null })))
}
