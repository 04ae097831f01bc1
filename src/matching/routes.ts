/** HTTP routes of matching: run it for a commune, read its discrepancies and summary. */
import { Router } from 'express'
import { z } from 'zod'
import type { AppDeps } from '../http/deps.js'
import { matchCommune } from './engine.js'
import { CATEGORIES, listMatches, matchSummary, requireCommune } from './service.js'

const listQuery = z.object({
  category: z.enum(CATEGORIES).optional(),
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
})

export function matchingRoutes({ db }: AppDeps): Router {
  const router = Router()
  // A commune matches in well under a second, so the run is answered directly.
  router.post('/api/communes/:code/match', async (req, res) => {
    const commune = await requireCommune(db.knex, req.params.code)
    const run = await matchCommune(db.knex, commune)
    res.json({ run, summary: await matchSummary(db.knex, commune) })
  })
  router.get('/api/communes/:code/matches', async (req, res) => {
    res.json(await listMatches(db.knex, req.params.code, listQuery.parse(req.query)))
  })
  router.get('/api/communes/:code/summary', async (req, res) => {
    res.json(await matchSummary(db.knex, req.params.code))
  })
  return router
}
