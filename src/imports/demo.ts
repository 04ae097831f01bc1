/**
 * Demo data: on first start with an empty database, the committed demo communes
 * (fixtures/demo, made by scripts/generate-province.ts) are loaded through the same import
 * services GIS staff use.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Knex } from 'knex'
import { normalizeCommuneCode, readCommunesCsv, upsertCommunes } from '../communes/index.js'
import type { Logger } from '../logger.js'
import { createParcelJob, datasetSha256, runParcelJob } from './jobs.js'
import { createRecordsJob, fileSha256, runRecordsJob } from './records/index.js'
import { shapefileSetAt } from './sources/shapefile-source.js'

export interface DemoLoadResult {
  loaded: boolean
  communes: number
  parcels: number
  records: number
}

export async function loadDemoData(knex: Knex, demoDir: string, logger?: Logger): Promise<DemoLoadResult> {
  const { count } = (await knex('communes').count<{ count: number }>({ count: '*' }).first()) ?? { count: 0 }
  if (Number(count) > 0) return { loaded: false, communes: 0, parcels: 0, records: 0 }
  const communesFile = path.join(demoDir, 'communes.csv')
  if (!fs.existsSync(communesFile)) {
    logger?.warn({ demoDir }, 'no demo data found; starting with an empty database')
    return { loaded: false, communes: 0, parcels: 0, records: 0 }
  }
  const rows = readCommunesCsv(communesFile)
  await upsertCommunes(knex, rows)
  let parcels = 0
  let records = 0
  for (const row of rows) {
    const shp = path.join(demoDir, 'parcels', `${row.code}.shp`)
    if (!fs.existsSync(shp)) continue
    const dataset = shapefileSetAt(shp)
    const job = await createParcelJob(knex, { sourceName: `demo/${row.code}`, sha256: await datasetSha256(dataset), communeCode: row.code })
    const done = await runParcelJob(knex, job.id, dataset, { communeCode: row.code })
    if (done.state !== 'succeeded') throw new Error(`Demo commune ${row.code} failed to load: ${done.error}`)
    const loaded = Number((done.counts as { parcels?: number }).parcels ?? 0)
    parcels += loaded
    const recordsFile = path.join(demoDir, 'records', `${row.code}.csv`)
    let recordsLoaded = 0
    if (fs.existsSync(recordsFile)) {
      const file = { name: `demo/${row.code}.csv`, path: recordsFile }
      const recordsJob = await createRecordsJob(knex, { sourceName: file.name, sha256: await fileSha256(recordsFile), communeCode: row.code })
      const recordsDone = await runRecordsJob(knex, recordsJob.id, file, { communeCode: row.code })
      if (recordsDone.state !== 'succeeded') throw new Error(`Demo records of ${row.code} failed to load: ${recordsDone.error}`)
      recordsLoaded = Number((recordsDone.counts as { records?: number }).records ?? 0)
      records += recordsLoaded
    }
    logger?.info({ commune: row.code, parcels: loaded, records: recordsLoaded }, 'demo commune loaded')
  }
  return { loaded: true, communes: rows.length, parcels, records }
}

/** The demo communes (fixtures/demo/communes.csv) that are registered in the database. */
export async function demoCommuneCodes(knex: Knex, demoDir: string): Promise<string[]> {
  const communesFile = path.join(demoDir, 'communes.csv')
  if (!fs.existsSync(communesFile)) return []
  const codes = readCommunesCsv(communesFile).map((c) => normalizeCommuneCode(c.code))
  return knex('communes').whereIn('code', codes).orderBy('code').pluck('code')
}
