/**
 * HTTP routes of communes. Any signed-in user reads them; gis, clerk and signer users see
 * only the communes assigned to them (the list is filtered, another commune is 403).
 */
import { Router } from 'express'
import { z } from 'zod'
import { canSeeAllCommunes, requireCommuneAccess, requireUser } from '../auth/index.js'
import type { AppDeps } from '../http/deps.js'
import { getCommune, listCommunes } from './service.js'

const communeParams = z.object({ code: z.string() })

export function communeRoutes({ db }: AppDeps): Router {
  const router = Router()
  router.get('/api/communes', requireUser, async (req, res) => {
    const user = req.user!
    res.json({ communes: await listCommunes(db.knex, canSeeAllCommunes(user) ? undefined : user.communes) })
  })
  router.get('/api/communes/:code', requireCommuneAccess(), async (req, res) => {
    res.json(await getCommune(db.knex, communeParams.parse(req.params).code))
  })
  return router
}
