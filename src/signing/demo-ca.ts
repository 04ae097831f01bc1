/**
 * A demo certificate authority (CA thử nghiệm): a root CA and signer certificates issued by it,
 * made with WebCrypto keys (RSA-2048 or ECDSA P-256) and pkijs. For demo databases and tests
 * only: real signers hold certificates from the government CA on USB tokens.
 */
import { randomBytes, webcrypto } from 'node:crypto'
import { asn1js, certificateDer, KEY_USAGE, makeName, OID, pkijs } from './pki.js'

const subtle = webcrypto.subtle as unknown as SubtleCrypto

export type KeyKind = 'RSA' | 'ECDSA'

export interface Issued {
  certificate: pkijs.Certificate
  privateKey: CryptoKey
  publicKey: CryptoKey
  kind: KeyKind
}

export async function generateKeyPair(kind: KeyKind): Promise<CryptoKeyPair> {
  const algorithm =
    kind === 'RSA'
      ? { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }
      : { name: 'ECDSA', namedCurve: 'P-256' }
  return (await subtle.generateKey(algorithm, true, ['sign', 'verify'])) as CryptoKeyPair
}

function extension(extnID: string, critical: boolean, value: asn1js.BaseBlock): pkijs.Extension {
  return new pkijs.Extension({ extnID, critical, extnValue: value.toBER(false) })
}

/** keyUsage bits as a DER BIT STRING (trailing zero bits counted as unused). */
function keyUsage(bits: number): asn1js.BitString {
  let unused = 0
  while (unused < 7 && ((bits >> unused) & 1) === 0) unused += 1
  return new asn1js.BitString({ valueHex: new Uint8Array([bits]).buffer, unusedBits: unused })
}

async function keyIdentifier(publicKey: CryptoKey): Promise<ArrayBuffer> {
  const spki = new Uint8Array(await subtle.exportKey('spki', publicKey))
  const info = pkijs.PublicKeyInfo.fromBER(spki.buffer)
  return subtle.digest('SHA-1', info.subjectPublicKey.valueBlock.valueHexView.slice())
}

export interface IssueOptions {
  subject: Array<[string, string]>
  kind?: KeyKind
  notBefore?: Date
  notAfter?: Date
  /** keyUsage bits; signers get digitalSignature + nonRepudiation, CAs keyCertSign + cRLSign. */
  keyUsage?: number
  ca?: boolean
  /** The issuing CA; none: self-signed. */
  issuer?: Issued
}

/** Issues a certificate (self-signed when no issuer), signed with SHA-256. */
export async function issueCertificate(options: IssueOptions): Promise<Issued> {
  const kind = options.kind ?? 'RSA'
  const keys = await generateKeyPair(kind)
  const cert = new pkijs.Certificate()
  cert.version = 2
  const serial = randomBytes(12)
  serial[0] = (serial[0]! & 0x7f) | 0x10 // positive, no leading zero byte
  cert.serialNumber = new asn1js.Integer({ valueHex: serial.buffer.slice(serial.byteOffset, serial.byteOffset + serial.length) })
  const subject = makeName(options.subject)
  cert.subject = subject
  cert.issuer = options.issuer ? options.issuer.certificate.subject : subject
  const now = Date.now()
  cert.notBefore.value = options.notBefore ?? new Date(now - 3_600_000)
  cert.notAfter.value = options.notAfter ?? new Date(now + (options.ca ? 10 : 2) * 365 * 86_400_000)
  await cert.subjectPublicKeyInfo.importKey(keys.publicKey)
  const ski = await keyIdentifier(keys.publicKey)
  const aki = options.issuer ? await keyIdentifier(options.issuer.publicKey) : ski
  const usage = options.keyUsage ?? (options.ca ? KEY_USAGE.keyCertSign | KEY_USAGE.cRLSign : KEY_USAGE.digitalSignature | KEY_USAGE.nonRepudiation)
  cert.extensions = [
    extension(OID.basicConstraints, true, new pkijs.BasicConstraints({ cA: Boolean(options.ca) }).toSchema()),
    extension(OID.keyUsage, true, keyUsage(usage)),
    extension(OID.subjectKeyIdentifier, false, new asn1js.OctetString({ valueHex: ski })),
    extension(OID.authorityKeyIdentifier, false, new pkijs.AuthorityKeyIdentifier({ keyIdentifier: new asn1js.OctetString({ valueHex: aki }) }).toSchema()),
  ]
  await cert.sign(options.issuer?.privateKey ?? keys.privateKey, 'SHA-256')
  // Re-read from DER so the object is exactly what others will parse.
  const certificate = pkijs.Certificate.fromBER(certificateDer(cert).slice().buffer)
  return { certificate, privateKey: keys.privateKey, publicKey: keys.publicKey, kind }
}

export async function createDemoRoot(kind: KeyKind = 'RSA', name = 'Landbook Demo Root CA (không dùng thật)'): Promise<Issued> {
  return issueCertificate({ subject: [['CN', name], ['O', 'Landbook demo'], ['C', 'VN']], kind, ca: true })
}

/** A signer certificate under `root`, named like a person's certificate from a Vietnamese CA. */
export async function issueSigner(root: Issued, options: { name: string; uid?: string; kind?: KeyKind; notBefore?: Date; notAfter?: Date; keyUsage?: number }): Promise<Issued> {
  const subject: Array<[string, string]> = [['CN', options.name]]
  if (options.uid) subject.push(['UID', options.uid])
  subject.push(['O', 'Văn phòng Đăng ký đất đai (demo)'], ['C', 'VN'])
  return issueCertificate({ subject, kind: options.kind, issuer: root, notBefore: options.notBefore, notAfter: options.notAfter, keyUsage: options.keyUsage })
}
