/** GET /api/config: what the web pages need to know of the server's configuration (signed in). */
import { Router } from 'express'
import { requireUser } from '../auth/index.js'
import type { AppDeps } from './deps.js'

export function clientConfigRoutes(deps: AppDeps): Router {
  const router = Router()
  router.get('/api/config', requireUser, (_req, res) => {
    res.json({ basemap: deps.web?.basemap ?? null })
  })
  return router
}
