/**
 * Digital signing of the electronic cadastral book (ký số sổ địa chính điện tử): book entries,
 * Merkle batches, CMS signatures verified against trusted CAs and authorisations, verification,
 * the reconcile hook that supersedes signatures, and the integration package (đồng bộ).
 * What other concerns and the scripts may use.
 */
export { signingRoutes } from './routes.js'
export { currentEntries, canonicalEntry, entryHash, diffEntries, ENTRY_FORMAT, type BookEntry, type EntryRecord } from './entry.js'
export { buildTree, verifyProof, leafHash, nodeHash, MERKLE_ALGORITHM, type InclusionProof, type MerkleTree } from './merkle.js'
export { prepareBatch, submitSignature, getBatch, listBatches, batchView, BATCH_FORMAT, type PreparedBatch, type SubmitResult, type BatchView, type BatchStatement } from './batches.js'
export { signDetached, openCms, signatureVerifies } from './cms.js'
export { readPkcs12, writePkcs12, type Pkcs12Contents } from './pkcs12.js'
export { createDemoRoot, issueSigner, issueCertificate, generateKeyPair, type Issued, type KeyKind } from './demo-ca.js'
export { certificatePem, describeCertificate, parseCertificate, fromPem, toPem, normalizeSerial, KEY_USAGE, type CertificateInfo } from './pki.js'
export { addTrustedCa, listTrustedCas, removeTrustedCa, addAuthorisation, listAuthorisations, revokeAuthorisation, type TrustedCaView, type AuthorisationView, type NewAuthorisation } from './trust.js'
export { verifyParcels, verifyCommune, parcelSignature, SIGNATURE_STATUSES, type SignatureStatus, type ParcelSignatureReport, type CommuneVerification } from './verify.js'
export { supersedeSignatures } from './supersede.js'
export { exportCommune, listExports, EXPORT_FORMAT, type ExportOptions, type ExportPackage } from './export.js'
export { signCommune, localTransport, httpTransport, checkPrepared, type SignerTransport, type SignRun } from './client.js'
export { issueDemoSigners, isDemoDatabase, type DemoSignerFile } from './demo-setup.js'
