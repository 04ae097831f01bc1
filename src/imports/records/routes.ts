/**
 * HTTP route of attribute-record imports: upload CSV/XLSX files, one job each. Status, report
 * and findings are read through the import routes shared with parcels (/api/imports/:id).
 */
import { Router } from 'express'
import { z } from 'zod'
import { requireRole } from '../../auth/index.js'
import type { AppDeps } from '../../http/deps.js'
import { createUploadMiddleware, removeUploadDir, uploadDirOf, uploadFormSchema } from '../upload/index.js'
import { RECORD_FIELD_NAMES, type RecordField } from './headers.js'
import { startRecordsImport } from './service.js'

const mappingSchema = z.partialRecord(z.enum(RECORD_FIELD_NAMES as [RecordField, ...RecordField[]]), z.string().min(1))
const startSchema = uploadFormSchema(mappingSchema, `mapping phải là JSON {"sheet":"Tờ số",...} với các trường ${RECORD_FIELD_NAMES.join(', ')} (mapping must be a JSON object of field → column header)`)

export function recordsImportRoutes({ db, imports }: AppDeps): Router {
  const router = Router()
  const upload = createUploadMiddleware(imports.uploadDir, imports.limits)

  // gis and admin; the role is checked before the upload is read, the commune once it is known.
  router.post('/api/imports/records', requireRole('gis', 'admin'), upload, async (req, res) => {
    try {
      const input = startSchema.parse(req.body ?? {})
      const started = await startRecordsImport(db.knex, imports.queue, { dir: uploadDirOf(req)!, communeCode: input.commune, mapping: input.mapping, user: req.user, removeDirWhenDone: true })
      res.status(202).json({
        jobs: started.jobs.map((j) => ({ id: j.id, name: j.source_name, state: j.state, duplicateOf: j.duplicate_of, url: `/api/imports/${j.id}` })),
        orphans: started.orphans,
      })
    } catch (error) {
      await removeUploadDir(req)
      throw error
    }
  })

  return router
}
