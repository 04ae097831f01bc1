/**
 * HTTP routes of signing: batches prepared and signed by a signer (their communes), signature
 * status of a parcel and of a commune (anyone who may read the commune), the integration
 * package (admin, signer), and trust: root CAs and signer authorisations (admin).
 */
import express, { Router } from 'express'
import { z } from 'zod'
import { assertCommuneAccess, requireCommuneAccess, requireRole } from '../auth/index.js'
import { Invalid } from '../errors.js'
import type { AppDeps } from '../http/deps.js'
import { batchView, getBatch, listBatches, prepareBatch, submitSignature } from './batches.js'
import { exportCommune, listExports } from './export.js'
import { addAuthorisation, addTrustedCa, listAuthorisations, listTrustedCas, revokeAuthorisation, removeTrustedCa } from './trust.js'
import { communeOfParcel, parcelSignature, verifyCommune } from './verify.js'

const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER)
const communeParams = z.object({ code: z.string() })
const batchParams = z.object({ code: z.string(), id })
const idParams = z.object({ id })
const prepareBody = z.object({ parcelIds: z.array(id).min(1).max(100_000).optional() }).strict()
const signatureBody = z.object({ cms: z.string().min(16).max(1_000_000) })
const caBody = z.object({ pem: z.string().min(40).max(100_000), note: z.string().max(500).optional() })
const authorisationBody = z.object({
  commune: z.string(),
  certificate: z.string().max(100_000).optional(),
  subject: z.string().min(3).max(1000).optional(),
  serial: z.string().max(200).nullable().optional(),
  userId: id.nullable().optional(),
  note: z.string().max(500).optional(),
})
const exportQuery = z.object({ partial: z.enum(['true', 'false']).optional() })

/** The uploaded CMS: JSON {cms: base64}, or the DER itself as application/pkcs7-signature or octet-stream. */
function cmsFrom(body: unknown): Uint8Array {
  if (Buffer.isBuffer(body)) return new Uint8Array(body)
  const { cms } = signatureBody.parse(body)
  const text = cms.includes('-----BEGIN') ? cms.replace(/-----[^-]+-----/g, '') : cms
  if (!/^[A-Za-z0-9+/=\s]+$/.test(text)) throw new Invalid('Trường cms phải là chữ ký CMS mã hóa base64 (DER) hoặc PEM (cms must be base64 DER or PEM).', { field: 'cms' })
  return new Uint8Array(Buffer.from(text.replace(/\s+/g, ''), 'base64'))
}

export function signingRoutes({ db }: AppDeps): Router {
  const router = Router()
  const knex = db.knex
  const read = [requireRole('admin', 'manager', 'clerk', 'signer'), requireCommuneAccess()]
  const sign = [requireRole('signer'), requireCommuneAccess()]
  const admin = requireRole('admin')
  const userId = (req: express.Request) => req.user?.id ?? null

  router.post('/api/communes/:code/signing/batches', ...sign, async (req, res) => {
    const { code } = communeParams.parse(req.params)
    const prepared = await prepareBatch(knex, code, { parcelIds: prepareBody.parse(req.body ?? {}).parcelIds, preparedBy: userId(req) })
    res.status(201).location(`/api/communes/${prepared.commune}/signing/batches/${prepared.batchId}`).json(prepared)
  })
  router.get('/api/communes/:code/signing/batches', ...read, async (req, res) => {
    res.json({ batches: await listBatches(knex, communeParams.parse(req.params).code) })
  })
  router.get('/api/communes/:code/signing/batches/:id', ...read, async (req, res) => {
    const { code, id: batchId } = batchParams.parse(req.params)
    res.json(batchView(await getBatch(knex, code, batchId)))
  })
  router.post(
    '/api/communes/:code/signing/batches/:id/signature',
    ...sign,
    express.raw({ type: ['application/pkcs7-signature', 'application/pkcs7-mime', 'application/octet-stream'], limit: '1mb' }),
    async (req, res) => {
      const { code, id: batchId } = batchParams.parse(req.params)
      res.json(await submitSignature(knex, code, batchId, cmsFrom(req.body), { userId: userId(req) }))
    },
  )
  router.get('/api/communes/:code/signing/verify', ...read, async (req, res) => {
    res.json(await verifyCommune(knex, communeParams.parse(req.params).code))
  })
  router.get('/api/communes/:code/parcels/:id/signature', ...read, async (req, res) => {
    const { code, id: parcelId } = batchParams.parse(req.params)
    res.json(await parcelSignature(knex, code, parcelId))
  })
  // Parcel ids come from one identity over all communes, so the commune can be looked up.
  router.get('/api/parcels/:id/signature', requireRole('admin', 'manager', 'clerk', 'signer'), async (req, res) => {
    const { id: parcelId } = idParams.parse(req.params)
    const commune = await communeOfParcel(knex, parcelId)
    assertCommuneAccess(req.user!, commune)
    res.json(await parcelSignature(knex, commune, parcelId))
  })

  router.get('/api/communes/:code/export', requireRole('admin', 'signer'), requireCommuneAccess(), async (req, res) => {
    const { code } = communeParams.parse(req.params)
    const pkg = await exportCommune(knex, code, { exportedBy: userId(req), partial: exportQuery.parse(req.query).partial === 'true' })
    res.status(200).type('application/zip').attachment(pkg.fileName).setHeader('x-export-id', String(pkg.id))
    pkg.zip.pipe(res)
  })
  router.get('/api/communes/:code/exports', ...read, async (req, res) => {
    res.json({ exports: await listExports(knex, communeParams.parse(req.params).code) })
  })

  router.get('/api/signing/trusted-cas', admin, async (_req, res) => {
    res.json({ trustedCas: await listTrustedCas(knex) })
  })
  router.post('/api/signing/trusted-cas', admin, async (req, res) => {
    const body = caBody.parse(req.body)
    res.status(201).json(await addTrustedCa(knex, body.pem, { note: body.note, addedBy: userId(req) }))
  })
  router.delete('/api/signing/trusted-cas/:id', admin, async (req, res) => {
    res.json(await removeTrustedCa(knex, idParams.parse(req.params).id))
  })
  router.get('/api/signing/authorisations', admin, async (req, res) => {
    const commune = typeof req.query.commune === 'string' ? req.query.commune : undefined
    res.json({ authorisations: await listAuthorisations(knex, { commune }) })
  })
  router.post('/api/signing/authorisations', admin, async (req, res) => {
    res.status(201).json(await addAuthorisation(knex, authorisationBody.parse(req.body), userId(req)))
  })
  router.delete('/api/signing/authorisations/:id', admin, async (req, res) => {
    res.json(await revokeAuthorisation(knex, idParams.parse(req.params).id))
  })
  return router
}
