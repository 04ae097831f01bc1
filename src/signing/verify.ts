/**
 * Verification (kiểm tra chữ ký) of parcels' signatures, one parcel or a whole commune, from
 * the stored evidence alone: each batch's CMS over its content (once per batch), the content's
 * root, each parcel's proof from its signed entry hash to that root, the signed entry against
 * the parcel's entry as it is now. A parcel's status:
 *   unsigned   never signed;
 *   superseded its signature was superseded by a later decision (needs review and a new one);
 *   broken     the entry changed since signing (`fields` names what), or the evidence itself
 *              (CMS, root, proof, stored entry) does not hold;
 *   untrusted  intact, but the signer's chain no longer reaches a trusted root CA;
 *   valid      all holds.
 */
import { createHash } from 'node:crypto'
import type { Knex } from 'knex'
import { NotFound } from '../errors.js'
import { existingCommune, type BatchRow } from './batches.js'
import { openCms, signatureVerifies } from './cms.js'
import { currentEntries, diffEntries, entryHash, type BookEntry, type CurrentEntry } from './entry.js'
import { buildTree, verifyProof, type InclusionProof } from './merkle.js'
import { validateChain } from './pki.js'
import { trustedCertificates } from './trust.js'

export const SIGNATURE_STATUSES = ['valid', 'broken', 'untrusted', 'superseded', 'unsigned'] as const
export type SignatureStatus = (typeof SIGNATURE_STATUSES)[number]

export interface ParcelSignatureReport {
  commune: string
  parcelId: number
  sheet: string | null
  parcel: string | null
  parcelStatus: string | null
  status: SignatureStatus
  /** For broken: the entry fields that changed, or which piece of evidence failed. */
  fields?: string[]
  reason?: string
  signer?: { subject: string | null; serial: string | null; issuer: string | null; userId: number | null }
  signedAt?: string | null
  signingTime?: string | null
  supersededAt?: string | null
  batch?: { id: number; root: string; entryCount: number }
  entryHash?: string
  proof?: InclusionProof
}

interface SignatureRow {
  parcel_id: string | number
  batch_id: string | number
  entry_hash: string
  /** The signed entry's JCS text: read only for entries that changed, to name the fields. */
  entry?: string | null
  proof: InclusionProof
  state: string
  superseded_at: Date | null
}

interface BatchCheck {
  row: BatchRow
  intact: boolean
  trusted: boolean
  problem?: string
  /** Rows whose proof the rebuilt tree confirmed (null: check each proof on its own). */
  provenRows?: Set<SignatureRow> | null
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex')

/** Checks a signed batch once: CMS over its content, content naming its root, chain trusted now. */
async function checkBatch(row: BatchRow, trusted: Awaited<ReturnType<typeof trustedCertificates>>): Promise<BatchCheck> {
  try {
    if (!row.cms || !row.content) return { row, intact: false, trusted: false, problem: 'signature' }
    const opened = openCms(new Uint8Array(row.cms))
    const digest = createHash('sha256').update(row.content).digest()
    if (!digest.equals(Buffer.from(opened.messageDigest))) return { row, intact: false, trusted: false, problem: 'signature' }
    if (!(await signatureVerifies(opened, new Uint8Array(row.content)))) return { row, intact: false, trusted: false, problem: 'signature' }
    const statement = JSON.parse(row.content.toString('utf8')) as { root?: string; commune?: string; batchId?: number }
    if (statement.root !== row.merkle_root || statement.commune !== row.commune_code || statement.batchId !== Number(row.id)) return { row, intact: false, trusted: false, problem: 'root' }
    const chain = await validateChain(opened.signerCertificate, opened.certificates.slice(1), trusted, row.signing_time ?? row.signed_at ?? new Date())
    return { row, intact: true, trusted: chain.ok }
  } catch {
    return { row, intact: false, trusted: false, problem: 'signature' }
  }
}

/** Every non-pending signature row of the commune (or of `parcelIds`), for the latest per parcel and the batch trees. */
async function signatureRows(db: Knex | Knex.Transaction, commune: string, parcelIds?: number[]): Promise<SignatureRow[]> {
  const { rows } = await db.raw<{ rows: SignatureRow[] }>(
    `SELECT parcel_id, batch_id, entry_hash, proof, state, superseded_at
     FROM parcel_signatures
     WHERE commune_code = ? AND state <> 'pending' AND (CAST(? AS bigint[]) IS NULL OR parcel_id = ANY(CAST(? AS bigint[])))`,
    [commune, parcelIds ?? null, parcelIds ?? null],
  )
  return rows
}

/** The latest signature of each parcel: a valid one before superseded ones, then the latest batch. */
function latestPerParcel(rows: SignatureRow[]): Map<number, SignatureRow> {
  const latest = new Map<number, SignatureRow>()
  for (const r of rows) {
    const id = Number(r.parcel_id)
    const seen = latest.get(id)
    const valid = r.state === 'valid'
    if (!seen || (valid && seen.state !== 'valid') || (valid === (seen.state === 'valid') && Number(r.batch_id) > Number(seen.batch_id))) latest.set(id, r)
  }
  return latest
}

/**
 * Which stored proofs of a batch are right, when all its leaves are at hand: the batch's entry
 * hashes placed at their leaf index must rebuild the signed root, and each stored proof must
 * be that tree's path (one tree instead of a proof check per parcel). Null when the leaves
 * do not rebuild the root (or some are missing): then each proof is checked on its own.
 */
function proofsByTree(rows: SignatureRow[], entryCount: number, root: string): Set<SignatureRow> | null {
  const leaves: string[] = new Array(entryCount)
  for (const r of rows) {
    const i = r.proof?.leafIndex
    if (!Number.isInteger(i) || i < 0 || i >= entryCount || leaves[i] !== undefined) return null
    leaves[i] = r.entry_hash
  }
  if (rows.length !== entryCount) return null
  const tree = buildTree(leaves)
  if (tree.root !== root) return null
  const good = new Set<SignatureRow>()
  for (const r of rows) {
    const expected = tree.proof(r.proof.leafIndex)
    if (r.proof.treeSize === expected.treeSize && Array.isArray(r.proof.path) && r.proof.path.length === expected.path.length && r.proof.path.every((h, k) => h === expected.path[k])) good.add(r)
  }
  return good
}

/** Reads the signed entry text of the valid signatures whose parcel's entry hash changed. */
async function readChangedEntries(db: Knex | Knex.Transaction, commune: string, signatures: Map<number, SignatureRow>, current: Map<number, HashedEntry>): Promise<void> {
  const changed = [...signatures.values()].filter((s) => {
    const now = current.get(Number(s.parcel_id))
    return s.state === 'valid' && now !== undefined && now.hash !== s.entry_hash
  })
  if (changed.length === 0) return
  const { rows } = await db.raw<{ rows: Array<{ parcel_id: string | number; entry: string | null }> }>(
    `SELECT s.parcel_id, s.entry FROM parcel_signatures s
     JOIN unnest(CAST(? AS bigint[]), CAST(? AS bigint[])) AS w(parcel_id, batch_id) ON w.parcel_id = s.parcel_id AND w.batch_id = s.batch_id
     WHERE s.commune_code = ?`,
    [changed.map((s) => Number(s.parcel_id)), changed.map((s) => Number(s.batch_id)), commune],
  )
  for (const r of rows) signatures.get(Number(r.parcel_id))!.entry = r.entry
}

/** A parcel's current entry with its hash, computed once per verification. */
type HashedEntry = CurrentEntry & { hash: string }

function judge(commune: string, parcelId: number, current: HashedEntry | undefined, sig: SignatureRow | undefined, batch: BatchCheck | undefined): ParcelSignatureReport {
  const base: ParcelSignatureReport = {
    commune,
    parcelId,
    sheet: current?.entry.sheet ?? null,
    parcel: current?.entry.parcel ?? null,
    parcelStatus: current?.status ?? null,
    status: 'unsigned',
  }
  if (!sig) return base
  const b = batch?.row
  const evidence: ParcelSignatureReport = {
    ...base,
    signer: b ? { subject: b.signer_subject, serial: b.signer_serial, issuer: b.signer_issuer, userId: b.signer_user_id === null ? null : Number(b.signer_user_id) } : undefined,
    signedAt: b?.signed_at?.toISOString() ?? null,
    signingTime: b?.signing_time?.toISOString() ?? null,
    batch: b ? { id: Number(b.id), root: b.merkle_root, entryCount: b.entry_count } : undefined,
    entryHash: sig.entry_hash,
    proof: sig.proof,
  }
  if (sig.state === 'superseded') return { ...evidence, status: 'superseded', supersededAt: sig.superseded_at?.toISOString() ?? null, reason: 'Đã có quyết định mới sau khi ký; thửa cần xem xét và ký lại (a later decision superseded the signature).' }
  const broken = (fields: string[], reason: string): ParcelSignatureReport => ({ ...evidence, status: 'broken', fields, reason })
  if (!batch || !batch.intact) return broken([batch?.problem ?? 'signature'], 'Chữ ký CMS của lô không còn khớp với nội dung lô (the batch signature does not verify).')
  const proven = batch.provenRows ? batch.provenRows.has(sig) : sig.proof?.treeSize === b!.entry_count && verifyProof(sig.entry_hash, sig.proof, b!.merkle_root)
  if (!proven) return broken(['proof'], 'Bằng chứng Merkle không dẫn tới gốc đã ký (the inclusion proof does not lead to the signed root).')
  if (!current) return broken(['parcel'], 'Thửa không còn trong sổ (the parcel no longer exists).')
  // The same hash means the same entry; a changed one is compared with the stored signed entry.
  if (current.hash !== sig.entry_hash) {
    if (!sig.entry || sha256(sig.entry) !== sig.entry_hash) return broken(['entryHash'], 'Thông tin thửa đã thay đổi sau khi ký, và nội dung đã ký lưu trong hệ thống không khớp mã băm đã ký (the entry changed; the stored signed entry does not match its hash).')
    const fields = diffEntries(JSON.parse(sig.entry) as BookEntry, current.entry)
    return broken(fields.length > 0 ? fields : ['(entry)'], `Thông tin thửa đã thay đổi sau khi ký: ${fields.join(', ')} (the entry changed since signing).`)
  }
  if (!batch.trusted) return { ...evidence, status: 'untrusted', reason: 'Chứng thư người ký không còn dẫn tới CA gốc được tin cậy (the signer chain no longer reaches a trusted root CA).' }
  return { ...evidence, status: 'valid' }
}

/** Verifies the signatures of a commune's parcels (all, or `parcelIds`), one report per parcel. */
export async function verifyParcels(db: Knex | Knex.Transaction, commune: string, parcelIds?: number[]): Promise<ParcelSignatureReport[]> {
  return (await verifyWithBatches(db, commune, parcelIds)).reports
}

async function verifyWithBatches(db: Knex | Knex.Transaction, commune: string, parcelIds?: number[]): Promise<{ reports: ParcelSignatureReport[]; batches: BatchCheck[] }> {
  const current = await currentEntries(db, commune, { parcelIds })
  const rows = await signatureRows(db, commune, parcelIds)
  const signatures = latestPerParcel(rows)
  const trusted = await trustedCertificates(db)
  const batchIds = [...new Set([...signatures.values()].map((s) => Number(s.batch_id)))]
  const batchRows = (batchIds.length > 0 ? await db('signature_batches').where({ commune_code: commune }).whereIn('id', batchIds) : []) as BatchRow[]
  const batches = new Map<number, BatchCheck>()
  for (const row of batchRows) {
    const check = await checkBatch(row, trusted)
    // A whole commune read every row of its batches: one tree per batch confirms all proofs.
    const own = rows.filter((r) => Number(r.batch_id) === Number(row.id))
    check.provenRows = parcelIds === undefined && check.intact ? proofsByTree(own, row.entry_count, row.merkle_root) : null
    batches.set(Number(row.id), check)
  }
  const currentById = new Map(current.map((c) => [c.entry.parcelId, { ...c, hash: entryHash(c.entry) }]))
  await readChangedEntries(db, commune, signatures, currentById)
  const ids = [...new Set([...currentById.keys(), ...signatures.keys()])].sort((a, b) => a - b)
  const reports = ids.map((id) => {
    const sig = signatures.get(id)
    return judge(commune, id, currentById.get(id), sig, sig ? batches.get(Number(sig.batch_id)) : undefined)
  })
  return { reports, batches: [...batches.values()] }
}

export async function parcelSignature(db: Knex, code: string, parcelId: number): Promise<ParcelSignatureReport> {
  const commune = await existingCommune(db, code)
  const [report] = await verifyParcels(db, commune, [parcelId])
  if (!report) throw new NotFound(`Không có thửa ${parcelId} trong xã ${commune} (no parcel ${parcelId} in this commune).`, { field: 'id' })
  return report
}

/** The commune a parcel id belongs to (ids come from one identity across communes). */
export async function communeOfParcel(db: Knex, parcelId: number): Promise<string> {
  const rows: Array<{ commune_code: string }> = await db('parcels').where({ id: parcelId }).select('commune_code').limit(2)
  if (rows.length === 0) throw new NotFound(`Không có thửa mã ${parcelId} (no parcel ${parcelId}).`, { field: 'id' })
  return rows[0]!.commune_code
}

export interface CommuneVerification {
  commune: string
  checkedAt: string
  counts: Record<SignatureStatus, number>
  batches: Array<{ id: number; entryCount: number; intact: boolean; trusted: boolean; signer: string | null; signedAt: string | null }>
  /** Every parcel that is not valid or unsigned. */
  problems: ParcelSignatureReport[]
  ms: number
}

export async function verifyCommune(db: Knex, code: string): Promise<CommuneVerification> {
  const started = performance.now()
  const commune = await existingCommune(db, code)
  const { reports, batches } = await verifyWithBatches(db, commune)
  const counts = Object.fromEntries(SIGNATURE_STATUSES.map((s) => [s, 0])) as Record<SignatureStatus, number>
  for (const r of reports) counts[r.status] += 1
  return {
    commune,
    checkedAt: new Date().toISOString(),
    counts,
    batches: batches.map((b) => ({ id: Number(b.row.id), entryCount: b.row.entry_count, intact: b.intact, trusted: b.trusted, signer: b.row.signer_subject, signedAt: b.row.signed_at?.toISOString() ?? null })),
    problems: reports.filter((r) => r.status === 'broken' || r.status === 'untrusted' || r.status === 'superseded').map(({ proof: _p, ...rest }) => rest),
    ms: Math.round(performance.now() - started),
  }
}
