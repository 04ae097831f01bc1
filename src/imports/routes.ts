/**
 * HTTP routes of parcel imports: upload, job status and report, live progress (SSE).
 * gis and admin upload; gis, admin and manager read jobs (a GIS officer only those of the
 * communes assigned to them, see assertJobVisible).
 */
import { Router } from 'express'
import { z } from 'zod'
import { requireRole, type SessionUser } from '../auth/index.js'
import type { AppDeps } from '../http/deps.js'
import { getJob, progressOf, runningJob } from './jobs.js'
import { Invalid } from '../errors.js'
import type { JobQueue } from './queue.js'
import { assertJobVisible, findingsByCode, listFindings, listJobs, startParcelImport } from './service.js'
import { createUploadMiddleware, removeUploadDir, uploadDirOf, uploadFormSchema, type UploadLimits } from './upload/index.js'

const mappingSchema = z.record(z.string(), z.string()).optional()
const startSchema = uploadFormSchema(mappingSchema, 'mapping phải là JSON {"sheet":"SOTO",...} (mapping must be a JSON object of field names)')
const idParams = z.object({ id: z.coerce.number().int().positive('số lượt nhập là số nguyên dương (job id must be a positive integer)') })
const findingsQuery = z.object({
  code: z.string().optional(),
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
})

export function importRoutes({ db }: AppDeps, imports: { queue: JobQueue; uploadDir: string; limits: UploadLimits }): Router {
  const router = Router()
  const upload = createUploadMiddleware(imports.uploadDir, imports.limits)
  const canUpload = requireRole('gis', 'admin')
  const canRead = requireRole('gis', 'admin', 'manager')
  /** The job, from memory while it runs (see jobs.ts), if the user may see it. */
  const visibleJob = async (user: SessionUser, id: number) => {
    const job = runningJob(id) ?? (await getJob(db.knex, id))
    assertJobVisible(user, job)
    return job
  }

  // The role is checked before the upload is read; the commune once the form's fields are.
  router.post('/api/imports/parcels', canUpload, upload, async (req, res) => {
    try {
      const input = startSchema.parse(req.body ?? {})
      const started = await startParcelImport(db.knex, imports.queue, {
        dir: uploadDirOf(req)!, limits: imports.limits, communeCode: input.commune, mapping: input.mapping, user: req.user, removeDirWhenDone: true,
      })
      if (started.jobs.length === 0) {
        throw new Invalid('Không có bộ dữ liệu bản đồ nào dùng được trong các tệp đã tải lên (no usable map dataset in the upload).', { field: 'files' }, { orphans: started.orphans })
      }
      res.status(202).json({ jobs: started.jobs.map((j) => ({ id: j.id, name: j.source_name, state: j.state, duplicateOf: j.duplicate_of, url: `/api/imports/${j.id}` })), orphans: started.orphans })
    } catch (error) {
      await removeUploadDir(req)
      throw error
    }
  })

  router.get('/api/imports', canRead, async (req, res) => {
    res.json({ jobs: await listJobs(db.knex, req.user!) })
  })

  router.get('/api/imports/:id', canRead, async (req, res) => {
    const id = idParams.parse(req.params).id
    const job = await visibleJob(req.user!, id)
    if (runningJob(id)) return void res.json({ job, progress: progressOf(id) ?? null, findingsByCode: [] })
    res.json({ job, progress: progressOf(id) ?? null, findingsByCode: await findingsByCode(db.knex, id) })
  })

  router.get('/api/imports/:id/findings', canRead, async (req, res) => {
    const id = idParams.parse(req.params).id
    await visibleJob(req.user!, id)
    res.json(await listFindings(db.knex, id, findingsQuery.parse(req.query)))
  })

  // Server-sent events: progress once a second until the job has ended.
  router.get('/api/imports/:id/events', canRead, async (req, res) => {
    const id = idParams.parse(req.params).id
    await visibleJob(req.user!, id)
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' })
    let closed = false
    req.on('close', () => {
      closed = true
    })
    while (!closed) {
      const job = runningJob(id) ?? (await getJob(db.knex, id))
      res.write(`data: ${JSON.stringify({ state: job.state, progress: progressOf(id) ?? null, counts: job.counts })}\n\n`)
      if (!['queued', 'running'].includes(job.state)) break
      await new Promise((r) => setTimeout(r, 1000))
    }
    // Tell the client the stream is over, so EventSource does not reconnect to it.
    res.end('event: end\ndata: {}\n\n')
  })

  return router
}
