/**
 * `npm run bench:sign [-- --parcels N --kind RSA|ECDSA --seed N]`
 *
 * Signing a whole commune end to end, as a signer would: prepare the batch (every entry read,
 * canonicalised and hashed, the Merkle tree and proofs stored), sign its root statement with a
 * demo key (one token operation), upload (every server check, parcels signed), then verify the
 * whole commune again from the stored evidence. Prints each step and the verification speed
 * extrapolated to the province (1,626,176 parcels, Gia Lai end of 2023).
 *
 * Without DATABASE_URL: a fresh in-memory embedded database. With it: a database of its own
 * (landbook_bench_sign) created on that server and left there. The commune is the synthetic
 * generator's (~7,400 parcels by default), imported and matched with Landbook's own services,
 * then reconciled in SQL (reconciliation is not what is measured).
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Command } from 'commander'
import type { Knex } from 'knex'
import { readCommunesCsv, upsertCommunes } from '../../src/communes/index.js'
import { createKnex, migrateToLatest } from '../../src/db/index.js'
import { startEmbeddedDatabase } from '../../src/db/embedded/index.js'
import { createParcelJob, createRecordsJob, datasetSha256, fileSha256, runParcelJob, runRecordsJob, shapefileSetAt } from '../../src/imports/index.js'
import { matchCommune } from '../../src/matching/index.js'
import {
  addAuthorisation, addTrustedCa, certificatePem, createDemoRoot, currentEntries, describeCertificate, entryHash, issueSigner,
  prepareBatch, signDetached, submitSignature, verifyCommune, type KeyKind,
} from '../../src/signing/index.js'
import { generateProvince } from '../../src/synthetic/index.js'

const opts = new Command('bench:sign')
  .option('--parcels <n>', 'parcels in the commune', (v) => Number(v), 7400)
  .option('--kind <kind>', 'signer key: RSA or ECDSA', 'RSA')
  .option('--seed <n>', 'generator seed', (v) => Number(v), 2023)
  .parse()
  .opts<{ parcels: number; kind: string; seed: number }>()

const PROVINCE_PARCELS = 1_626_176
/** CPU time of this process and (embedded) its database child, in ms: figures that don't depend on other load. */
function cpuMs(): number {
  const own = process.cpuUsage()
  let child = 0
  try {
    for (const pid of execFileSync('pgrep', ['-P', String(process.pid)], { encoding: 'utf8' }).trim().split('\n').filter(Boolean)) {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
      child += (Number(fields[11]) + Number(fields[12])) * 10 // clock ticks of 10 ms
    }
  } catch {
    // no pgrep or /proc: own CPU only
  }
  return (own.user + own.system) / 1000 + child
}
const CODE_FROM = 42900
const ms = (start: number) => Math.round(performance.now() - start)

async function openBenchDatabase(): Promise<{ knex: Knex; kind: string; close(): Promise<void> }> {
  const serverUrl = process.env.DATABASE_URL
  if (!serverUrl) {
    const embedded = await startEmbeddedDatabase({ dataDir: null })
    const knex = createKnex(embedded.url, { poolMax: 2 })
    return { knex, kind: 'embedded', close: async () => { await knex.destroy(); await embedded.stop() } }
  }
  const admin = createKnex(serverUrl, { poolMax: 1 })
  await admin.raw('DROP DATABASE IF EXISTS landbook_bench_sign WITH (FORCE)')
  await admin.raw('CREATE DATABASE landbook_bench_sign')
  await admin.destroy()
  const url = new URL(serverUrl)
  url.pathname = '/landbook_bench_sign'
  const knex = createKnex(url.toString(), { poolMax: 4 })
  return { knex, kind: 'server', close: () => knex.destroy() }
}

/** One generated commune, imported, matched and reconciled. */
async function loadCommune(knex: Knex): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'landbook-bench-sign-'))
  try {
    await generateProvince({ seed: opts.seed, communes: 1, parcelsPerCommune: opts.parcels, encoding: 'utf8', firstCode: CODE_FROM }, dir)
    await upsertCommunes(knex, readCommunesCsv(path.join(dir, 'communes.csv')))
    const code = String(CODE_FROM)
    const dataset = shapefileSetAt(path.join(dir, 'parcels', `${code}.shp`))
    const job = await runParcelJob(knex, (await createParcelJob(knex, { sourceName: dataset.name, sha256: await datasetSha256(dataset) })).id, dataset)
    if (job.state !== 'succeeded') throw new Error(`parcel import failed: ${job.error}`)
    const file = { name: `${code}.csv`, path: path.join(dir, 'records', `${code}.csv`) }
    const records = await runRecordsJob(knex, (await createRecordsJob(knex, { sourceName: file.name, sha256: await fileSha256(file.path), communeCode: code })).id, file, { communeCode: code })
    if (records.state !== 'succeeded') throw new Error(`records import failed: ${records.error}`)
    await matchCommune(knex, code)
    await knex('parcels').where({ commune_code: code }).update({ status: 'reconciled' })
    return code
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

const db = await openBenchDatabase()
try {
  let t = performance.now()
  await migrateToLatest(db.knex)
  const code = await loadCommune(db.knex)
  const parcels = Number((await db.knex('parcels').where({ commune_code: code }).count({ n: '*' }))[0]!.n)
  process.stderr.write(`${db.kind} database, commune ${code} with ${parcels} parcels ready in ${ms(t)} ms\n`)

  const kind = opts.kind.toUpperCase() as KeyKind
  const root = await createDemoRoot('RSA')
  const signer = await issueSigner(root, { name: 'Người ký đo hiệu năng', kind })
  await addTrustedCa(db.knex, certificatePem(root.certificate))
  const info = describeCertificate(signer.certificate)
  await addAuthorisation(db.knex, { commune: code, subject: info.subject, serial: info.serial })

  // The parts of preparing, measured apart once: reading the entries, hashing them.
  t = performance.now()
  const entries = await currentEntries(db.knex, code, { statuses: ['reconciled'] })
  const readMs = ms(t)
  t = performance.now()
  for (const e of entries) entryHash(e.entry)
  const hashMs = ms(t)

  const started = performance.now()
  const cpuStarted = cpuMs()
  t = performance.now()
  const prepared = await prepareBatch(db.knex, code)
  const prepareMs = ms(t)
  t = performance.now()
  const cms = await signDetached(new Uint8Array(Buffer.from(prepared.content, 'base64')), { certificate: signer.certificate, privateKey: signer.privateKey, chain: [root.certificate] })
  const signMs = ms(t)
  t = performance.now()
  const submitted = await submitSignature(db.knex, code, prepared.batchId, cms)
  const submitMs = ms(t)
  t = performance.now()
  const report = await verifyCommune(db.knex, code)
  const verifyMs = ms(t)
  const totalMs = ms(started)
  const cpuTotal = Math.round(cpuMs() - cpuStarted)
  const loadAverage = os.loadavg()[0]!
  if (report.counts.valid !== parcels) throw new Error(`expected ${parcels} valid signatures, got ${JSON.stringify(report.counts)}`)

  // The province is verified commune by commune (npm run verify -- --all): measured here as a
  // warm run and as two communes verified side by side (one lane per core).
  t = performance.now()
  await verifyCommune(db.knex, code)
  const warmMs = ms(t)
  t = performance.now()
  await Promise.all([verifyCommune(db.knex, code), verifyCommune(db.knex, code)])
  const twoLanesMs = ms(t)
  const perParcelUs = (twoLanesMs * 1000) / (2 * parcels)
  const provinceS = (perParcelUs * PROVINCE_PARCELS) / 1e6
  process.stdout.write(
    `${JSON.stringify(
      {
        database: db.kind,
        commune: code,
        parcels,
        key: kind,
        ms: { prepare: prepareMs, sign: signMs, upload: submitMs, verify: verifyMs, endToEnd: totalMs },
        cpuMs: { endToEnd: cpuTotal, note: db.kind === 'embedded' ? 'this process + the embedded database process' : 'this process only (the server works apart)' },
        machine: { cores: os.cpus().length, loadAverage1m: Number(loadAverage.toFixed(1)) },
        prepareParts: { readEntries: readMs, canonicaliseAndHash: hashMs },
        signedParcels: submitted.parcels,
        target: { endToEndUnder5s: totalMs < 5000 },
        verification: {
          communeWarmMs: warmMs,
          twoCommunesSideBySideMs: twoLanesMs,
          perParcelMicroseconds: Math.round(perParcelUs),
          provinceParcels: PROVINCE_PARCELS,
          provinceSecondsExtrapolated: Math.round(provinceS),
          provinceUnder2min: provinceS < 120,
        },
      },
      null,
      2,
    )}\n`,
  )
} finally {
  await db.close()
}
