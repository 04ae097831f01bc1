/**
 * CMS/PKCS#7 detached signatures (chữ ký CMS tách rời, RFC 5652) over a batch's content:
 * SignedData with eContentType id-data and no eContent, one SignerInfo (issuer and serial) with
 * the signed attributes contentType, signingTime and messageDigest = SHA-256(content), signed
 * with RSA PKCS#1 v1.5 / SHA-256 or ECDSA P-256 / SHA-256, and the signer's certificate chain.
 * `signDetached` is the signer's side (CLI, tests, bench); `openCms` is the server's first check.
 */
import { createHash } from 'node:crypto'
import { Invalid } from '../errors.js'
import { asn1js, certificateDer, OID, pkijs, toArrayBuffer } from './pki.js'

/** Builds the DER of a detached CMS SignedData over `content` with the signer's key. */
export async function signDetached(content: Uint8Array, signer: { certificate: pkijs.Certificate; privateKey: CryptoKey; chain?: pkijs.Certificate[]; signingTime?: Date }): Promise<Uint8Array> {
  const cert = signer.certificate
  const digest = createHash('sha256').update(content).digest()
  const signedData = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
    signerInfos: [new pkijs.SignerInfo({ version: 1, sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }) })],
    certificates: [cert, ...(signer.chain ?? []).filter((c) => c !== cert)],
  })
  signedData.signerInfos[0]!.signedAttrs = new pkijs.SignedAndUnsignedAttributes({
    type: 0,
    attributes: [
      new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: OID.data })] }),
      new pkijs.Attribute({ type: OID.signingTime, values: [new asn1js.UTCTime({ valueDate: signer.signingTime ?? new Date() })] }),
      new pkijs.Attribute({ type: OID.messageDigest, values: [new asn1js.OctetString({ valueHex: toArrayBuffer(digest) })] }),
    ],
  })
  await signedData.sign(signer.privateKey, 0, 'SHA-256')
  const info = new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema(true) })
  return new Uint8Array(info.toSchema().toBER(false))
}

export interface OpenedCms {
  signedData: pkijs.SignedData
  signerCertificate: pkijs.Certificate
  /** Every certificate the CMS carries (the signer's first). */
  certificates: pkijs.Certificate[]
  signingTime: Date | null
  messageDigest: Uint8Array
  digestAlgorithm: string
  signatureAlgorithm: string
}

const attribute = (signerInfo: pkijs.SignerInfo, type: string) => signerInfo.signedAttrs?.attributes.find((a) => a.type === type)?.values[0]

/**
 * Parses a CMS and checks it is a detached SignedData with one signer whose certificate it
 * carries and with signed attributes; Invalid (with a sentence for the signer) otherwise.
 */
export function openCms(der: Uint8Array): OpenedCms {
  let signedData: pkijs.SignedData
  try {
    const info = pkijs.ContentInfo.fromBER(toArrayBuffer(der))
    if (info.contentType !== OID.signedData) throw new Error(`content type ${info.contentType}`)
    signedData = new pkijs.SignedData({ schema: info.content })
  } catch (error) {
    throw new Invalid(`Tệp chữ ký không phải CMS/PKCS#7 SignedData hợp lệ (${(error as Error).message}) (not a CMS SignedData).`, { field: 'cms' })
  }
  if (signedData.signerInfos.length !== 1) throw new Invalid(`Chữ ký phải có đúng một người ký, tệp này có ${signedData.signerInfos.length} (exactly one signer expected).`, { field: 'cms' })
  if (signedData.encapContentInfo.eContent) throw new Invalid('Chữ ký phải ở dạng tách rời (detached), không kèm nội dung (detached signature expected).', { field: 'cms' })
  const signerInfo = signedData.signerInfos[0]!
  const certificates = (signedData.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate)
  // Signers are named by issuer and serial (what every CA client writes; SKI-named signers are not accepted).
  const sid = signerInfo.sid
  const signerCertificate = sid instanceof pkijs.IssuerAndSerialNumber ? certificates.find((c) => c.issuer.isEqual(sid.issuer) && c.serialNumber.isEqual(sid.serialNumber)) : undefined
  if (!signerCertificate) throw new Invalid('Chữ ký không kèm chứng thư số của người ký; hãy xuất chữ ký kèm chứng thư (the signer certificate is missing from the CMS).', { field: 'cms' })
  const digest = attribute(signerInfo, OID.messageDigest) as asn1js.OctetString | undefined
  if (!digest) throw new Invalid('Chữ ký thiếu thuộc tính messageDigest trong signedAttrs (signed attributes with messageDigest expected).', { field: 'cms' })
  const time = attribute(signerInfo, OID.signingTime) as asn1js.UTCTime | asn1js.GeneralizedTime | undefined
  return {
    signedData,
    signerCertificate,
    certificates: [signerCertificate, ...certificates.filter((c) => c !== signerCertificate)],
    signingTime: time ? time.toDate() : null,
    messageDigest: new Uint8Array(digest.valueBlock.valueHexView),
    digestAlgorithm: signerInfo.digestAlgorithm.algorithmId,
    signatureAlgorithm: signerInfo.signatureAlgorithm.algorithmId,
  }
}

/** Whether the signer's signature over the signed attributes verifies with its certificate's key. */
export async function signatureVerifies(opened: OpenedCms, content: Uint8Array): Promise<boolean> {
  try {
    const result = await opened.signedData.verify({ signer: 0, data: toArrayBuffer(content), checkChain: false, extendedMode: true })
    return result.signatureVerified === true
  } catch {
    return false
  }
}

export const signerCertificateDer = (opened: OpenedCms) => certificateDer(opened.signerCertificate)
