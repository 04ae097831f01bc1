/**
 * HTTP routes of reconciliation: the work queue, a parcel's or record's detail, decisions,
 * bulk accept, and the audit trail with its verification. Reading: admin, manager (every
 * commune), clerk and signer (their communes); deciding: clerk (their communes) and admin.
 */
import { Router } from 'express'
import { z } from 'zod'
import { requireCommuneAccess, requireRole } from '../auth/index.js'
import type { AppDeps } from '../http/deps.js'
import { CATEGORIES } from '../matching/index.js'
import { listAudit, verifyAudit } from './audit.js'
import { bulkAccept } from './bulk.js'
import { decide } from './decisions.js'
import { parcelDetail, recordDetail } from './detail.js'
import { bulkAcceptInput, decisionInput } from './input.js'
import { listQueue, QUEUE_SORTS, queuePageJson } from './queue.js'

const STATUSES = ['imported', 'matched', 'needs_review', 'reconciled', 'signed', 'synced'] as const

const communeParams = z.object({ code: z.string() })
const idParams = z.object({ code: z.string(), id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) })
const yesNo = z.enum(['true', 'false']).transform((v) => v === 'true')
const page = z.coerce.number().int().min(1).max(1_000_000).default(1)

const queueQuery = z.object({
  category: z.enum(CATEGORIES).optional(),
  status: z.enum(STATUSES).optional(),
  sheet: z.string().trim().min(1).max(20).optional(),
  q: z.string().max(200).optional(),
  decided: yesNo.optional(),
  flagged: yesNo.optional(),
  sort: z.enum(QUEUE_SORTS).default('sheet'),
  page,
  limit: z.coerce.number().int().min(1).max(200).default(50),
})
const auditQuery = z.object({
  parcel: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  page,
  limit: z.coerce.number().int().min(1).max(500).default(100),
})

export function reconcileRoutes({ db }: AppDeps): Router {
  const router = Router()
  const read = [requireRole('admin', 'manager', 'clerk', 'signer'), requireCommuneAccess()]
  const write = [requireRole('clerk', 'admin'), requireCommuneAccess()]
  const actorOf = (user: { id: number } | undefined) => ({ id: user?.id ?? null })

  router.get('/api/communes/:code/queue', ...read, async (req, res) => {
    res.type('json').send(queuePageJson(await listQueue(db.knex, communeParams.parse(req.params).code, queueQuery.parse(req.query))))
  })
  router.get('/api/communes/:code/parcels/:id', ...read, async (req, res) => {
    const { code, id } = idParams.parse(req.params)
    res.json(await parcelDetail(db.knex, code, id))
  })
  router.get('/api/communes/:code/records/:id', ...read, async (req, res) => {
    const { code, id } = idParams.parse(req.params)
    res.json(await recordDetail(db.knex, code, id))
  })
  router.post('/api/communes/:code/parcels/:id/decisions', ...write, async (req, res) => {
    const { code, id } = idParams.parse(req.params)
    res.status(201).json(await decide(db.knex, code, id, decisionInput.parse(req.body), actorOf(req.user)))
  })
  router.post('/api/communes/:code/decisions/bulk-accept', ...write, async (req, res) => {
    res.status(201).json(await bulkAccept(db.knex, communeParams.parse(req.params).code, bulkAcceptInput.parse(req.body ?? {}), actorOf(req.user)))
  })
  router.get('/api/communes/:code/audit', ...read, async (req, res) => {
    res.json(await listAudit(db.knex, communeParams.parse(req.params).code, auditQuery.parse(req.query)))
  })
  router.get('/api/communes/:code/audit/verify', ...read, async (req, res) => {
    res.json(await verifyAudit(db.knex, communeParams.parse(req.params).code))
  })
  return router
}
