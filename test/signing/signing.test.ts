import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import { createApp } from '../../src/http/index.js'
import { bulkAccept, decide, decisionInput } from '../../src/reconcile/index.js'
import { verifyCommune, verifyProof, type InclusionProof } from '../../src/signing/index.js'
import { silentLogger, testImports } from '../helpers/app.js'
import { signIn } from '../helpers/auth.js'
import { testDatabase } from '../helpers/db.js'
import { matchedProvince } from '../helpers/matched-commune.js'
import type { TestProvince } from '../helpers/province.js'
import { cmsFor, makePki, type Pki } from './pki-fixtures.js'

const db = testDatabase()
const knex = db.knex
const app = createApp({ db, logger: silentLogger, imports: testImports() })
let province: TestProvince
let code: string
let other: string
let pki: Pki
let signer: Awaited<ReturnType<typeof signIn>>
let admin: Awaited<ReturnType<typeof signIn>>
let clerk: Awaited<ReturnType<typeof signIn>>

beforeAll(async () => {
  province = await matchedProvince(knex, { firstCode: 42000, communes: 2, parcelsPerCommune: 300, seed: 21 })
  ;[code, other] = province.codes as [string, string]
  // The clerks' bulk accept reconciles every matched parcel (with its audit events).
  await bulkAccept(knex, code, {}, { id: null })
  pki = await makePki(knex, code, other)
  signer = await signIn(app, knex, 'signer', [code, other])
  admin = await signIn(app, knex, 'admin')
  clerk = await signIn(app, knex, 'clerk', [code])
})
afterAll(async () => {
  province?.cleanUp()
  await db.close()
})

const reconciledIds = async (limit = 10_000) =>
  (await knex('parcels').where({ commune_code: code, status: 'reconciled' }).orderBy('id').limit(limit).pluck('id')).map(Number)
const statusOf = async (id: number) => (await knex('parcels').where({ commune_code: code, id }).first('status')).status as string

async function prepare(parcelIds?: number[]) {
  const res = await signer.agent.post(`/api/communes/${code}/signing/batches`).set('x-csrf-token', signer.csrf).send(parcelIds ? { parcelIds } : {})
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body as { batchId: number; root: string; content: string; contentSha256: string; entryCount: number }
}
const upload = (batchId: number, cms: string) => signer.agent.post(`/api/communes/${code}/signing/batches/${batchId}/signature`).set('x-csrf-token', signer.csrf).send({ cms })
const signatureOf = async (id: number) => (await signer.agent.get(`/api/communes/${code}/parcels/${id}/signature`).expect(200)).body

describe('preparing a batch', () => {
  it('returns the root and the statement to sign, and keeps the entries and proofs pending', async () => {
    const ids = (await reconciledIds()).slice(0, 7)
    const batch = await prepare(ids)
    expect(batch.entryCount).toBe(7)
    const content = Buffer.from(batch.content, 'base64')
    expect(createHash('sha256').update(content).digest('hex')).toBe(batch.contentSha256)
    expect(JSON.parse(content.toString())).toMatchObject({ format: 'landbook-batch/1', commune: code, batchId: batch.batchId, entries: 7, root: batch.root, merkle: 'rfc6962-sha256', entryFormat: 1 })
    const rows = await knex('parcel_signatures').where({ commune_code: code, batch_id: batch.batchId })
    expect(rows.map((r) => r.state)).toEqual(Array(7).fill('pending'))
    expect(createHash('sha256').update(rows[0].entry).digest('hex')).toBe(rows[0].entry_hash)
    expect(JSON.parse(rows[0].entry)).toMatchObject({ format: 1, commune: code, geometry: { wkbSha256: expect.stringMatching(/^[0-9a-f]{64}$/) } })
    expect(await statusOf(ids[0]!)).toBe('reconciled')
  })

  it('refuses parcels that are not reconciled, and other roles', async () => {
    const [notReconciled] = (await knex('parcels').where({ commune_code: code }).whereNot({ status: 'reconciled' }).limit(1).pluck('id')).map(Number)
    const res = await signer.agent.post(`/api/communes/${code}/signing/batches`).set('x-csrf-token', signer.csrf).send({ parcelIds: [notReconciled] })
    expect(res.status).toBe(400)
    expect(res.body.detail).toContain('reconciled')
    await clerk.agent.post(`/api/communes/${code}/signing/batches`).set('x-csrf-token', clerk.csrf).send({}).expect(403)
  })
})

describe('refused signatures store nothing', () => {
  let batch: Awaited<ReturnType<typeof prepare>>
  let ids: number[]
  beforeAll(async () => {
    ids = (await reconciledIds()).slice(10, 15)
    batch = await prepare(ids)
  })
  const content = () => new Uint8Array(Buffer.from(batch.content, 'base64'))

  it('a wrong digest (a signature over other content)', async () => {
    const res = await upload(batch.batchId, await cmsFor(new TextEncoder().encode(`{"root":"${'0'.repeat(64)}"}`), pki.rsa, pki.root))
    expect(res.status).toBe(400)
    expect(res.body.detail).toMatch(/^Chữ ký không phải cho lô/)
    expect(res.body.detail).toContain('mã băm')
  })
  it('a certificate from an untrusted CA', async () => {
    const res = await upload(batch.batchId, await cmsFor(content(), pki.untrusted, pki.root))
    expect(res.status).toBe(400)
    expect(res.body.detail).toContain('không thuộc tổ chức chứng thực (CA) được tin cậy')
  })
  it('an expired certificate', async () => {
    const res = await upload(batch.batchId, await cmsFor(content(), pki.expired, pki.root))
    expect(res.status).toBe(400)
    expect(res.body.detail).toContain('không còn hiệu lực vào thời điểm ký')
  })
  it('a certificate authorised for another commune', async () => {
    const res = await upload(batch.batchId, await cmsFor(content(), pki.otherCommune, pki.root))
    expect(res.status).toBe(403)
    expect(res.body.detail).toContain(`chưa được giao ký xã ${code}; chứng thư này được giao ký xã ${other}`)
  })
  it('a certificate whose key usage is not signing', async () => {
    const res = await upload(batch.batchId, await cmsFor(content(), pki.notForSigning, pki.root))
    expect(res.status).toBe(400)
    expect(res.body.detail).toContain('keyUsage')
  })
  it('garbage', async () => {
    const res = await upload(batch.batchId, Buffer.from('not a cms at all, really').toString('base64'))
    expect(res.status).toBe(400)
    expect(res.body.field).toBe('cms')
  })
  it('…after which the batch is still pending and its parcels unsigned; the right signature then passes once', async () => {
    expect((await knex('signature_batches').where({ commune_code: code, id: batch.batchId }).first('state')).state).toBe('pending')
    expect(await knex('parcel_signatures').where({ commune_code: code, batch_id: batch.batchId, state: 'valid' })).toHaveLength(0)
    expect(await statusOf(ids[0]!)).toBe('reconciled')
    expect((await signatureOf(ids[0]!)).status).toBe('unsigned')
    const cms = await cmsFor(content(), pki.rsa, pki.root)
    const res = await upload(batch.batchId, cms)
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.body.parcels).toBe(5)
    expect((await upload(batch.batchId, cms)).status).toBe(409)
  })
})

describe('signing and verifying', () => {
  it('RSA-2048: a selection is signed and each parcel verifies as valid', async () => {
    const ids = (await reconciledIds()).slice(0, 40)
    const batch = await prepare(ids)
    const res = await upload(batch.batchId, await cmsFor(new Uint8Array(Buffer.from(batch.content, 'base64')), pki.rsa, pki.root))
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.body.batch).toMatchObject({ state: 'signed', entryCount: 40, signer: { subject: expect.stringContaining('CN=Nguyễn Văn Thành') } })
    expect(await statusOf(ids[0]!)).toBe('signed')
    const report = await signatureOf(ids[3]!)
    expect(report).toMatchObject({ status: 'valid', parcelStatus: 'signed', batch: { id: batch.batchId, root: batch.root }, signer: { subject: expect.stringContaining('Nguyễn Văn Thành') } })
    expect((await signer.agent.get(`/api/parcels/${ids[3]}/signature`).expect(200)).body.status).toBe('valid')
  })

  it('a parcel changed between preparing and uploading makes the upload a conflict', async () => {
    const ids = (await reconciledIds()).slice(0, 2)
    const batch = await prepare(ids)
    await knex('parcels').where({ commune_code: code, id: ids[1] }).update({ address: 'Thôn 3 (sửa sau khi chuẩn bị)' })
    const res = await upload(batch.batchId, await cmsFor(new Uint8Array(Buffer.from(batch.content, 'base64')), pki.rsa, pki.root))
    expect(res.status).toBe(409)
    expect(res.body.parcelIds).toEqual([ids[1]])
    expect(await statusOf(ids[0]!)).toBe('reconciled')
  })

  it('ECDSA P-256: the rest of the commune in one batch, one signature', async () => {
    const batch = await prepare()
    expect(batch.entryCount).toBeGreaterThan(50)
    const res = await upload(batch.batchId, await cmsFor(new Uint8Array(Buffer.from(batch.content, 'base64')), pki.ecdsa, pki.root))
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    const report = await verifyCommune(knex, code)
    expect(report.counts.valid).toBe(batch.entryCount + 45)
    expect(report.counts.broken).toBe(0)
    expect(report.batches).toHaveLength(3)
    expect(report.batches.every((b) => b.intact && b.trusted)).toBe(true)
  })

  it("every parcel's stored proof verifies alone against its batch root; a forged one does not", async () => {
    const rows = await knex('parcel_signatures as s')
      .join('signature_batches as b', (j) => j.on('b.commune_code', 's.commune_code').andOn('b.id', 's.batch_id'))
      .where({ 's.commune_code': code, 's.state': 'valid' })
      .select('s.parcel_id', 's.entry_hash', 's.proof', 'b.merkle_root')
    expect(rows.length).toBeGreaterThan(90)
    for (const r of rows) expect(verifyProof(r.entry_hash, r.proof as InclusionProof, r.merkle_root)).toBe(true)
    const [a, b] = rows.filter((r) => r.merkle_root === rows.at(-1)!.merkle_root) as [(typeof rows)[0], (typeof rows)[0]]
    expect(verifyProof(a.entry_hash, b.proof, a.merkle_root)).toBe(false)
    // A forged proof stored in the database shows as broken.
    const forged = { ...a.proof, path: [...a.proof.path].reverse() }
    await knex('parcel_signatures').where({ commune_code: code, parcel_id: a.parcel_id, state: 'valid' }).update({ proof: JSON.stringify(forged) })
    expect(await signatureOf(Number(a.parcel_id))).toMatchObject({ status: 'broken', fields: ['proof'] })
    expect((await verifyCommune(knex, code)).problems).toEqual([expect.objectContaining({ parcelId: Number(a.parcel_id), status: 'broken', fields: ['proof'] })])
    await knex('parcel_signatures').where({ commune_code: code, parcel_id: a.parcel_id, state: 'valid' }).update({ proof: JSON.stringify(a.proof) })
    expect((await signatureOf(Number(a.parcel_id))).status).toBe('valid')
  })
})

describe('tampering is detected, with the field named', () => {
  const signedIds = async () => (await knex('parcels').where({ commune_code: code, status: 'signed' }).orderBy('id').pluck('id')).map(Number)
  const recordOf = async (id: number) => Number((await knex('matches').where({ commune_code: code, parcel_id: id }).whereNotNull('record_id').first('record_id')).record_id)

  it('each field of the entry and the geometry', async () => {
    const ids = await signedIds()
    const cases: Array<[string, (id: number) => Promise<unknown>, string[]]> = [
      ['owner on the map', (id) => knex('parcels').where({ commune_code: code, id }).update({ owner_name: 'Kẻ Gian' }), ['ownerName']],
      ['geometry moved 1 cm', (id) => knex.raw('UPDATE parcels SET geom = ST_Translate(geom, 0.01, 0) WHERE commune_code = ? AND id = ?', [code, id]), ['geometry.wkbSha256']],
      ['area', (id) => knex.raw('UPDATE parcels SET area_m2 = area_m2 + 5 WHERE commune_code = ? AND id = ?', [code, id]), ['areaM2']],
      ['land use', (id) => knex('parcels').where({ commune_code: code, id }).update({ land_use_codes: ['SKC'] }), ['landUse']],
      ['sheet number', (id) => knex('parcels').where({ commune_code: code, id }).update({ sheet_number: '999' }), ['sheet']],
      ['legal area on the map', (id) => knex('parcels').where({ commune_code: code, id }).update({ legal_area_m2: 1.23 }), ['legalAreaM2']],
      ['certificate serial of the record', async (id) => knex('attribute_records').where({ commune_code: code, id: await recordOf(id) }).update({ certificate_serial: 'CS 000000' }), ['records[0].certificateSerial']],
      ['owner of the record', async (id) => knex('attribute_records').where({ commune_code: code, id: await recordOf(id) }).update({ owner_name: 'Người Khác' }), ['records[0].ownerName']],
      ['match category', (id) => knex('matches').where({ commune_code: code, parcel_id: id }).update({ category: 'area_mismatch' }), ['reconciliation.categories']],
    ]
    for (const [i, [what, tamper, fields]] of cases.entries()) {
      const id = ids[i * 3]!
      await tamper(id)
      const report = await signatureOf(id)
      expect(report.status, what).toBe('broken')
      expect(report.fields, what).toEqual(fields)
      expect(report.reason).toContain('đã thay đổi sau khi ký')
    }
    const commune = await verifyCommune(knex, code)
    expect(commune.counts.broken).toBe(cases.length)
    expect(commune.problems.map((p) => p.fields![0]).sort()).toEqual(cases.map((c) => c[2][0]).sort())
  })

  it('a removed root CA makes intact signatures untrusted', async () => {
    const list = await admin.agent.get('/api/signing/trusted-cas').expect(200)
    const ca = list.body.trustedCas.find((c: { subject: string }) => c.subject.includes(`Test Root CA ${code}`))
    const id = (await signedIds())[1] // not one the test above tampered with
    await admin.agent.delete(`/api/signing/trusted-cas/${ca.id}`).set('x-csrf-token', admin.csrf).expect(200)
    expect((await signatureOf(id!)).status).toBe('untrusted')
    await admin.agent.post('/api/signing/trusted-cas').set('x-csrf-token', admin.csrf).send({ pem: ca ? (await knex('trusted_cas').where({ id: ca.id }).first('pem')).pem : '' }).expect(201)
    expect((await signatureOf(id!)).status).toBe('valid')
  })
})

describe('a decision on a signed parcel', () => {
  it('supersedes its signature and sends the parcel back to review', async () => {
    const [id] = (await knex('parcels').where({ commune_code: code, status: 'signed' }).orderBy('id', 'desc').limit(1).pluck('id')).map(Number)
    const { version } = await knex('parcels').where({ commune_code: code, id }).first('version')
    const user = clerk.user
    const result = await decide(knex, code, id!, decisionInput.parse({ kind: 'accept', version, reason: 'Xem lại sau khi ký' }), { id: user.id })
    expect(result.parcel.status).toBe('needs_review')
    expect(await knex('parcel_signatures').where({ commune_code: code, parcel_id: id }).pluck('state')).toEqual(['superseded'])
    expect(await signatureOf(id!)).toMatchObject({ status: 'superseded', parcelStatus: 'needs_review', supersededAt: expect.any(String) })
  })
})

describe('trust administration', () => {
  it('is for admins; a non-CA certificate is refused as a root', async () => {
    await signer.agent.get('/api/signing/trusted-cas').expect(403)
    const res = await admin.agent.post('/api/signing/trusted-cas').set('x-csrf-token', admin.csrf).send({ pem: (await import('../../src/signing/index.js')).certificatePem(pki.rsa.certificate) })
    expect(res.status).toBe(400)
    expect(res.body.detail).toContain('không phải của tổ chức chứng thực')
    const auth = await admin.agent.get(`/api/signing/authorisations?commune=${code}`).expect(200)
    expect(auth.body.authorisations.length).toBeGreaterThanOrEqual(5)
    const added = await admin.agent.post('/api/signing/authorisations').set('x-csrf-token', admin.csrf).send({ commune: other, subject: 'CN=Ai Đó, C=VN', userId: signer.user.id })
    expect(added.status).toBe(201)
    expect(added.body).toMatchObject({ commune: other, serial: null, userId: signer.user.id })
    await admin.agent.delete(`/api/signing/authorisations/${added.body.id}`).set('x-csrf-token', admin.csrf).expect(200)
  })
})
