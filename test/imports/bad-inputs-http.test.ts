/**
 * Bad uploads through the import API end to end: a delivery zip with an entry that climbs out
 * of its folder (fixtures/import/zip-slip/delivery.zip), and a file over the upload limit. Each
 * is refused with problem+json naming the culprit, creates no job, loads nothing and leaves
 * nothing on disk; the same commune's good files then load through the same route.
 * Commune 33019 belongs to this file.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { upsertCommunes } from '../../src/communes/index.js'
import { createApp } from '../../src/http/index.js'
import { JobQueue, uploadLimitsFrom, type UploadLimits } from '../../src/imports/index.js'
import { ZIP_ESCAPE_ENTRY } from '../../scripts/make-import-fixtures.js'
import { silentLogger } from '../helpers/app.js'
import { signInHeaders } from '../helpers/auth.js'
import { testDatabase } from '../helpers/db.js'

const FIXTURE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/import/zip-slip')
const CODE = '33019'
const SET = ['shp', 'shx', 'dbf', 'prj', 'cpg'].map((ext) => path.join(FIXTURE, `${CODE}.${ext}`))

const db = testDatabase()
const queue = new JobQueue(silentLogger)
let uploadDir: string
/** A GIS officer's session, assigned this file's commune. */
let gis: Record<string, string>

function appWith(limits: Partial<UploadLimits> = {}) {
  return createApp({ db, logger: silentLogger, imports: { queue, uploadDir, limits: { ...uploadLimitsFrom({}), ...limits } } })
}

/** This commune's jobs and parcels (other test files import at the same time). */
async function state() {
  const [jobs] = await db.knex('import_jobs').where('source_name', 'like', `%${CODE}%`).count({ n: '*' })
  const [parcels] = await db.knex('parcels').where({ commune_code: CODE }).count({ n: '*' })
  return { jobs: Number(jobs!.n), parcels: Number(parcels!.n) }
}

/** Every file left under the upload folder. */
function leftovers(): string[] {
  return fs.readdirSync(uploadDir, { recursive: true }) as string[]
}

beforeAll(async () => {
  uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), 'landbook-bad-uploads-'))
  await upsertCommunes(db.knex, [{ code: CODE, name: 'Xã Ia Lâu (thử nghiệm tải lên)', provinceCode: '64', srid: 9218 }])
  gis = (await signInHeaders(appWith(), db.knex, 'gis', [CODE])).headers
})
afterAll(async () => {
  await queue.idle()
  fs.rmSync(uploadDir, { recursive: true, force: true })
  await db.close()
})

describe('bad uploads to POST /api/imports/parcels', () => {
  it('refuses a zip with a path-traversal entry: 400 naming the entry, no job, nothing written', async () => {
    const before = await state()
    const res = await request(appWith()).post('/api/imports/parcels').set(gis).attach('files', fs.readFileSync(path.join(FIXTURE, 'delivery.zip')), 'delivery.zip')
    expect(res.status).toBe(400)
    expect(res.headers['content-type']).toContain('application/problem+json')
    expect(res.body.detail).toContain(ZIP_ESCAPE_ENTRY)
    expect(res.body.detail).toContain('delivery.zip')
    expect(res.body).not.toHaveProperty('stack')
    await queue.idle()
    expect(await state()).toEqual(before)
    expect(leftovers()).toEqual([])
    expect(fs.existsSync(path.join(path.dirname(uploadDir), `${CODE}.prj`))).toBe(false)
  })

  it('refuses a file over the size limit: 413 naming the file, no job, nothing written', async () => {
    const before = await state()
    const dbfSize = fs.statSync(path.join(FIXTURE, `${CODE}.dbf`)).size
    let req = request(appWith({ maxFileBytes: dbfSize - 1 })).post('/api/imports/parcels').set(gis)
    for (const file of SET) req = req.attach('files', fs.readFileSync(file), path.basename(file))
    const res = await req
    expect(res.status).toBe(413)
    expect(res.headers['content-type']).toContain('application/problem+json')
    expect(res.body.detail).toContain(`${CODE}.dbf`)
    await queue.idle()
    expect(await state()).toEqual(before)
    expect(leftovers()).toEqual([])
  })

  it('loads the same commune\'s good files sent through the same route', async () => {
    let req = request(appWith()).post('/api/imports/parcels').set(gis)
    for (const file of SET) req = req.attach('files', fs.readFileSync(file), path.basename(file))
    const res = await req.expect(202)
    expect(res.body.jobs).toHaveLength(1)
    expect(res.body.jobs[0].name).toContain(CODE)
    await queue.idle()
    const job = await db.knex('import_jobs').where({ id: res.body.jobs[0].id }).first()
    expect(job.state, job.error ?? '').toBe('succeeded')
    expect(job.counts).toMatchObject({ parcels: 6, rejected: 0 })
    expect((await state()).parcels).toBe(6)
    expect(leftovers()).toEqual([])
  })
})
