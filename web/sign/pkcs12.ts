// Reading a PKCS#12 file in the browser with pkijs and WebCrypto (the twin of
// src/signing/pkcs12.ts): the private key (imported for signing only, not extractable) and the
// certificates. PBES2 (PBKDF2 + AES-CBC) files as OpenSSL 3 and `npm run ca:demo` write them.
import * as pkijs from 'pkijs'

const KEY_BAG = '1.2.840.113549.1.12.10.1.2'
const CERT_BAG = '1.2.840.113549.1.12.10.1.3'
const RSA = '1.2.840.113549.1.1.1'
const EC = '1.2.840.10045.2.1'
const BASIC_CONSTRAINTS = '2.5.29.19'

export interface Signer {
  privateKey: CryptoKey
  certificate: pkijs.Certificate
  chain: pkijs.Certificate[]
}

const isCa = (cert: pkijs.Certificate): boolean => {
  const ext = cert.extensions?.find((e) => e.extnID === BASIC_CONSTRAINTS)
  return ext?.parsedValue instanceof pkijs.BasicConstraints && Boolean(ext.parsedValue.cA)
}

export async function readPkcs12(buffer: ArrayBuffer, password: string): Promise<Signer> {
  const pwd = new TextEncoder().encode(password).buffer
  const pfx = pkijs.PFX.fromBER(buffer)
  await pfx.parseInternalValues({ password: pwd, checkIntegrity: true })
  const safe = pfx.parsedValue?.authenticatedSafe
  if (!safe) throw new Error('no authenticated safe')
  await safe.parseInternalValues({ safeContents: safe.safeContents.map(() => ({ password: pwd })) })
  let keyInfo: pkijs.PrivateKeyInfo | null = null
  const certificates: pkijs.Certificate[] = []
  // pkijs types the parsed safe contents loosely; each one holds a SafeContents.
  for (const content of safe.parsedValue.safeContents as { value: pkijs.SafeContents }[]) {
    for (const bag of content.value.safeBags) {
      if (bag.bagId === KEY_BAG && bag.bagValue instanceof pkijs.PKCS8ShroudedKeyBag) {
        // Public in pkijs's code, typed protected in its declarations.
        await (bag.bagValue as unknown as { parseInternalValues(p: { password: ArrayBuffer }): Promise<void> }).parseInternalValues({ password: pwd })
        keyInfo ??= bag.bagValue.parsedValue ?? null
      } else if (bag.bagId === CERT_BAG && bag.bagValue instanceof pkijs.CertBag && bag.bagValue.parsedValue instanceof pkijs.Certificate) {
        certificates.push(bag.bagValue.parsedValue)
      }
    }
  }
  if (!keyInfo) throw new Error('no private key')
  const algorithm = keyInfo.privateKeyAlgorithm.algorithmId
  const params = algorithm === RSA ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } : algorithm === EC ? { name: 'ECDSA', namedCurve: 'P-256' } : null
  if (!params) throw new Error(`unsupported key ${algorithm}`)
  const privateKey = await crypto.subtle.importKey('pkcs8', keyInfo.toSchema().toBER(false), params, false, ['sign'])
  const certificate = certificates.find((c) => !isCa(c)) ?? certificates[0]
  if (!certificate) throw new Error('no certificate')
  return { privateKey, certificate, chain: certificates.filter((c) => c !== certificate) }
}
