/**
 * A GIS officer imports only into assigned communes: a commune chosen in the form is checked
 * before anything is stored (403, no job); one known only from the file is checked when the
 * load finds it, inside the load's transaction, so the job fails and nothing is kept. The
 * job records who started it. Communes 39040 (assigned) and 39041 (not) belong to this file.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../src/http/index.js'
import { silentLogger, testImports } from '../helpers/app.js'
import { signIn, type TestAgent } from '../helpers/auth.js'
import { testDatabase } from '../helpers/db.js'
import { makeProvince, registerCommunes, type TestProvince } from '../helpers/province.js'

const db = testDatabase()
const imports = testImports()
const app = createApp({ db, logger: silentLogger, imports })
let province: TestProvince
let gis: { agent: TestAgent; csrf: string; user: { id: number } }
let assigned: string
let other: string

beforeAll(async () => {
  province = await makeProvince({ firstCode: 39040, communes: 2, parcelsPerCommune: 80, seed: 4 })
  await registerCommunes(db.knex, province)
  ;[assigned, other] = province.codes as [string, string]
  gis = await signIn(app, db.knex, 'gis', [assigned])
})
afterAll(async () => {
  await imports.queue.idle()
  province?.cleanUp()
  await db.close()
})

function uploadShapefile(code: string, commune?: string) {
  const set = province.shapefile(code)
  let req = gis.agent.post('/api/imports/parcels').set('x-csrf-token', gis.csrf)
  if (commune) req = req.field('commune', commune)
  for (const file of [set.shp, set.shx, set.dbf, set.prj, set.cpg].filter((f): f is string => f !== undefined)) req = req.attach('files', fs.readFileSync(file), path.basename(file))
  return req
}

const recordsCsv = (code: string) => Buffer.from(`Mã xã,Số tờ,Số thửa,Tên chủ sử dụng,Diện tích pháp lý\r\n${code},1,1,Nguyễn Văn An,100\r\n`)
const jobsNamed = async (name: string) => Number((await db.knex('import_jobs').where('source_name', 'like', `%${name}%`).count({ n: '*' }))[0]!.n)
const parcelsOf = async (code: string) => Number((await db.knex('parcels').where({ commune_code: code }).count({ n: '*' }))[0]!.n)

describe('imports by a GIS officer', () => {
  it('refuses a commune chosen in the form that is not assigned: 403, no job, nothing stored', async () => {
    const res = await uploadShapefile(other, other).expect(403)
    expect(res.body.detail).toContain(other)
    await imports.queue.idle()
    expect(await jobsNamed(other)).toBe(0)
    const records = await gis.agent.post('/api/imports/records').set('x-csrf-token', gis.csrf).field('commune', other).attach('files', recordsCsv(other), `so-${other}.csv`).expect(403)
    expect(records.body.detail).toContain(other)
    expect(await jobsNamed(`so-${other}`)).toBe(0)
  })

  it('fails the job of a file whose data names an unassigned commune, keeping nothing of it', async () => {
    const res = await uploadShapefile(other).expect(202)
    await imports.queue.idle()
    const job = await db.knex('import_jobs').where({ id: res.body.jobs[0].id }).first()
    expect(job).toMatchObject({ state: 'failed', commune_code: null, created_by: gis.user.id })
    expect(job.error).toContain(other)
    expect(await parcelsOf(other)).toBe(0)
    // The officer who started it can read why.
    const report = await gis.agent.get(`/api/imports/${job.id}`).expect(200)
    expect(report.body.findingsByCode).toEqual([expect.objectContaining({ code: 'import_failed' })])

    const records = await gis.agent.post('/api/imports/records').set('x-csrf-token', gis.csrf).attach('files', recordsCsv(other), `hs-${other}.csv`).expect(202)
    await imports.queue.idle()
    const recordsJob = await db.knex('import_jobs').where({ id: records.body.jobs[0].id }).first()
    expect(recordsJob).toMatchObject({ state: 'failed', created_by: gis.user.id })
    expect(recordsJob.error).toContain(other)
    expect(await db.knex('attribute_records').where({ commune_code: other })).toEqual([])
  })

  it('imports into an assigned commune, found from the file, and records who started the job', async () => {
    const res = await uploadShapefile(assigned).expect(202)
    await imports.queue.idle()
    const job = await db.knex('import_jobs').where({ id: res.body.jobs[0].id }).first()
    expect(job, job.error ?? '').toMatchObject({ state: 'succeeded', commune_code: assigned, created_by: gis.user.id })
    expect(await parcelsOf(assigned)).toBe(province.truth(assigned).parcels)
  })
})
