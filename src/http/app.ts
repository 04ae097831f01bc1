/**
 * The app factory: builds the Express app from its dependencies without listening, so tests
 * drive it with supertest and `src/main.ts` serves it.
 */
import fs from 'node:fs'
import path from 'node:path'
import { randomUUID } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import express, { type Express } from 'express'
import helmet from 'helmet'
import { pinoHttp } from 'pino-http'
import { authenticate, authRoutes } from '../auth/index.js'
import { communeRoutes } from '../communes/index.js'
import { healthRoutes } from '../health/index.js'
import { importRoutes, recordsImportRoutes } from '../imports/index.js'
import { matchingRoutes } from '../matching/index.js'
import { progressRoutes } from '../progress/index.js'
import { ogcRoutes } from '../ogc/index.js'
import { exportRoutes } from '../exports/index.js'
import { reconcileRoutes } from '../reconcile/index.js'
import { signingRoutes } from '../signing/index.js'
import { tileRoutes } from '../tiles/index.js'
import { clientConfigRoutes } from './client-config.js'
import type { AppDeps } from './deps.js'
import { notFoundRoute, problemHandler } from './problem.js'

/** The web pages as Vite built them from `web/` (`npm run build:web`; `npm start` and `npm test` build first). */
export const WEB_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/web')

export function createApp(deps: AppDeps): Express {
  const app = express()
  app.disable('x-powered-by')
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const id = (req.headers['x-request-id'] as string | undefined) ?? randomUUID()
        res.setHeader('x-request-id', id)
        return id
      },
      autoLogging: { ignore: (req) => req.url === '/api/health' },
    }),
  )
  // Base-map tiles may come from an office server on plain http: its origin is allowed by name.
  const basemap = deps.web?.basemap ?? null
  const basemapOrigin = basemap ? new URL(basemap.url.replace(/\{[a-z]\}/g, '0')).origin : null
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'img-src': ["'self'", 'data:', 'https:', ...(basemapOrigin ? [basemapOrigin] : [])],
          'upgrade-insecure-requests': basemapOrigin?.startsWith('http:') ? null : [],
        },
      },
    }),
  )
  app.use(express.json({ limit: '1mb' }))

  // Sets req.user from the session cookie and checks CSRF tokens; each route has its guard.
  app.use(authenticate(deps))
  app.use(healthRoutes(deps))
  app.use(clientConfigRoutes(deps))
  app.use(authRoutes(deps))
  app.use(communeRoutes(deps))
  app.use(exportRoutes(deps)) // before any other GET /api/communes/:code/export: answers only requests with ?format=
  app.use(ogcRoutes(deps))
  app.use(importRoutes(deps, deps.imports))
  app.use(recordsImportRoutes(deps))
  app.use(matchingRoutes(deps))
  app.use(progressRoutes(deps))
  app.use(tileRoutes(deps))
  app.use(reconcileRoutes(deps))
  app.use(signingRoutes(deps))
  app.use('/api', notFoundRoute)

  // The built pages; without them the API still answers and the pages are 404.
  if (!fs.existsSync(path.join(WEB_ROOT, 'index.html'))) deps.logger.warn({ webRoot: WEB_ROOT }, 'the web pages are not built: run `npm run build:web` (npm start and npm test build them first)')
  // Scripts and styles are named by their content's hash: a browser may keep them for good.
  app.use('/assets', express.static(path.join(WEB_ROOT, 'assets'), { immutable: true, maxAge: '1y' }))
  app.use(express.static(WEB_ROOT, { index: 'index.html' }))
  app.use(notFoundRoute)
  app.use(problemHandler)
  return app
}
