/**
 * Demo signing set-up (`npm run ca:demo`): a new demo root CA, one signer PKCS#12 per demo signer
 * user (or per commune asked for) written to a folder, the CA trusted and each certificate
 * authorised in the database. Only for a demo database (LANDBOOK_DEMO on and the demo communes
 * loaded) unless forced: a demo CA must never be trusted by a real office.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Knex } from 'knex'
import { normalizeCommuneCode } from '../communes/index.js'
import { Invalid } from '../errors.js'
import { demoCommuneCodes } from '../imports/index.js'
import { createDemoRoot, issueSigner, type KeyKind } from './demo-ca.js'
import { writePkcs12 } from './pkcs12.js'
import { certificatePem, describeCertificate } from './pki.js'
import { addAuthorisation, addTrustedCa } from './trust.js'

export const DEMO_P12_PASSWORD = 'landbook-demo'

export async function isDemoDatabase(knex: Knex, config: { loadDemo: boolean; demoDir: string }): Promise<boolean> {
  return config.loadDemo && (await demoCommuneCodes(knex, config.demoDir)).length > 0
}

export interface DemoSignerFile {
  file: string
  subject: string
  serial: string
  communes: string[]
  username: string | null
}

export interface DemoCaResult {
  caFile: string
  caSubject: string
  signers: DemoSignerFile[]
}

/**
 * Creates the CA and signers into `outDir`. `communes`: one signer per commune (authorised for
 * that commune, any user); none: one per active signer user (authorised for the user's communes,
 * tied to the user).
 */
export async function issueDemoSigners(
  knex: Knex,
  options: { outDir: string; communes?: string[]; password?: string; kind?: KeyKind },
): Promise<DemoCaResult> {
  const password = options.password ?? DEMO_P12_PASSWORD
  const kind = options.kind ?? 'RSA'
  type Plan = { name: string; uid: string; file: string; communes: string[]; userId: number | null; username: string | null }
  let plans: Plan[]
  if (options.communes && options.communes.length > 0) {
    plans = options.communes.map((c) => normalizeCommuneCode(c)).map((code) => ({ name: `Người ký thử nghiệm xã ${code}`, uid: `DEMO-${code}`, file: `signer-${code}.p12`, communes: [code], userId: null, username: null }))
  } else {
    const users: Array<{ id: number; username: string; display_name: string }> = await knex('users').where({ role: 'signer', active: true }).orderBy('id').select('id', 'username', 'display_name')
    plans = []
    for (const u of users) {
      const communes: string[] = await knex('user_communes').where({ user_id: u.id }).orderBy('commune_code').pluck('commune_code')
      if (communes.length > 0) plans.push({ name: u.display_name, uid: `landbook:${u.username}`, file: `${u.username}.p12`, communes, userId: Number(u.id), username: u.username })
    }
    if (plans.length === 0) throw new Invalid('Không có người ký (vai trò signer) nào được giao xã; hãy tạo người ký hoặc dùng --commune (no signer user with communes).', { field: 'commune' })
  }

  fs.mkdirSync(options.outDir, { recursive: true })
  const root = await createDemoRoot(kind)
  const caFile = path.join(options.outDir, 'demo-root-ca.pem')
  fs.writeFileSync(caFile, certificatePem(root.certificate))
  await addTrustedCa(knex, certificatePem(root.certificate), { note: 'demo CA (npm run ca:demo)' })

  const signers: DemoSignerFile[] = []
  for (const plan of plans) {
    const signer = await issueSigner(root, { name: plan.name, uid: plan.uid, kind })
    const file = path.join(options.outDir, plan.file)
    fs.writeFileSync(file, await writePkcs12(signer, [root.certificate], password), { mode: 0o600 })
    const info = describeCertificate(signer.certificate)
    for (const commune of plan.communes) await addAuthorisation(knex, { commune, subject: info.subject, serial: info.serial, userId: plan.userId, note: 'demo signer (npm run ca:demo)' })
    signers.push({ file, subject: info.subject, serial: info.serial, communes: plan.communes, username: plan.username })
  }
  fs.writeFileSync(path.join(options.outDir, 'signers.json'), `${JSON.stringify({ ca: caFile, password, signers }, null, 2)}\n`)
  return { caFile, caSubject: describeCertificate(root.certificate).subject, signers }
}
