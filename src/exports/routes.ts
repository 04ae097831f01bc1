/**
 * HTTP route of data exports: `GET /api/communes/:code/export?format=…`. It answers only
 * requests that name a format; without one the request goes on to the next route of that path
 * (the signed integration package of signing). Readers are a session or an API token (GIS
 * programs), within their communes.
 */
import { Router, type RequestHandler } from 'express'
import { requireCommuneAccess, requireUser } from '../auth/index.js'
import type { AppDeps } from '../http/deps.js'
import { requireReader } from '../ogc/index.js'
import { parseExportRequest } from './options.js'
import { prepareExport } from './service.js'

const hasFormat = (query: Record<string, unknown>) => query.format !== undefined

export function exportRoutes(deps: AppDeps): Router {
  const router = Router()
  const reader = requireReader(deps)
  // A token is honoured only for a data export; the route after this one sees sessions only.
  const guard: RequestHandler = (req, res, next) => (hasFormat(req.query) ? reader(req, res, next) : requireUser(req, res, next))
  router.get('/api/communes/:code/export', guard, requireCommuneAccess(), async (req, res, next) => {
    if (!hasFormat(req.query)) return next()
    const request = parseExportRequest(req.params.code as string, req.query)
    const prepared = await prepareExport(deps.db.knex, request)
    res.setHeader('content-type', prepared.contentType)
    res.setHeader('content-disposition', `attachment; filename="${prepared.fileName}"`)
    res.setHeader('cache-control', 'no-store')
    try {
      await prepared.write(res)
    } catch (error) {
      // Headers are gone: the client sees a cut-off download, the log says why.
      req.log?.error({ err: error }, 'export failed while streaming')
      res.destroy(error as Error)
    }
  })
  return router
}
