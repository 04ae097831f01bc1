import { Router } from 'express'
import type { AppDeps } from '../http/deps.js'
import { getHealth } from './service.js'

export function healthRoutes({ db }: AppDeps): Router {
  const router = Router()
  router.get('/api/health', async (_req, res) => {
    const health = await getHealth(db)
    res.status(health.status === 'ok' ? 200 : 503).json(health)
  })
  return router
}
