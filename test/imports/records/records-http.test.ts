/**
 * POST /api/imports/records end to end: files in, jobs out (202), records loaded by the
 * queue; bad requests refused with problem+json and no job. A GIS officer assigned the
 * communes uploads; the refusals are checked as an administrator (who may name any commune).
 * Communes 37100–37101 belong to this file.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Express } from 'express'
import type request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { upsertCommunes } from '../../../src/communes/index.js'
import { createApp } from '../../../src/http/index.js'
import { JobQueue, uploadLimitsFrom } from '../../../src/imports/index.js'
import { silentLogger } from '../../helpers/app.js'
import { signIn } from '../../helpers/auth.js'
import { testDatabase } from '../../helpers/db.js'

const db = testDatabase()
const queue = new JobQueue(silentLogger)
let uploadDir: string
let app: Express
let gis: Awaited<ReturnType<typeof signIn>>
let admin: Awaited<ReturnType<typeof signIn>>

const CSV = Buffer.from('\uFEFFMã xã,Số tờ,Số thửa,Tên chủ sử dụng,Diện tích pháp lý\r\n37100,1,1,Nguyễn Văn Thành,120.5\r\n37100,1,2,Siu Thơm,80\r\n')

beforeAll(async () => {
  uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), 'landbook-records-uploads-'))
  await upsertCommunes(db.knex, ['37100', '37101'].map((code) => ({ code, name: `Xã thử tải lên ${code}`, provinceCode: '64', srid: 9218 })))
  app = createApp({ db, logger: silentLogger, imports: { queue, uploadDir, limits: uploadLimitsFrom({}) } })
  gis = await signIn(app, db.knex, 'gis', ['37100', '37101'])
  admin = await signIn(app, db.knex, 'admin')
})
afterAll(async () => {
  await queue.idle()
  fs.rmSync(uploadDir, { recursive: true, force: true })
  await db.close()
})

const jobCount = async () => Number((await db.knex('import_jobs').where({ kind: 'records' }).count({ n: '*' }))[0]!.n)

describe('POST /api/imports/records', () => {
  it('starts one job per file and loads the records in the background', async () => {
    const res = await gis.agent.post('/api/imports/records').set('x-csrf-token', gis.csrf).attach('files', CSV, 'so-dia-chinh-37100.csv').expect(202)
    expect(res.body.jobs).toEqual([{ id: expect.any(Number), name: 'so-dia-chinh-37100.csv', state: 'queued', duplicateOf: null, url: `/api/imports/${res.body.jobs[0].id}` }])
    await queue.idle()
    const job = await db.knex('import_jobs').where({ id: res.body.jobs[0].id }).first()
    expect(job.state, job.error ?? '').toBe('succeeded')
    expect(job.kind).toBe('records')
    expect(job.counts).toMatchObject({ records: 2, rejected: 0 })
    expect(await db.knex('attribute_records').where({ commune_code: '37100' }).pluck('owner_name')).toEqual(['Nguyễn Văn Thành', 'Siu Thơm'])
    expect(fs.readdirSync(uploadDir)).toEqual([])
  })

  it('answers the same file again with a duplicate job that loads nothing', async () => {
    const res = await gis.agent.post('/api/imports/records').set('x-csrf-token', gis.csrf).attach('files', CSV, 'again.csv').expect(202)
    expect(res.body.jobs[0]).toMatchObject({ state: 'duplicate', duplicateOf: expect.any(Number) })
    await queue.idle()
    expect(await db.knex('attribute_records').where({ commune_code: '37100' })).toHaveLength(2)
  })

  it('uses the chosen commune and a column mapping', async () => {
    const file = Buffer.from('Tờ;Thửa;Chủ hộ;DT (m2)\n3;7;Ksor Blang;45,5\n')
    const res = await gis.agent
      .post('/api/imports/records')
      .set('x-csrf-token', gis.csrf)
      .field('commune', '37101')
      .field('mapping', JSON.stringify({ sheet: 'Tờ', parcel: 'Thửa', owner: 'Chủ hộ', legalArea: 'DT (m2)' }))
      .attach('files', file, 'xa-37101.csv')
      .expect(202)
    await queue.idle()
    const job = await db.knex('import_jobs').where({ id: res.body.jobs[0].id }).first()
    expect(job.state, job.error ?? '').toBe('succeeded')
    expect(job.report.mappingExplicit).toEqual(['sheet', 'parcel', 'owner', 'legalArea'])
    expect(await db.knex('attribute_records').where({ commune_code: '37101' }).first('sheet_number', 'parcel_number', 'owner_name', 'legal_area_m2')).toEqual({
      sheet_number: '3', parcel_number: '7', owner_name: 'Ksor Blang', legal_area_m2: 45.5,
    })
  })

  it.each([
    ['a mapping with an unknown field', (r: request.Test) => r.field('mapping', '{"chu":"Chủ hộ"}').attach('files', CSV, 'a.csv'), /mapping/],
    ['a commune that is not registered', (r: request.Test) => r.field('commune', '37199').attach('files', CSV, 'a.csv'), /37199/],
    ['no records file', (r: request.Test) => r.attach('files', Buffer.from('%PDF-1.4'), 'to-trinh.pdf'), /to-trinh\.pdf/],
    ['no file at all', (r: request.Test) => r.field('commune', '37100'), /files/],
  ])('refuses %s: 400, no job, nothing left on disk', async (_name, build, detail) => {
    const before = await jobCount()
    const res = await build(admin.agent.post('/api/imports/records').set('x-csrf-token', admin.csrf))
    expect(res.status).toBe(400)
    expect(res.headers['content-type']).toContain('application/problem+json')
    expect(res.body.detail).toMatch(detail)
    await queue.idle()
    expect(await jobCount()).toBe(before)
    expect(fs.readdirSync(uploadDir)).toEqual([])
  })
})
