/**
 * HTTP routes of the dashboard: the communes' figures with totals (JSON, CSV, XLSX), the same on
 * commune boundaries (GeoJSON, for the choropleth), and progress over time. Any signed-in user;
 * each sees the communes assigned to them (admin and manager: all).
 */
import { Router, type Request } from 'express'
import { z } from 'zod'
import { assertCommuneAccess, canSeeAllCommunes, requireUser } from '../auth/index.js'
import { normalizeCommuneCode } from '../communes/index.js'
import { NotFound } from '../errors.js'
import type { AppDeps } from '../http/deps.js'
import { progressCsv, writeProgressXlsx } from './export.js'
import { progressGeojson, provinceProgress, type ProgressScope } from './service.js'
import { progressTimeline } from './timeline.js'

const downloadQuery = z.object({ lang: z.enum(['vi', 'en']).default('vi') })
const timelineQuery = z.object({ commune: z.string().trim().min(1).max(10).optional() })

const scopeOf = (req: Request): ProgressScope => ({ communes: canSeeAllCommunes(req.user!) ? null : req.user!.communes })

/** `tien-do-2026-11-23.csv`: the day of the figures in the file name. */
const fileName = (ext: string) => `tien-do-${new Date().toISOString().slice(0, 10)}.${ext}`

export function progressRoutes({ db }: AppDeps): Router {
  const router = Router()
  router.get('/api/progress/communes', requireUser, async (req, res) => {
    res.json(await provinceProgress(db.knex, scopeOf(req)))
  })
  router.get('/api/progress/communes.csv', requireUser, async (req, res) => {
    const { lang } = downloadQuery.parse(req.query)
    const csv = progressCsv(await provinceProgress(db.knex, scopeOf(req)), lang)
    res.type('text/csv; charset=utf-8').attachment(fileName('csv')).send(csv)
  })
  router.get('/api/progress/communes.xlsx', requireUser, async (req, res) => {
    const { lang } = downloadQuery.parse(req.query)
    const progress = await provinceProgress(db.knex, scopeOf(req))
    res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').attachment(fileName('xlsx'))
    await writeProgressXlsx(progress, lang, res)
    res.end()
  })
  router.get('/api/progress/communes.geojson', requireUser, async (req, res) => {
    res.type('application/geo+json').send(JSON.stringify(await progressGeojson(db.knex, scopeOf(req))))
  })
  router.get('/api/progress/timeline', requireUser, async (req, res) => {
    const { commune } = timelineQuery.parse(req.query)
    let communes = scopeOf(req).communes
    if (commune !== undefined) {
      const code = normalizeCommuneCode(commune)
      assertCommuneAccess(req.user!, code)
      if (!(await db.knex('communes').where({ code }).first('code'))) throw new NotFound(`Không có xã mã ${commune} (no commune with this code).`, { field: 'commune' })
      communes = [code]
    }
    res.json(await progressTimeline(db.knex, communes))
  })
  return router
}
