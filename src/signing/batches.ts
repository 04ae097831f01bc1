/**
 * Signing batches (lô ký): preparing a batch of a commune's reconciled parcels (their entries,
 * entry hashes, Merkle tree and proofs, and the statement the signer signs), and accepting the
 * signer's CMS over it after every check (digest, signature, validity at signing time, chain to
 * a trusted root CA, key usage, authorisation for the commune). A refused signature stores
 * nothing. The signer's private key never reaches the server.
 *
 * What is signed (the CMS content, `content` below): the UTF-8 JCS of
 *   { format: "landbook-batch/1", commune, batchId, entries, entryFormat, merkle: "rfc6962-sha256",
 *     root, preparedAt }
 * so a signature binds the root to its commune and batch and cannot be replayed elsewhere.
 */
import { createHash } from 'node:crypto'
import type { Knex } from 'knex'
import { normalizeCommuneCode } from '../communes/index.js'
import { Conflict, Forbidden, Invalid, NotFound } from '../errors.js'
import { openCms, signatureVerifies } from './cms.js'
import { copyInto } from './copy.js'
import { jcs } from './jcs.js'
import { canonicalEntry, currentEntries, ENTRY_FORMAT, entryHash } from './entry.js'
import { buildTree, MERKLE_ALGORITHM } from './merkle.js'
import { certificatePem, describeCertificate, KEY_USAGE, keyUsageBits, validateChain } from './pki.js'
import { authorisedCommunes, findAuthorisation, trustedCertificates } from './trust.js'

export const BATCH_FORMAT = 'landbook-batch/1'
/** Clock difference tolerated between the signer's machine and the server. */
const CLOCK_SKEW_MS = 5 * 60_000

export interface BatchStatement {
  format: string
  commune: string
  batchId: number
  entries: number
  entryFormat: number
  merkle: string
  root: string
  preparedAt: string
}

export interface PreparedBatch {
  batchId: number
  commune: string
  entryCount: number
  root: string
  merkle: string
  entryFormat: number
  preparedAt: string
  /** Base64 of the exact bytes to sign as the (detached) CMS content. */
  content: string
  /** SHA-256 (hex) of the content: the messageDigest signed attribute the CMS must carry. */
  contentSha256: string
}

export async function existingCommune(db: Knex | Knex.Transaction, code: string): Promise<string> {
  const commune = normalizeCommuneCode(code)
  if (!(await db('communes').where({ code: commune }).first('code'))) throw new NotFound(`Không có xã mã ${code} (no commune with this code).`, { field: 'code' })
  return commune
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

/**
 * Prepares a batch of the commune's reconciled parcels (all, or `parcelIds`, which must all be
 * reconciled): stores the entries and proofs as pending and returns what to sign.
 */
export async function prepareBatch(knex: Knex, code: string, options: { parcelIds?: number[]; preparedBy?: number | null } = {}): Promise<PreparedBatch> {
  const commune = await existingCommune(knex, code)
  const wanted = options.parcelIds ? [...new Set(options.parcelIds)].sort((a, b) => a - b) : undefined
  const entries = await currentEntries(knex, commune, { parcelIds: wanted, statuses: ['reconciled'] })
  if (wanted) {
    const found = new Set(entries.map((e) => e.entry.parcelId))
    const missing = wanted.filter((id) => !found.has(id))
    if (missing.length > 0) {
      throw new Invalid(
        `${missing.length} thửa không có trong xã ${commune} hoặc chưa ở trạng thái đã đối soát (reconciled): ${missing.slice(0, 20).join(', ')}${missing.length > 20 ? '…' : ''} (parcels not reconciled in this commune).`,
        { field: 'parcelIds' },
        { parcelIds: missing.slice(0, 100) },
      )
    }
  }
  if (entries.length === 0) throw new Conflict(`Xã ${commune} chưa có thửa nào đã đối soát xong để ký (no reconciled parcel to sign).`, { field: 'code' })

  const texts = entries.map((e) => canonicalEntry(e.entry))
  const hashes = texts.map((t) => sha256(Buffer.from(t, 'utf8')))
  const tree = buildTree(hashes)
  return knex.transaction(async (trx) => {
    const [batch] = await trx('signature_batches')
      .insert({ commune_code: commune, merkle_root: tree.root, entry_count: entries.length, state: 'pending', prepared_by: options.preparedBy ?? null, entry_format: ENTRY_FORMAT })
      .returning(['id', 'created_at'])
    const batchId = Number(batch.id)
    const preparedAt = new Date(batch.created_at).toISOString()
    const statement: BatchStatement = { format: BATCH_FORMAT, commune, batchId, entries: entries.length, entryFormat: ENTRY_FORMAT, merkle: MERKLE_ALGORITHM, root: tree.root, preparedAt }
    const content = Buffer.from(jcs(statement), 'utf8')
    await trx('signature_batches').where({ commune_code: commune, id: batchId }).update({ content })
    const rows = entries.map((e, i) => ({ parcel_id: e.entry.parcelId, parcel_version: e.entry.version, entry_hash: hashes[i]!, entry: texts[i]!, proof: tree.proof(i) }))
    await insertPending(trx, commune, batchId, rows)
    return { batchId, commune, entryCount: entries.length, root: tree.root, merkle: MERKLE_ALGORITHM, entryFormat: ENTRY_FORMAT, preparedAt, content: content.toString('base64'), contentSha256: sha256(content) }
  })
}

/** The batch's entries and proofs as pending signatures, streamed with COPY. */
async function insertPending(trx: Knex.Transaction, commune: string, batchId: number, rows: Array<{ parcel_id: number; parcel_version: number; entry_hash: string; entry: string; proof: unknown }>): Promise<void> {
  await copyInto(
    trx,
    'parcel_signatures',
    ['commune_code', 'parcel_id', 'batch_id', 'parcel_version', 'entry_hash', 'entry', 'proof', 'state'],
    rows.map((r) => [commune, r.parcel_id, batchId, r.parcel_version, r.entry_hash, r.entry, JSON.stringify(r.proof), 'pending']),
  )
}

export interface BatchView {
  id: number
  commune: string
  state: string
  entryCount: number
  root: string
  content: string | null
  contentSha256: string | null
  preparedBy: number | null
  createdAt: string
  signedAt: string | null
  signingTime: string | null
  signer: { subject: string | null; serial: string | null; issuer: string | null; userId: number | null } | null
}

export interface BatchRow {
  id: string | number
  commune_code: string
  merkle_root: string
  entry_count: number
  cms: Buffer | null
  content: Buffer | null
  signer_certificate: string | null
  signer_subject: string | null
  signer_serial: string | null
  signer_issuer: string | null
  signer_chain: string | null
  signer_user_id: string | number | null
  state: string
  prepared_by: string | number | null
  created_at: Date
  signed_at: Date | null
  signing_time: Date | null
}

export function batchView(r: BatchRow): BatchView {
  return {
    id: Number(r.id),
    commune: r.commune_code,
    state: r.state,
    entryCount: r.entry_count,
    root: r.merkle_root,
    content: r.content ? r.content.toString('base64') : null,
    contentSha256: r.content ? sha256(r.content) : null,
    preparedBy: r.prepared_by === null ? null : Number(r.prepared_by),
    createdAt: r.created_at.toISOString(),
    signedAt: r.signed_at?.toISOString() ?? null,
    signingTime: r.signing_time?.toISOString() ?? null,
    signer: r.state === 'signed' ? { subject: r.signer_subject, serial: r.signer_serial, issuer: r.signer_issuer, userId: r.signer_user_id === null ? null : Number(r.signer_user_id) } : null,
  }
}

export async function getBatch(db: Knex | Knex.Transaction, code: string, batchId: number): Promise<BatchRow> {
  const commune = normalizeCommuneCode(code)
  const row = await db('signature_batches').where({ commune_code: commune, id: batchId }).first()
  if (!row) throw new NotFound(`Không có lô ký ${batchId} của xã ${commune} (no signing batch ${batchId} in this commune).`, { field: 'id' })
  return row as BatchRow
}

export async function listBatches(knex: Knex, code: string, limit = 50): Promise<BatchView[]> {
  const commune = await existingCommune(knex, code)
  const rows = await knex('signature_batches').where({ commune_code: commune }).orderBy('id', 'desc').limit(limit)
  return (rows as BatchRow[]).map(batchView)
}

const isoMinute = (d: Date) => d.toISOString().replace(/\.\d+Z$/, 'Z')

export interface SubmitResult {
  batch: BatchView
  parcels: number
}

/**
 * Verifies the signer's CMS over the batch's content and, when every check passes, stores it:
 * the batch signed, its parcel signatures valid, its parcels signed. `userId`: who uploads.
 */
export async function submitSignature(knex: Knex, code: string, batchId: number, cmsDer: Uint8Array, options: { userId?: number | null; now?: Date } = {}): Promise<SubmitResult> {
  const commune = await existingCommune(knex, code)
  const batch = await getBatch(knex, commune, batchId)
  if (batch.state !== 'pending') throw new Conflict(`Lô ký ${batchId} đã ${batch.state === 'signed' ? 'được ký' : 'bị từ chối'}; hãy chuẩn bị lô mới (batch is ${batch.state}).`, { field: 'id' })
  const content = batch.content!
  const opened = openCms(cmsDer)

  // 1. Over this batch: the messageDigest attribute must be the content's SHA-256.
  const expected = sha256(content)
  const given = Buffer.from(opened.messageDigest).toString('hex')
  if (given !== expected) {
    throw new Invalid(
      `Chữ ký không phải cho lô ${batchId} của xã ${commune}: mã băm đã ký (${given}) khác mã băm nội dung lô (${expected}); hãy ký đúng nội dung lô vừa chuẩn bị (the signature is not over this batch's root).`,
      { field: 'cms' },
      { expectedDigest: expected, signedDigest: given },
    )
  }
  // 2. The signature itself, with the key of the certificate it names.
  if (!(await signatureVerifies(opened, content))) {
    throw new Invalid('Chữ ký số không hợp lệ: không khớp với khóa công khai của chứng thư người ký (the signature does not verify with the signer certificate).', { field: 'cms' })
  }
  // 3. When it was signed: after the batch was prepared, not in the future.
  const now = options.now ?? new Date()
  const signingTime = opened.signingTime ?? now
  if (signingTime.getTime() < batch.created_at.getTime() - CLOCK_SKEW_MS || signingTime.getTime() > now.getTime() + CLOCK_SKEW_MS) {
    throw new Invalid(`Thời điểm ký ghi trong chữ ký (${isoMinute(signingTime)}) không nằm giữa lúc chuẩn bị lô và hiện tại; hãy kiểm tra đồng hồ máy ký (signing time out of range).`, { field: 'cms' })
  }
  // 4. The certificate: valid at signing time, issued under a trusted root CA, for signing.
  const cert = opened.signerCertificate
  const info = describeCertificate(cert)
  if (signingTime < cert.notBefore.value || signingTime > cert.notAfter.value) {
    throw new Invalid(
      `Chứng thư số "${info.subject}" (số sê-ri ${info.serial}) không còn hiệu lực vào thời điểm ký ${isoMinute(signingTime)}: hiệu lực từ ${isoMinute(cert.notBefore.value)} đến ${isoMinute(cert.notAfter.value)} (certificate expired or not yet valid at signing time).`,
      { field: 'cms' },
      { certificate: info },
    )
  }
  const chain = await validateChain(cert, opened.certificates.slice(1), await trustedCertificates(knex), signingTime)
  if (!chain.ok) {
    throw new Invalid(
      `Chứng thư số "${info.subject}" do "${info.issuer}" cấp không thuộc tổ chức chứng thực (CA) được tin cậy, hoặc chuỗi chứng thư không hợp lệ (${chain.message}); quản trị viên cần thêm CA gốc vào danh sách tin cậy (certificate not issued under a trusted root CA).`,
      { field: 'cms' },
      { certificate: info },
    )
  }
  const usage = keyUsageBits(cert)
  if (usage !== null && (usage & (KEY_USAGE.digitalSignature | KEY_USAGE.nonRepudiation)) === 0) {
    throw new Invalid(`Chứng thư số "${info.subject}" không được dùng để ký số (keyUsage thiếu digitalSignature/nonRepudiation) (certificate not for signing).`, { field: 'cms' }, { certificate: info })
  }
  // 5. Authorised for this commune (and this user, when the authorisation names one).
  const userId = options.userId ?? null
  const authorisation = await findAuthorisation(knex, commune, info.subject, info.serial, userId)
  if (!authorisation) {
    const others = await authorisedCommunes(knex, info.subject, info.serial)
    throw new Forbidden(
      `Chứng thư số "${info.subject}" (số sê-ri ${info.serial}) chưa được giao ký xã ${commune}${others.length > 0 ? `; chứng thư này được giao ký xã ${others.join(', ')}` : ''}${userId !== null ? ' cho tài khoản của bạn' : ''} (certificate not authorised for this commune).`,
      { field: 'cms' },
      { certificate: info, authorisedCommunes: others },
    )
  }

  return knex.transaction(async (trx) => {
    const locked = await trx('signature_batches').where({ commune_code: commune, id: batchId }).forUpdate().first('state')
    if (locked.state !== 'pending') throw new Conflict(`Lô ký ${batchId} vừa được ký (batch already signed).`, { field: 'id' })
    const parcelIds = await assertBatchUnchanged(trx, commune, batchId)
    await trx('signature_batches')
      .where({ commune_code: commune, id: batchId })
      .update({
        state: 'signed',
        cms: Buffer.from(cmsDer),
        signer_certificate: certificatePem(cert),
        signer_subject: info.subject,
        signer_serial: info.serial,
        signer_issuer: info.issuer,
        signer_chain: opened.certificates.map(certificatePem).join(''),
        signer_user_id: userId,
        signature_algorithm: opened.signatureAlgorithm,
        signing_time: signingTime,
        signed_at: trx.fn.now(),
        authorisation_id: authorisation.id,
      })
    // This batch's signatures become valid; earlier valid ones of the same parcels (a parcel
    // reconciled again normally had them superseded by its decision) give way, in one pass.
    await trx.raw(
      `UPDATE parcel_signatures
       SET state = CASE WHEN batch_id = ? THEN 'valid' ELSE 'superseded' END,
           superseded_at = CASE WHEN batch_id = ? THEN superseded_at ELSE now() END
       WHERE commune_code = ? AND parcel_id = ANY(?::bigint[]) AND (batch_id = ? OR state = 'valid')`,
      [batchId, batchId, commune, parcelIds, batchId],
    )
    await trx.raw(`UPDATE parcels SET status = 'signed', updated_at = now() WHERE commune_code = ? AND id = ANY(?::bigint[]) AND status = 'reconciled'`, [commune, parcelIds])
    return { batch: batchView(await getBatch(trx, commune, batchId)), parcels: parcelIds.length }
  })
}

/**
 * Locks the batch's parcels and checks each is still reconciled with the entry that was
 * prepared; Conflict naming the parcels that changed since.
 */
async function assertBatchUnchanged(trx: Knex.Transaction, commune: string, batchId: number): Promise<number[]> {
  const pending: Array<{ parcel_id: string | number; entry_hash: string }> = await trx('parcel_signatures').where({ commune_code: commune, batch_id: batchId }).select('parcel_id', 'entry_hash')
  const ids = pending.map((p) => Number(p.parcel_id)).sort((a, b) => a - b)
  await trx.raw('SELECT id FROM parcels WHERE commune_code = ? AND id = ANY(?::bigint[]) ORDER BY id FOR UPDATE', [commune, ids])
  const current = new Map((await currentEntries(trx, commune, { parcelIds: ids })).map((c) => [c.entry.parcelId, c]))
  const changed = pending
    .filter((p) => {
      const now = current.get(Number(p.parcel_id))
      return !now || now.status !== 'reconciled' || entryHash(now.entry) !== p.entry_hash
    })
    .map((p) => Number(p.parcel_id))
  if (changed.length > 0) {
    throw new Conflict(
      `${changed.length} thửa đã thay đổi hoặc không còn ở trạng thái đã đối soát kể từ khi chuẩn bị lô ${batchId} (${changed.slice(0, 20).join(', ')}${changed.length > 20 ? '…' : ''}); hãy chuẩn bị lô mới và ký lại (parcels changed since the batch was prepared).`,
      { field: 'id' },
      { parcelIds: changed.slice(0, 100) },
    )
  }
  return ids
}
