/**
 * Small synthetic provinces for tests, made by the project's own generator into a temp
 * folder, with their communes registered. Each test file passes its own first commune code so
 * files never share communes and can run in parallel.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Knex } from 'knex'
import { readCommunesCsv, upsertCommunes } from '../../src/communes/index.js'
import { createParcelJob, datasetSha256, runParcelJob, shapefileSetAt, type JobRow } from '../../src/imports/index.js'
import { generateProvince, type CommuneTruth, type SyntheticEncoding } from '../../src/synthetic/index.js'

export interface TestProvince {
  dir: string
  codes: string[]
  truth(code: string): CommuneTruth
  shapefile(code: string): ReturnType<typeof shapefileSetAt>
  cleanUp(): void
}

export async function makeProvince(options: { firstCode: number; communes?: number; parcelsPerCommune?: number; seed?: number; encoding?: SyntheticEncoding }): Promise<TestProvince> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'landbook-province-'))
  await generateProvince(
    { seed: options.seed ?? 11, communes: options.communes ?? 1, parcelsPerCommune: options.parcelsPerCommune ?? 300, encoding: options.encoding ?? 'utf8', firstCode: options.firstCode },
    dir,
  )
  return {
    dir,
    codes: readCommunesCsv(path.join(dir, 'communes.csv')).map((c) => c.code),
    truth: (code) => JSON.parse(fs.readFileSync(path.join(dir, 'truth', `${code}.json`), 'utf8')) as CommuneTruth,
    shapefile: (code) => shapefileSetAt(path.join(dir, 'parcels', `${code}.shp`)),
    cleanUp: () => fs.rmSync(dir, { recursive: true, force: true }),
  }
}

export async function registerCommunes(knex: Knex, province: TestProvince): Promise<void> {
  await upsertCommunes(knex, readCommunesCsv(path.join(province.dir, 'communes.csv')))
}

/** Loads one commune's generated shapefile through the parcel import job; returns the finished job. */
export async function importParcels(knex: Knex, province: TestProvince, code: string): Promise<JobRow> {
  const dataset = province.shapefile(code)
  const job = await createParcelJob(knex, { sourceName: dataset.name, sha256: await datasetSha256(dataset) })
  return runParcelJob(knex, job.id, dataset)
}
