// A detached CMS SignedData over the batch content, built in the browser with pkijs and signed
// with WebCrypto (the twin of src/signing/cms.ts `signDetached`): signed attributes
// contentType, signingTime and messageDigest = SHA-256(content); the signer's chain inside.
import * as asn1js from 'asn1js'
import * as pkijs from 'pkijs'
import type { Signer } from './pkcs12.js'

const DATA = '1.2.840.113549.1.7.1'
const SIGNED_DATA = '1.2.840.113549.1.7.2'

export async function signDetached(content: Uint8Array<ArrayBuffer>, { certificate, privateKey, chain = [] }: Signer): Promise<Uint8Array> {
  const digest = await crypto.subtle.digest('SHA-256', content)
  const signedData = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: DATA }),
    signerInfos: [new pkijs.SignerInfo({ version: 1, sid: new pkijs.IssuerAndSerialNumber({ issuer: certificate.issuer, serialNumber: certificate.serialNumber }) })],
    certificates: [certificate, ...chain],
  })
  const signerInfo = signedData.signerInfos[0]
  if (!signerInfo) throw new Error('no signer info')
  signerInfo.signedAttrs = new pkijs.SignedAndUnsignedAttributes({
    type: 0,
    attributes: [
      new pkijs.Attribute({ type: '1.2.840.113549.1.9.3', values: [new asn1js.ObjectIdentifier({ value: DATA })] }),
      new pkijs.Attribute({ type: '1.2.840.113549.1.9.5', values: [new asn1js.UTCTime({ valueDate: new Date() })] }),
      new pkijs.Attribute({ type: '1.2.840.113549.1.9.4', values: [new asn1js.OctetString({ valueHex: digest })] }),
    ],
  })
  await signedData.sign(privateKey, 0, 'SHA-256')
  const info = new pkijs.ContentInfo({ contentType: SIGNED_DATA, content: signedData.toSchema(true) })
  return new Uint8Array(info.toSchema().toBER(false))
}
