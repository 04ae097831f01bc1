/**
 * PKCS#12 files (tệp .p12/.pfx: khóa bí mật và chứng thư của người ký), written and read with
 * pkijs: the key in a PKCS8ShroudedKeyBag (PBES2: PBKDF2-SHA-256, AES-256-CBC), the
 * certificates in an encrypted SafeContents, an HMAC-SHA-256 MAC over the whole. OpenSSL 3 reads
 * them and writes files of the same kind. RSA and ECDSA keys alike. Legacy files (3DES/RC2 PBE)
 * are not supported: convert them with `openssl pkcs12` first.
 */
import { webcrypto } from 'node:crypto'
import { Invalid } from '../errors.js'
import type { Issued, KeyKind } from './demo-ca.js'
import { isCa, pkijs, toArrayBuffer } from './pki.js'

const subtle = webcrypto.subtle as unknown as SubtleCrypto
const KEY_BAG = '1.2.840.113549.1.12.10.1.2'
const CERT_BAG = '1.2.840.113549.1.12.10.1.3'
const X509_CERT = '1.2.840.113549.1.9.22.1'
// As OpenSSL 3 writes them; the PKCS#12 MAC key derivation runs in JS, so more would be slow.
const ITERATIONS = 2048

const passwordBytes = (password: string) => toArrayBuffer(new TextEncoder().encode(password))

/** Writes the signer's key and certificate (and its chain) as a PKCS#12 file. */
export async function writePkcs12(signer: Pick<Issued, 'certificate' | 'privateKey'>, chain: pkijs.Certificate[], password: string): Promise<Uint8Array> {
  const pkcs8 = await subtle.exportKey('pkcs8', signer.privateKey)
  const keyInfo = pkijs.PrivateKeyInfo.fromBER(pkcs8)
  const pwd = passwordBytes(password)
  const encryption = { password: pwd, contentEncryptionAlgorithm: { name: 'AES-CBC', length: 256 } as Algorithm, hmacHashAlgorithm: 'SHA-256', iterationCount: ITERATIONS }
  const certBags = [signer.certificate, ...chain].map(
    (certificate) => new pkijs.SafeBag({ bagId: CERT_BAG, bagValue: new pkijs.CertBag({ certId: X509_CERT, parsedValue: certificate }) }),
  )
  const pfx = new pkijs.PFX({
    parsedValue: {
      integrityMode: 0, // password-based integrity
      authenticatedSafe: new pkijs.AuthenticatedSafe({
        parsedValue: {
          safeContents: [
            { privacyMode: 0, value: new pkijs.SafeContents({ safeBags: [new pkijs.SafeBag({ bagId: KEY_BAG, bagValue: new pkijs.PKCS8ShroudedKeyBag({ parsedValue: keyInfo }) })] }) },
            { privacyMode: 1, value: new pkijs.SafeContents({ safeBags: certBags }) },
          ],
        },
      }),
    },
  })
  const safe = pfx.parsedValue!.authenticatedSafe!
  await (safe.parsedValue.safeContents[0].value.safeBags[0].bagValue as pkijs.PKCS8ShroudedKeyBag).makeInternalValues(encryption as never)
  await safe.makeInternalValues({ safeContents: [{}, encryption] })
  await pfx.makeInternalValues({ password: pwd, iterations: ITERATIONS, pbkdf2HashAlgorithm: 'SHA-256', hmacHashAlgorithm: 'SHA-256' } as never)
  return new Uint8Array(pfx.toSchema().toBER(false))
}

export interface Pkcs12Contents {
  certificate: pkijs.Certificate
  chain: pkijs.Certificate[]
  privateKey: CryptoKey
  kind: KeyKind
}

const RSA_OID = '1.2.840.113549.1.1.1'
const EC_OID = '1.2.840.10045.2.1'

/** Reads a PKCS#12 file: the private key (imported for signing), its certificate, the rest of the chain. */
export async function readPkcs12(der: Uint8Array, password: string): Promise<Pkcs12Contents> {
  const pwd = passwordBytes(password)
  const keyInfos: pkijs.PrivateKeyInfo[] = []
  const certificates: pkijs.Certificate[] = []
  try {
    const pfx = pkijs.PFX.fromBER(toArrayBuffer(der))
    await pfx.parseInternalValues({ password: pwd, checkIntegrity: true })
    const safe = pfx.parsedValue!.authenticatedSafe!
    await safe.parseInternalValues({ safeContents: safe.safeContents.map(() => ({ password: pwd })) })
    for (const content of safe.parsedValue.safeContents as Array<{ value: pkijs.SafeContents }>) {
      for (const bag of content.value.safeBags) {
        if (bag.bagId === KEY_BAG) {
          const shrouded = bag.bagValue as pkijs.PKCS8ShroudedKeyBag
          await (shrouded as unknown as { parseInternalValues(p: { password: ArrayBuffer }): Promise<void> }).parseInternalValues({ password: pwd })
          if (shrouded.parsedValue) keyInfos.push(shrouded.parsedValue)
        } else if (bag.bagId === '1.2.840.113549.1.12.10.1.1') {
          keyInfos.push(bag.bagValue as unknown as pkijs.PrivateKeyInfo)
        } else if (bag.bagId === CERT_BAG) {
          const parsed = (bag.bagValue as pkijs.CertBag).parsedValue
          if (parsed instanceof pkijs.Certificate) certificates.push(parsed)
        }
      }
    }
  } catch (error) {
    throw new Invalid(`Không mở được tệp PKCS#12: sai mật khẩu hoặc tệp hỏng (${(error as Error).message}) (cannot open the PKCS#12 file: wrong password or damaged file).`, { field: 'p12' })
  }
  const keyInfo = keyInfos[0]
  if (!keyInfo) throw new Invalid('Tệp PKCS#12 không chứa khóa bí mật (no private key in the PKCS#12 file).', { field: 'p12' })
  const algorithm = keyInfo.privateKeyAlgorithm.algorithmId
  const kind: KeyKind = algorithm === RSA_OID ? 'RSA' : algorithm === EC_OID ? 'ECDSA' : (() => { throw new Invalid(`Loại khóa ${algorithm} chưa được hỗ trợ; chỉ RSA và ECDSA P-256 (unsupported key type).`, { field: 'p12' }) })()
  const pkcs8 = keyInfo.toSchema().toBER(false)
  const privateKey = await subtle.importKey('pkcs8', pkcs8, kind === 'RSA' ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } : { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign'])
  // The signer's certificate is the one whose public key matches the key: the non-CA one.
  const certificate = certificates.find((c) => !isCa(c)) ?? certificates[0]
  if (!certificate) throw new Invalid('Tệp PKCS#12 không chứa chứng thư số (no certificate in the PKCS#12 file).', { field: 'p12' })
  return { certificate, chain: certificates.filter((c) => c !== certificate), privateKey, kind }
}

