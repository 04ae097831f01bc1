import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../src/http/index.js'
import { httpTransport, issueDemoSigners, localTransport, readPkcs12, signCommune, verifyCommune, verifyProof, isDemoDatabase } from '../../src/signing/index.js'
import { silentLogger, testImports } from '../helpers/app.js'
import { signIn, TEST_PASSWORD } from '../helpers/auth.js'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { testDatabase } from '../helpers/db.js'
import { matchedProvince } from '../helpers/matched-commune.js'
import type { TestProvince } from '../helpers/province.js'
import { readZip } from './pki-fixtures.js'

const db = testDatabase()
const knex = db.knex
const app = createApp({ db, logger: silentLogger, imports: testImports() })
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'landbook-signing-export-'))
let province: TestProvince
let code: string
let signer: Awaited<ReturnType<typeof signIn>>
let demo: Awaited<ReturnType<typeof issueDemoSigners>>

beforeAll(async () => {
  province = await matchedProvince(knex, { firstCode: 42100, communes: 1, parcelsPerCommune: 250, seed: 23 })
  code = province.codes[0]!
  // Reconciliation is another concern's work: here every parcel is simply reconciled.
  await knex('parcels').where({ commune_code: code }).update({ status: 'reconciled' })
  demo = await issueDemoSigners(knex, { outDir: path.join(dir, 'ca'), communes: [code], kind: 'ECDSA' })
  signer = await signIn(app, knex, 'signer', [code])
})
afterAll(async () => {
  province?.cleanUp()
  fs.rmSync(dir, { recursive: true, force: true })
  await db.close()
})

const download = (url: string) =>
  signer.agent
    .get(url)
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => done(null, Buffer.concat(chunks)))
    })

describe('demo CA and the signer client', () => {
  it('ca:demo only runs on a demo database', async () => {
    expect(await isDemoDatabase(knex, { loadDemo: false, demoDir: 'fixtures/demo' })).toBe(false)
    expect(await isDemoDatabase(knex, { loadDemo: true, demoDir: path.join(dir, 'nothing-here') })).toBe(false)
  })

  it('writes a PKCS#12 per commune that OpenSSL reads, and the CLI path signs the commune with it', async () => {
    const [file] = demo.signers
    expect(file).toMatchObject({ communes: [code], subject: expect.stringContaining(`xã ${code}`) })
    const info = execFileSync('openssl', ['pkcs12', '-in', file!.file, '-passin', 'pass:landbook-demo', '-nokeys'], { encoding: 'utf8' })
    expect(info).toContain('BEGIN CERTIFICATE')
    const p12 = await readPkcs12(fs.readFileSync(file!.file), 'landbook-demo')
    expect(p12.kind).toBe('ECDSA')

    const download409 = await download(`/api/communes/${code}/export`)
    expect(download409.status).toBe(409)
    expect(JSON.parse(download409.body.toString()).detail).toContain('chưa có thửa nào được ký số')

    // The first 20 parcels through a running server's API (sign --url), the rest on the database.
    const some = (await knex('parcels').where({ commune_code: code }).orderBy('id').limit(20).pluck('id')).map(Number)
    const server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s))
    })
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      const remote = await signCommune(await httpTransport(url, signer.user.username, TEST_PASSWORD), code, p12, some)
      expect(remote.result).toMatchObject({ parcels: 20, batch: { state: 'signed' } })
    } finally {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
    const partial = await download(`/api/communes/${code}/export`)
    expect(partial.status).toBe(409)
    expect(JSON.parse(partial.body.toString()).detail).toContain('chưa ký xong')

    const run = await signCommune(localTransport(knex), code, p12)
    expect(run.result.batch.state).toBe('signed')
    const report = await verifyCommune(knex, code)
    expect(report.counts).toMatchObject({ broken: 0, untrusted: 0, unsigned: 0 })
    expect(report.counts.valid).toBe(run.prepared.entryCount + 20)
  })
})

describe('the integration package', () => {
  let files: Map<string, Buffer>
  let manifest: { files: Array<{ path: string; sha256: string; bytes: number }>; batches: Array<{ id: number; root: string; content: string; cms: string }>; parcels: number }

  it('is a zip with a manifest hashing every file; the export is recorded and parcels are synced', async () => {
    const res = await download(`/api/communes/${code}/export`)
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('application/zip')
    expect(res.headers['content-disposition']).toContain(`landbook-${code}-`)
    files = await readZip(res.body)
    manifest = JSON.parse(files.get('manifest.json')!.toString())
    expect(manifest.parcels).toBe(Number((await knex('parcels').where({ commune_code: code }).count({ n: '*' }))[0]!.n))
    expect([...files.keys()].sort()).toEqual(['manifest.json', ...manifest.files.map((f) => f.path)].sort())
    for (const f of manifest.files) {
      expect(createHash('sha256').update(files.get(f.path)!).digest('hex'), f.path).toBe(f.sha256)
      expect(files.get(f.path)!.length).toBe(f.bytes)
    }
    const wgs84 = JSON.parse(files.get('parcels.wgs84.geojson')!.toString())
    const vn2000 = JSON.parse(files.get('parcels.vn2000.geojson')!.toString())
    expect(wgs84.features).toHaveLength(manifest.parcels)
    const [lon, lat] = wgs84.features[0].geometry.coordinates[0][0][0]
    expect(lon).toBeGreaterThan(102)
    expect(lon).toBeLessThan(110)
    expect(lat).toBeGreaterThan(8)
    expect(lat).toBeLessThan(24)
    expect(vn2000.crs.properties.name).toMatch(/^urn:ogc:def:crs:EPSG::\d+$/)
    expect(vn2000.features[0].geometry.coordinates[0][0][0][0]).toBeGreaterThan(100_000)
    expect(JSON.parse(files.get('records.json')!.toString()).length).toBeGreaterThan(100)

    const statuses = await knex('parcels').where({ commune_code: code }).distinct('status').pluck('status')
    expect(statuses).toEqual(['synced'])
    const recorded = await knex('commune_exports').where({ commune_code: code })
    expect(recorded).toHaveLength(1)
    expect(recorded[0].manifest_sha256).toBe(createHash('sha256').update(files.get('manifest.json')!).digest('hex'))
    // Synced parcels keep valid signatures.
    expect((await verifyCommune(knex, code)).counts.valid).toBe(manifest.parcels)
  })

  it('verifies with OpenSSL alone (cms -verify against the demo CA), and its entries and proofs lead to the signed roots', () => {
    const out = path.join(dir, 'package')
    for (const b of manifest.batches) {
      fs.mkdirSync(path.join(out, 'signatures'), { recursive: true })
      fs.writeFileSync(path.join(out, b.content), files.get(b.content)!)
      fs.writeFileSync(path.join(out, b.cms), files.get(b.cms)!)
      const args = ['cms', '-verify', '-binary', '-inform', 'DER', '-in', path.join(out, b.cms), '-content', path.join(out, b.content), '-CAfile', demo.caFile, '-purpose', 'any', '-out', path.join(out, 'verified.json')]
      execFileSync('openssl', args, { stdio: 'pipe' })
      expect(JSON.parse(fs.readFileSync(path.join(out, 'verified.json'), 'utf8')).root).toBe(b.root)
      // A changed content byte fails.
      const forged = Buffer.from(files.get(b.content)!)
      forged[forged.length - 3] = forged[forged.length - 3]! ^ 1
      fs.writeFileSync(path.join(out, 'forged.json'), forged)
      expect(() => execFileSync('openssl', [...args.slice(0, 8), path.join(out, 'forged.json'), ...args.slice(9)], { stdio: 'pipe' })).toThrow()
    }
    const roots = new Map(manifest.batches.map((b) => [b.id, b.root]))
    const entries = files.get('entries.jsonl')!.toString().trim().split('\n')
    const proofs = JSON.parse(files.get('proofs.json')!.toString()) as Array<{ parcelId: number; batchId: number; entryHash: string; leafIndex: number; treeSize: number; path: string[] }>
    expect(entries).toHaveLength(proofs.length)
    for (const [i, proof] of proofs.entries()) {
      expect(createHash('sha256').update(entries[i]!).digest('hex')).toBe(proof.entryHash)
      expect(verifyProof(proof.entryHash, proof, roots.get(proof.batchId)!)).toBe(true)
    }
  })
})
