/**
 * Certificates for signing tests: a trusted demo root with RSA and ECDSA signers authorised for
 * a commune, and the certificates that must be refused (untrusted root, expired, authorised for
 * another commune, not for signing). Plus zip reading for the export tests.
 */
import yauzl from 'yauzl'
import type { Knex } from 'knex'
import { addAuthorisation, addTrustedCa, certificatePem, createDemoRoot, describeCertificate, issueSigner, KEY_USAGE, signDetached, type Issued } from '../../src/signing/index.js'

export interface Pki {
  root: Issued
  rsa: Issued
  ecdsa: Issued
  otherCommune: Issued
  expired: Issued
  untrusted: Issued
  notForSigning: Issued
}

export async function authorise(knex: Knex, signer: Issued, commune: string): Promise<void> {
  const info = describeCertificate(signer.certificate)
  await addAuthorisation(knex, { commune, subject: info.subject, serial: info.serial })
}

/** Issues the certificates, trusts the root, authorises each for `commune` (otherCommune for `other`). */
export async function makePki(knex: Knex, commune: string, other: string): Promise<Pki> {
  const root = await createDemoRoot('RSA', `Test Root CA ${commune}`)
  await addTrustedCa(knex, certificatePem(root.certificate))
  const strangerRoot = await createDemoRoot('ECDSA', `Untrusted CA ${commune}`)
  const day = 86_400_000
  const pki: Pki = {
    root,
    rsa: await issueSigner(root, { name: 'Nguyễn Văn Thành', uid: `CCCD:${commune}0001`, kind: 'RSA' }),
    ecdsa: await issueSigner(root, { name: 'Trần Thị Hoa', uid: `CCCD:${commune}0002`, kind: 'ECDSA' }),
    otherCommune: await issueSigner(root, { name: 'Lê Văn Ba', uid: `CCCD:${commune}0003`, kind: 'ECDSA' }),
    expired: await issueSigner(root, { name: 'Phạm Văn Cũ', uid: `CCCD:${commune}0004`, kind: 'ECDSA', notBefore: new Date(Date.now() - 400 * day), notAfter: new Date(Date.now() - day) }),
    untrusted: await issueSigner(strangerRoot, { name: 'Người Lạ', uid: `CCCD:${commune}0005`, kind: 'ECDSA' }),
    notForSigning: await issueSigner(root, { name: 'Mã Hóa Thôi', uid: `CCCD:${commune}0006`, kind: 'ECDSA', keyUsage: 0x20 /* keyEncipherment */ }),
  }
  for (const who of [pki.rsa, pki.ecdsa, pki.expired, pki.untrusted, pki.notForSigning]) await authorise(knex, who, commune)
  await authorise(knex, pki.otherCommune, other)
  return pki
}

export async function cmsFor(content: Uint8Array, signer: Issued, root: Issued): Promise<string> {
  return Buffer.from(await signDetached(content, { certificate: signer.certificate, privateKey: signer.privateKey, chain: [root.certificate] })).toString('base64')
}

export { KEY_USAGE }

/** Every file of a zip, by path. */
export function readZip(buffer: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error)
      const files = new Map<string, Buffer>()
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(err)
          const chunks: Buffer[] = []
          stream.on('data', (c: Buffer) => chunks.push(c))
          stream.on('end', () => {
            files.set(entry.fileName, Buffer.concat(chunks))
            zip.readEntry()
          })
        })
      })
      zip.on('end', () => resolve(files))
      zip.on('error', reject)
      zip.readEntry()
    })
  })
}
