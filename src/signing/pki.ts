/**
 * X.509 certificates (chứng thư số) as signing sees them, on pkijs over WebCrypto: PEM and DER,
 * the subject as one string, the serial as hex, key usage, fingerprints, and chain validation
 * against the trusted root CAs at a given date. The same code runs in Node and in the browser
 * signer page (only `webcrypto` differs).
 */
import { createHash, webcrypto } from 'node:crypto'
import * as asn1js from 'asn1js'
import * as pkijs from 'pkijs'

pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as unknown as Crypto }))

export { pkijs, asn1js }

export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  keyUsage: '2.5.29.15',
  basicConstraints: '2.5.29.19',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
} as const

/** Short names of the attributes found in Vietnamese CA certificates (UID carries the CCCD/MST). */
const NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'T',
  '2.5.4.42': 'GN',
  '1.2.840.113549.1.9.1': 'E',
  '0.9.2342.19200300.100.1.1': 'UID',
}
const OIDS_BY_NAME = Object.fromEntries(Object.entries(NAMES).map(([oid, name]) => [name, oid]))

export const toArrayBuffer = (bytes: Uint8Array): ArrayBuffer => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer

export function toPem(der: Uint8Array, label = 'CERTIFICATE'): string {
  const b64 = Buffer.from(der).toString('base64').replace(/.{1,64}/g, '$&\n')
  return `-----BEGIN ${label}-----\n${b64}-----END ${label}-----\n`
}

/** Every PEM block of `label` in the text, as DER. */
export function fromPem(pem: string, label = 'CERTIFICATE'): Uint8Array[] {
  const re = new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]+?)-----END ${label}-----`, 'g')
  return [...pem.matchAll(re)].map((m) => new Uint8Array(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64')))
}

export function parseCertificate(der: Uint8Array): pkijs.Certificate {
  return pkijs.Certificate.fromBER(toArrayBuffer(der))
}

export const certificateDer = (cert: pkijs.Certificate): Uint8Array => new Uint8Array(cert.toSchema(true).toBER(false))
export const certificatePem = (cert: pkijs.Certificate): string => toPem(certificateDer(cert))

/** A distinguished name as "CN=…, O=…, C=VN", attributes in certificate order. */
export function nameToString(name: pkijs.RelativeDistinguishedNames): string {
  return name.typesAndValues.map((tv) => `${NAMES[tv.type] ?? tv.type}=${String((tv.value.valueBlock as { value?: unknown }).value ?? '')}`).join(', ')
}

/**
 * Builds a name from [["CN", "…"], ["C", "VN"]], one attribute per RDN (pkijs would put them all
 * in one multi-valued RDN), UTF8String except PrintableString for C and serialNumber.
 */
export function makeName(parts: Array<[string, string]>): pkijs.RelativeDistinguishedNames {
  const rdns = parts.map(([key, value]) => {
    const type = OIDS_BY_NAME[key] ?? key
    const asn = key === 'C' || key === 'serialNumber' ? new asn1js.PrintableString({ value }) : key === 'E' ? new asn1js.IA5String({ value }) : new asn1js.Utf8String({ value })
    return new asn1js.Set({ value: [new pkijs.AttributeTypeAndValue({ type, value: asn }).toSchema()] })
  })
  // Parsed back from DER: pkijs keeps the encoding it read and writes it out unchanged.
  return pkijs.RelativeDistinguishedNames.fromBER(new asn1js.Sequence({ value: rdns }).toBER(false))
}

/** The serial as lower-case hex without leading zero bytes, the form authorisations use. */
export function serialHex(cert: pkijs.Certificate): string {
  return normalizeSerial(Buffer.from(cert.serialNumber.valueBlock.valueHexView).toString('hex'))
}

/** "00:1A:2b 3c" → "1a2b3c": separators, case and leading zeros don't matter. */
export function normalizeSerial(raw: string): string {
  const hex = raw.replace(/[\s:.-]/g, '').toLowerCase().replace(/^0+/, '')
  return hex === '' ? '0' : hex
}

export const fingerprint = (cert: pkijs.Certificate): string => createHash('sha256').update(certificateDer(cert)).digest('hex')

export interface CertificateInfo {
  subject: string
  issuer: string
  serial: string
  notBefore: string
  notAfter: string
  fingerprint: string
}

export function describeCertificate(cert: pkijs.Certificate): CertificateInfo {
  return {
    subject: nameToString(cert.subject),
    issuer: nameToString(cert.issuer),
    serial: serialHex(cert),
    notBefore: cert.notBefore.value.toISOString(),
    notAfter: cert.notAfter.value.toISOString(),
    fingerprint: fingerprint(cert),
  }
}

export const KEY_USAGE = { digitalSignature: 0x80, nonRepudiation: 0x40, keyCertSign: 0x04, cRLSign: 0x02 } as const

/** The first byte of the keyUsage bits, or null when the certificate has no keyUsage extension. */
export function keyUsageBits(cert: pkijs.Certificate): number | null {
  const ext = cert.extensions?.find((e) => e.extnID === OID.keyUsage)
  if (!ext) return null
  const bits = asn1js.fromBER(ext.extnValue.valueBlock.valueHexView).result as asn1js.BitString
  return bits.valueBlock.valueHexView[0] ?? 0
}

export function isCa(cert: pkijs.Certificate): boolean {
  const ext = cert.extensions?.find((e) => e.extnID === OID.basicConstraints)
  return Boolean(ext && (ext.parsedValue as pkijs.BasicConstraints | undefined)?.cA)
}

export interface ChainResult {
  ok: boolean
  message: string
  path: pkijs.Certificate[]
}

/**
 * Validates `leaf` up to one of `trusted` through the `intermediates` at `date` (signatures and
 * validity periods of every certificate on the path).
 */
export async function validateChain(leaf: pkijs.Certificate, intermediates: pkijs.Certificate[], trusted: pkijs.Certificate[], date: Date): Promise<ChainResult> {
  if (trusted.length === 0) return { ok: false, message: 'no trusted root CA is configured', path: [] }
  const engine = new pkijs.CertificateChainValidationEngine({ trustedCerts: trusted, certs: [leaf, ...intermediates.filter((c) => c !== leaf)], checkDate: date })
  try {
    const result = await engine.verify()
    return { ok: result.result, message: result.resultMessage, path: result.certificatePath ?? [] }
  } catch (error) {
    return { ok: false, message: (error as { resultMessage?: string }).resultMessage ?? String(error), path: [] }
  }
}
