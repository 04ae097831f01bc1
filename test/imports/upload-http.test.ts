/**
 * The import API end to end over HTTP: upload a commune's shapefile set (zipped, then loose),
 * wait for the background job, read its report and findings, and the error answers.
 */
import fs from 'node:fs'
import path from 'node:path'
import yazl from 'yazl'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../src/http/index.js'
import { silentLogger, testImports } from '../helpers/app.js'
import { signIn } from '../helpers/auth.js'
import { testDatabase } from '../helpers/db.js'
import { makeProvince, registerCommunes, type TestProvince } from '../helpers/province.js'

const db = testDatabase()
const imports = testImports()
const app = createApp({ db, logger: silentLogger, imports })
let province: TestProvince
let gis: Awaited<ReturnType<typeof signIn>>

beforeAll(async () => {
  province = await makeProvince({ firstCode: 35000, communes: 2, parcelsPerCommune: 250 })
  await registerCommunes(db.knex, province)
  gis = await signIn(app, db.knex, 'gis', province.codes)
})
afterAll(async () => {
  await imports.queue.idle()
  province?.cleanUp()
  await db.close()
})

/** The commune's shapefile set as files on disk: .shp, .shx, .dbf, .prj (and .cpg). */
function shapefileFiles(code: string): string[] {
  const set = province.shapefile(code)
  return [set.shp, set.shx, set.dbf, set.prj, set.cpg].filter((f): f is string => f !== undefined)
}

function zipOf(files: string[]): Promise<Buffer> {
  const zip = new yazl.ZipFile()
  for (const file of files) zip.addFile(file, path.basename(file))
  zip.end()
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks))).on('error', reject)
  })
}

/** Polls the job as a client would, until it is neither queued nor running. */
async function waitForJob(id: number, timeoutMs = 50_000) {
  const until = Date.now() + timeoutMs
  for (;;) {
    const res = await gis.agent.get(`/api/imports/${id}`).expect(200)
    if (!['queued', 'running'].includes(res.body.job.state)) return res.body
    if (Date.now() > until) throw new Error(`job ${id} still ${res.body.job.state} after ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

describe('POST /api/imports/parcels with a zip', () => {
  let code: string
  let zip: Buffer
  let jobId: number
  let report: { job: Record<string, any>; progress: unknown; findingsByCode: Array<{ code: string; severity: string; count: number }> }

  beforeAll(async () => {
    code = province.codes[0]!
    zip = await zipOf(shapefileFiles(code))
    const res = await gis.agent.post('/api/imports/parcels').set('x-csrf-token', gis.csrf).attach('files', zip, `${code}.zip`).expect(202)
    expect(res.body.orphans).toEqual([])
    expect(res.body.jobs).toHaveLength(1)
    expect(res.body.jobs[0]).toMatchObject({ state: 'queued', duplicateOf: null, url: `/api/imports/${res.body.jobs[0].id}` })
    jobId = res.body.jobs[0].id
    report = await waitForJob(jobId)
  })

  it('runs the job to success and loads exactly the truth file\'s parcels', async () => {
    const truth = province.truth(code)
    expect(report.job.state, report.job.error ?? '').toBe('succeeded')
    expect(report.job.commune_code).toBe(code)
    expect(report.job.counts.parcels).toBe(truth.parcels)
    expect(report.progress).toBeNull()
    const commune = await gis.agent.get(`/api/communes/${code}`).expect(200)
    expect(commune.body.parcels).toBe(truth.parcels)
  })

  it('lists the job among the recent jobs', async () => {
    const res = await gis.agent.get('/api/imports').expect(200)
    expect(res.body.jobs.map((j: { id: number }) => j.id)).toContain(jobId)
  })

  it('pages through the findings in order, the pages adding up to the counts by code', async () => {
    const total = report.findingsByCode.reduce((n, g) => n + g.count, 0)
    expect(total).toBeGreaterThanOrEqual(3)
    const all = await gis.agent.get(`/api/imports/${jobId}/findings?limit=1000`).expect(200)
    expect(all.body.total).toBe(total)
    const seqs = all.body.findings.map((f: { seq: number }) => f.seq)
    const paged: number[] = []
    for (let page = 1; page <= Math.ceil(total / 2); page++) {
      const res = await gis.agent.get(`/api/imports/${jobId}/findings?page=${page}&limit=2`).expect(200)
      expect(res.body).toMatchObject({ total, page, limit: 2 })
      paged.push(...res.body.findings.map((f: { seq: number }) => f.seq))
    }
    expect(paged).toEqual(seqs)
    const beyond = await gis.agent.get(`/api/imports/${jobId}/findings?page=${Math.ceil(total / 2) + 1}&limit=2`).expect(200)
    expect(beyond.body.findings).toEqual([])
  })

  it('filters the findings by code', async () => {
    const group = report.findingsByCode[0]!
    const res = await gis.agent.get(`/api/imports/${jobId}/findings`).query({ code: group.code, limit: 1000 }).expect(200)
    expect(res.body.total).toBe(group.count)
    expect(res.body.findings).toHaveLength(group.count)
    for (const f of res.body.findings) expect(f).toMatchObject({ code: group.code, severity: group.severity })
    const none = await gis.agent.get(`/api/imports/${jobId}/findings?code=no_such_code`).expect(200)
    expect(none.body).toMatchObject({ total: 0, findings: [] })
  })

  it('names the file, row, sheet and parcel of a planted invalid geometry', async () => {
    const planted = province.truth(code).planted.find((p) => p.kind === 'invalid_geometry')!
    const res = await gis.agent.get(`/api/imports/${jobId}/findings?code=geometry_repaired`).expect(200)
    expect(res.body.findings).toContainEqual(
      expect.objectContaining({ file: expect.stringContaining(code), row: expect.any(Number), sheet_number: `${planted.sheet}`, parcel_number: `${planted.parcel}` }),
    )
  })

  it('records the same zip again as a duplicate of the first job, without running it', async () => {
    const res = await gis.agent.post('/api/imports/parcels').set('x-csrf-token', gis.csrf).attach('files', zip, `${code}-again.zip`).expect(202)
    expect(res.body.jobs).toHaveLength(1)
    expect(res.body.jobs[0]).toMatchObject({ state: 'duplicate', duplicateOf: jobId })
    const again = await waitForJob(res.body.jobs[0].id)
    expect(again.job).toMatchObject({ state: 'duplicate', duplicate_of: jobId })
    expect(again.job.error).toContain(`${jobId}`)
  })

  it('streams the state of a finished job as one server-sent event, then ends the stream', async () => {
    const res = await gis.agent.get(`/api/imports/${jobId}/events`).expect(200)
    expect(res.headers['content-type']).toContain('text/event-stream')
    const events = res.text.split('\n\n').filter((e) => e.startsWith('data: '))
    expect(events.length).toBeGreaterThanOrEqual(1)
    const last = JSON.parse(events.at(-1)!.slice('data: '.length))
    expect(last).toMatchObject({ state: 'succeeded', progress: null, counts: { parcels: province.truth(code).parcels } })
  })
})

describe('POST /api/imports/parcels with loose files', () => {
  it('imports a shapefile set sent as separate files, and reports a stray file as an orphan', async () => {
    const code = province.codes[1]!
    let req = gis.agent.post('/api/imports/parcels').set('x-csrf-token', gis.csrf).field('commune', code)
    for (const file of shapefileFiles(code)) req = req.attach('files', fs.readFileSync(file), path.basename(file))
    const res = await req.attach('files', Buffer.from('ghi chú'), 'ghi-chu.txt').expect(202)
    expect(res.body.jobs).toHaveLength(1)
    expect(res.body.orphans).toEqual([{ file: 'ghi-chu.txt', reason: expect.stringContaining('not a supported map file') }])
    const report = await waitForJob(res.body.jobs[0].id)
    expect(report.job.state, report.job.error ?? '').toBe('succeeded')
    expect(report.job.counts.parcels).toBe(province.truth(code).parcels)
  })
})

describe('import API errors', () => {
  it('answers an upload without files with 400 problem+json naming the field', async () => {
    const res = await gis.agent.post('/api/imports/parcels').set('x-csrf-token', gis.csrf).field('commune', province.codes[0]!).expect(400)
    expect(res.headers['content-type']).toContain('application/problem+json')
    expect(res.body).toMatchObject({ status: 400, field: 'files' })
    expect(res.body.detail).toContain('files')
  })

  it('answers an unknown job with 404 problem+json', async () => {
    const res = await gis.agent.get('/api/imports/999999').expect(404)
    expect(res.headers['content-type']).toContain('application/problem+json')
    expect(res.body.detail).toContain('999999')
    await gis.agent.get('/api/imports/999999/findings').expect(404)
    await gis.agent.get('/api/imports/999999/events').expect(404)
  })

  it('answers a job id that is not a number with 400 problem+json', async () => {
    const res = await gis.agent.get('/api/imports/abc').expect(400)
    expect(res.headers['content-type']).toContain('application/problem+json')
    expect(res.body.status).toBe(400)
    expect(res.body.errors[0].field).toBe('id')
  })

  it('refuses an upload that holds no usable dataset with 400, listing the files', async () => {
    const res = await gis.agent.post('/api/imports/parcels').set('x-csrf-token', gis.csrf).attach('files', Buffer.from('ghi chú'), 'ghichu.txt').expect(400)
    expect(res.body.field).toBe('files')
    expect(res.body.orphans.map((o: { file: string }) => o.file)).toEqual(['ghichu.txt'])
  })
})
