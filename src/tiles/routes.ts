/**
 * HTTP route of the vector tiles: `GET /tiles/parcels/{z}/{x}/{y}.pbf` for any signed-in user,
 * showing only the communes the user may see. A tile with nothing in it is 204. Tiles are
 * private to the user (their communes) and cached briefly; the ETag lets the browser revalidate.
 */
import { Router, type Request } from 'express'
import { canSeeAllCommunes, requireUser } from '../auth/index.js'
import type { AppDeps } from '../http/deps.js'
import { tileCoord } from './coordinates.js'
import { renderTile } from './service.js'
import type { TileScope } from './sql.js'

export const MVT_CONTENT_TYPE = 'application/vnd.mapbox-vector-tile'

const scopeOf = (req: Request): TileScope => ({ communes: canSeeAllCommunes(req.user!) ? null : req.user!.communes })

export function tileRoutes({ db }: AppDeps): Router {
  const router = Router()
  router.get('/tiles/parcels/:z/:x/:y.pbf', requireUser, async (req, res) => {
    const tile = await renderTile(db.knex, tileCoord(req.params), scopeOf(req))
    // Statuses change as clerks work: a minute's staleness, and revalidation by ETag after it.
    res.set('Cache-Control', 'private, max-age=60').vary('Cookie')
    if (!tile) {
      res.status(204).end()
      return
    }
    res.type(MVT_CONTENT_TYPE).send(tile) // Express adds the ETag and answers 304 when it matches
  })
  return router
}
