import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inject } from 'vitest'
import { loadDatasets } from '../../src/imports/index.js'
import { testDatabase } from '../helpers/db.js'
import { makeProvince, registerCommunes, type TestProvince } from '../helpers/province.js'

const db = testDatabase()
let province: TestProvince
let oneCommune: TestProvince
beforeAll(async () => {
  province = await makeProvince({ firstCode: 36000, communes: 3, parcelsPerCommune: 200, seed: 5 })
  oneCommune = await makeProvince({ firstCode: 36100, communes: 1, parcelsPerCommune: 200, seed: 6 })
  await registerCommunes(db.knex, province)
  await registerCommunes(db.knex, oneCommune)
})
afterAll(async () => {
  province?.cleanUp()
  oneCommune?.cleanUp()
  await db.close()
})

describe('bulk loading in lanes (worker threads on a server, one lane on the embedded database)', () => {
  it('loads every dataset as its own job, with the same results as one at a time', async () => {
    const events: string[] = []
    const jobs = await loadDatasets({ kind: db.kind, knex: db.knex, url: inject('databaseUrl') }, province.codes.map((c) => province.shapefile(c)), 2, {
      onStart: (d) => events.push(`start ${d.name}`),
      onDone: (d, job) => events.push(`done ${d.name} ${job.state}`),
    })
    expect(jobs.map((j) => j.state)).toEqual(['succeeded', 'succeeded', 'succeeded'])
    for (const [i, code] of province.codes.entries()) {
      expect(jobs[i]!.commune_code).toBe(code)
      const n = await db.knex('parcels').where({ commune_code: code }).count({ n: '*' })
      expect(Number(n[0]!.n)).toBe(province.truth(code).parcels)
    }
    expect(events.filter((e) => e.startsWith('done'))).toHaveLength(3)
  })

  it('loads two deliveries of one commune in turn: the second replaces the first, which goes to history', async () => {
    const code = oneCommune.codes[0]!
    const first = oneCommune.shapefile(code)
    // A corrected delivery: the same parcels, other bytes (so it is not a duplicate).
    const dir = fs.mkdtempSync(path.join(oneCommune.dir, 'corrected-'))
    for (const file of [first.shp, first.dbf, first.shx, first.prj, first.cpg]) if (file) fs.copyFileSync(file, path.join(dir, path.basename(file)))
    fs.appendFileSync(path.join(dir, path.basename(first.prj!)), '\n')
    const second = { ...first, shp: path.join(dir, path.basename(first.shp)), dbf: path.join(dir, path.basename(first.dbf!)), shx: path.join(dir, path.basename(first.shx!)), prj: path.join(dir, path.basename(first.prj!)), cpg: first.cpg && path.join(dir, path.basename(first.cpg)) }
    const jobs = await loadDatasets({ kind: db.kind, knex: db.knex, url: inject('databaseUrl') }, [first, second], 2, {})
    expect(jobs.map((j) => j.state)).toEqual(['succeeded', 'succeeded'])
    const parcels = oneCommune.truth(code).parcels
    expect(jobs.map((j) => Number((j.counts as { replaced: number }).replaced)).sort((a, b) => a - b)).toEqual([0, parcels])
    const [current] = await db.knex('parcels').where({ commune_code: code }).count({ n: '*' })
    const [history] = await db.knex('parcel_history').where({ commune_code: code }).count({ n: '*' })
    expect([Number(current!.n), Number(history!.n)]).toEqual([parcels, parcels])
  })
})
