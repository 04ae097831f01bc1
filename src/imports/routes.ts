/** HTTP routes of parcel imports: upload, job status and report, live progress (SSE). */
import { Router } from 'express'
import { z } from 'zod'
import type { AppDeps } from '../http/deps.js'
import { getJob, progressOf, runningJob } from './jobs.js'
import { Invalid } from '../errors.js'
import type { JobQueue } from './queue.js'
import { findingsByCode, listFindings, listJobs, startParcelImport } from './service.js'
import { createUploadMiddleware, removeUploadDir, uploadDirOf, type UploadLimits } from './upload/index.js'

const mappingSchema = z.record(z.string(), z.string()).optional()
const startSchema = z.object({
  commune: z.string().regex(/^\d{4,5}$/, 'mã xã gồm 5 chữ số (5-digit commune code)').optional(),
  mapping: z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (!text) return undefined
      try {
        return mappingSchema.parse(JSON.parse(text))
      } catch {
        ctx.addIssue({ code: 'custom', message: 'mapping phải là JSON {"sheet":"SOTO",...} (mapping must be a JSON object of field names)' })
        return z.NEVER
      }
    }),
})
const idParams = z.object({ id: z.coerce.number().int().positive('số lượt nhập là số nguyên dương (job id must be a positive integer)') })
const findingsQuery = z.object({
  code: z.string().optional(),
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
})

export function importRoutes({ db }: AppDeps, imports: { queue: JobQueue; uploadDir: string; limits: UploadLimits }): Router {
  const router = Router()
  const upload = createUploadMiddleware(imports.uploadDir, imports.limits)

  router.post('/api/imports/parcels', upload, async (req, res) => {
    try {
      const input = startSchema.parse(req.body ?? {})
      const started = await startParcelImport(db.knex, imports.queue, {
        dir: uploadDirOf(req)!, limits: imports.limits, communeCode: input.commune, mapping: input.mapping, removeDirWhenDone: true,
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

  router.get('/api/imports', async (_req, res) => {
    res.json({ jobs: await listJobs(db.knex) })
  })

  router.get('/api/imports/:id', async (req, res) => {
    const id = idParams.parse(req.params).id
    const live = runningJob(id)
    if (live) return void res.json({ job: live, progress: progressOf(id) ?? null, findingsByCode: [] })
    const job = await getJob(db.knex, id)
    res.json({ job, progress: progressOf(id) ?? null, findingsByCode: await findingsByCode(db.knex, id) })
  })

  router.get('/api/imports/:id/findings', async (req, res) => {
    const id = idParams.parse(req.params).id
    await getJob(db.knex, id)
    res.json(await listFindings(db.knex, id, findingsQuery.parse(req.query)))
  })

  // Server-sent events: progress once a second until the job has ended.
  router.get('/api/imports/:id/events', async (req, res) => {
    const id = idParams.parse(req.params).id
    if (!runningJob(id)) await getJob(db.knex, id)
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
