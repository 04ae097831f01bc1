import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inject } from 'vitest'
import { loadDatasets } from '../../src/imports/index.js'
import { testDatabase } from '../helpers/db.js'
import { makeProvince, registerCommunes, type TestProvince } from '../helpers/province.js'

const db = testDatabase()
let province: TestProvince
beforeAll(async () => {
  province = await makeProvince({ firstCode: 36000, communes: 3, parcelsPerCommune: 200, seed: 5 })
  await registerCommunes(db.knex, province)
})
afterAll(async () => {
  province?.cleanUp()
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
})
