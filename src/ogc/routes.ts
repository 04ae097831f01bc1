/**
 * HTTP routes of the OGC API – Features under /ogc. Every route is read-only and needs a
 * reader: a signed-in session or an API token (`Authorization: Bearer …`). Readers see the
 * communes their role allows (admin and manager all, the others those assigned to them).
 */
import { Router, type Request, type Response } from 'express'
import type { AppDeps } from '../http/deps.js'
import { openApiDocument } from './openapi.js'
import { requireReader } from './reader.js'
import { tokenRoutes } from './token-routes.js'
import { CONFORMANCE, describeCollection, GEOJSON, itemsPage, landingPage, listCollections, oneFeature, OPENAPI_JSON, scopeOf, type ItemsResponse } from './service.js'

/** The API's absolute base URL as the client reached it (links must be absolute for GDAL). */
const baseOf = (req: Request) => `${req.protocol}://${req.get('host')}/ogc`

function sendFeatures(res: Response, result: ItemsResponse): void {
  if (result.contentCrs) res.setHeader('content-crs', `<${result.contentCrs}>`)
  res.type(GEOJSON).send(result.body)
}

/** The /ogc routes, and /api/tokens where readers get their API tokens. */
export function ogcRoutes(deps: AppDeps): Router {
  const { db } = deps
  const router = Router()
  router.use(tokenRoutes(deps))
  router.use('/ogc', requireReader({ db }))
  router.get('/ogc', (req, res) => {
    res.json(landingPage(baseOf(req)))
  })
  router.get('/ogc/conformance', (_req, res) => {
    res.json({ conformsTo: CONFORMANCE })
  })
  router.get('/ogc/api', async (req, res) => {
    res.type(OPENAPI_JSON).send(JSON.stringify(await openApiDocument(db.knex, baseOf(req))))
  })
  router.get('/ogc/collections', async (req, res) => {
    res.json(await listCollections(db.knex, baseOf(req), scopeOf(req.user!)))
  })
  router.get('/ogc/collections/:collectionId', async (req, res) => {
    res.json(await describeCollection(db.knex, req.params.collectionId, baseOf(req), scopeOf(req.user!)))
  })
  router.get('/ogc/collections/:collectionId/items', async (req, res) => {
    sendFeatures(res, await itemsPage(db.knex, req.params.collectionId, req.query, baseOf(req), req.user!))
  })
  router.get('/ogc/collections/:collectionId/items/:featureId', async (req, res) => {
    sendFeatures(res, await oneFeature(db.knex, req.params.collectionId, req.params.featureId, req.query, baseOf(req), req.user!))
  })
  return router
}
