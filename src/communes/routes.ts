import { Router } from 'express'
import type { AppDeps } from '../http/deps.js'
import { getCommune, listCommunes } from './service.js'

export function communeRoutes({ db }: AppDeps): Router {
  const router = Router()
  router.get('/api/communes', async (_req, res) => {
    res.json({ communes: await listCommunes(db.knex) })
  })
  router.get('/api/communes/:code', async (req, res) => {
    res.json(await getCommune(db.knex, req.params.code))
  })
  return router
}
