/**
 * HTTP routes of matching: run it for a commune (gis, clerk, admin), read its discrepancies
 * and summary (anyone signed in); always within the user's communes.
 */
import { Router } from 'express'
import { z } from 'zod'
import { requireCommuneAccess, requireRole } from '../auth/index.js'
import type { AppDeps } from '../http/deps.js'
import { getMatchRun, listMatchRuns, requestMatchRun } from './jobs.js'
import { CATEGORIES, listMatches, matchSummary, requireCommune } from './service.js'

const communeParams = z.object({ code: z.string() })
const runParams = z.object({ code: z.string(), id: z.coerce.number().int().positive() })
const listQuery = z.object({
  category: z.enum(CATEGORIES).optional(),
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
})

export function matchingRoutes({ db, imports, logger }: AppDeps): Router {
  const router = Router()
  // A run is a background job: 202 with the queued run; its page follows it by its URL.
  router.post('/api/communes/:code/match', requireRole('gis', 'clerk', 'admin'), requireCommuneAccess(), async (req, res) => {
    const commune = await requireCommune(db.knex, communeParams.parse(req.params).code)
    const run = await requestMatchRun(db.knex, imports.queue, commune, { requestedBy: req.user?.id ?? null, logger })
    res.status(202).location(`/api/communes/${commune}/match-runs/${run.id}`).json({ run })
  })
  router.get('/api/communes/:code/match-runs', requireCommuneAccess(), async (req, res) => {
    const commune = await requireCommune(db.knex, communeParams.parse(req.params).code)
    res.json({ commune, runs: await listMatchRuns(db.knex, commune) })
  })
  router.get('/api/communes/:code/match-runs/:id', requireCommuneAccess(), async (req, res) => {
    const { code, id } = runParams.parse(req.params)
    const commune = await requireCommune(db.knex, code)
    const run = await getMatchRun(db.knex, commune, id)
    res.json({ run, summary: run.state === 'succeeded' ? await matchSummary(db.knex, commune) : null })
  })
  router.get('/api/communes/:code/matches', requireCommuneAccess(), async (req, res) => {
    res.json(await listMatches(db.knex, communeParams.parse(req.params).code, listQuery.parse(req.query)))
  })
  router.get('/api/communes/:code/summary', requireCommuneAccess(), async (req, res) => {
    res.json(await matchSummary(db.knex, communeParams.parse(req.params).code))
  })
  return router
}
