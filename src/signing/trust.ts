/**
 * Trust (tin cậy): the root CAs the admin trusts and which signer certificates are authorised
 * (giao quyền ký) for which commune. A certificate is named by its subject as Landbook writes it
 * ("CN=…, UID=…, O=…, C=VN") and optionally its serial; an authorisation may be tied to a user.
 */
import type { Knex } from 'knex'
import { normalizeCommuneCode } from '../communes/index.js'
import { Conflict, Invalid, NotFound } from '../errors.js'
import { describeCertificate, fromPem, isCa, normalizeSerial, parseCertificate, pkijs, certificatePem } from './pki.js'

export interface TrustedCaView {
  id: number
  subject: string
  serial: string
  fingerprint: string
  notBefore: string
  notAfter: string
  note: string | null
  createdAt: string
  removedAt: string | null
}

interface TrustedCaRow {
  id: string | number
  subject: string
  serial: string
  fingerprint: string
  pem: string
  not_before: Date
  not_after: Date
  note: string | null
  created_at: Date
  removed_at: Date | null
}

const caView = (r: TrustedCaRow): TrustedCaView => ({
  id: Number(r.id),
  subject: r.subject,
  serial: r.serial,
  fingerprint: r.fingerprint,
  notBefore: r.not_before.toISOString(),
  notAfter: r.not_after.toISOString(),
  note: r.note,
  createdAt: r.created_at.toISOString(),
  removedAt: r.removed_at?.toISOString() ?? null,
})

/** Adds a root CA from its PEM (or returns it when already there; a removed one is trusted again). */
export async function addTrustedCa(knex: Knex, pem: string, options: { note?: string; addedBy?: number | null } = {}): Promise<TrustedCaView> {
  const ders = fromPem(pem)
  if (ders.length !== 1) throw new Invalid(`Cần đúng một chứng thư PEM (-----BEGIN CERTIFICATE-----), nhận được ${ders.length} (exactly one PEM certificate expected).`, { field: 'pem' })
  let cert: pkijs.Certificate
  try {
    cert = parseCertificate(ders[0]!)
  } catch (error) {
    throw new Invalid(`Chứng thư không đọc được (${(error as Error).message}) (unreadable certificate).`, { field: 'pem' })
  }
  if (!isCa(cert)) throw new Invalid('Chứng thư này không phải của tổ chức chứng thực (thiếu basicConstraints cA) (not a CA certificate).', { field: 'pem' })
  const info = describeCertificate(cert)
  const [row] = await knex('trusted_cas')
    .insert({ subject: info.subject, serial: info.serial, fingerprint: info.fingerprint, pem: certificatePem(cert), not_before: info.notBefore, not_after: info.notAfter, note: options.note ?? null, added_by: options.addedBy ?? null })
    .onConflict('fingerprint')
    .merge({ removed_at: null })
    .returning('*')
  return caView(row as TrustedCaRow)
}

export async function listTrustedCas(knex: Knex): Promise<TrustedCaView[]> {
  return (await knex('trusted_cas').orderBy('id')).map(caView)
}

export async function removeTrustedCa(knex: Knex, id: number): Promise<TrustedCaView> {
  const [row] = await knex('trusted_cas').where({ id }).update({ removed_at: knex.fn.now() }).returning('*')
  if (!row) throw new NotFound(`Không có CA tin cậy mã ${id} (no trusted CA ${id}).`, { field: 'id' })
  return caView(row as TrustedCaRow)
}

/** The certificates of the CAs trusted now. */
export async function trustedCertificates(db: Knex | Knex.Transaction): Promise<pkijs.Certificate[]> {
  const rows: Array<{ pem: string }> = await db('trusted_cas').whereNull('removed_at').select('pem')
  return rows.flatMap((r) => fromPem(r.pem).map(parseCertificate))
}

export interface AuthorisationView {
  id: number
  commune: string
  subject: string
  serial: string | null
  userId: number | null
  note: string | null
  createdAt: string
  revokedAt: string | null
}

interface AuthorisationRow {
  id: string | number
  commune_code: string
  certificate_subject: string
  certificate_serial: string | null
  user_id: string | number | null
  note: string | null
  created_at: Date
  revoked_at: Date | null
}

const authorisationView = (r: AuthorisationRow): AuthorisationView => ({
  id: Number(r.id),
  commune: r.commune_code,
  subject: r.certificate_subject,
  serial: r.certificate_serial,
  userId: r.user_id === null ? null : Number(r.user_id),
  note: r.note,
  createdAt: r.created_at.toISOString(),
  revokedAt: r.revoked_at?.toISOString() ?? null,
})

export interface NewAuthorisation {
  commune: string
  /** The signer's certificate (PEM): subject and serial are taken from it. */
  certificate?: string
  subject?: string
  serial?: string | null
  userId?: number | null
  note?: string
}

export async function addAuthorisation(knex: Knex, input: NewAuthorisation, createdBy: number | null = null): Promise<AuthorisationView> {
  const commune = normalizeCommuneCode(input.commune)
  if (!(await knex('communes').where({ code: commune }).first('code'))) throw new NotFound(`Không có xã ${commune} (no commune ${commune}).`, { field: 'commune' })
  let subject = input.subject?.trim()
  let serial = input.serial ? normalizeSerial(input.serial) : null
  if (input.certificate) {
    const ders = fromPem(input.certificate)
    if (ders.length === 0) throw new Invalid('Chứng thư phải ở dạng PEM (certificate must be PEM).', { field: 'certificate' })
    const info = describeCertificate(parseCertificate(ders[0]!))
    subject = info.subject
    serial = info.serial
  }
  if (!subject) throw new Invalid('Cần chủ thể (subject) hoặc chứng thư PEM của người ký (subject or certificate required).', { field: 'subject' })
  if (input.userId != null && !(await knex('users').where({ id: input.userId }).first('id'))) throw new NotFound(`Không có người dùng ${input.userId} (no user ${input.userId}).`, { field: 'userId' })
  const existing = await knex('signer_authorisations')
    .where({ commune_code: commune, certificate_subject: subject, certificate_serial: serial, user_id: input.userId ?? null })
    .whereNull('revoked_at')
    .first()
  if (existing) throw new Conflict(`Chứng thư này đã được giao ký xã ${commune} (authorisation ${existing.id} exists).`, { field: 'subject' }, { id: Number(existing.id) })
  const [row] = await knex('signer_authorisations')
    .insert({ commune_code: commune, certificate_subject: subject, certificate_serial: serial, user_id: input.userId ?? null, note: input.note ?? null, created_by: createdBy })
    .returning('*')
  return authorisationView(row as AuthorisationRow)
}

export async function listAuthorisations(knex: Knex, filter: { commune?: string } = {}): Promise<AuthorisationView[]> {
  const q = knex('signer_authorisations').orderBy('id')
  if (filter.commune) q.where({ commune_code: normalizeCommuneCode(filter.commune) })
  return (await q).map(authorisationView)
}

export async function revokeAuthorisation(knex: Knex, id: number): Promise<AuthorisationView> {
  const [row] = await knex('signer_authorisations').where({ id }).update({ revoked_at: knex.fn.now() }).returning('*')
  if (!row) throw new NotFound(`Không có phân quyền ký mã ${id} (no authorisation ${id}).`, { field: 'id' })
  return authorisationView(row as AuthorisationRow)
}

/**
 * The authorisation letting this certificate (subject, serial) sign the commune for this user,
 * or null: subject equal, serial equal or open, user equal or open.
 */
export async function findAuthorisation(db: Knex | Knex.Transaction, commune: string, subject: string, serial: string, userId: number | null): Promise<AuthorisationView | null> {
  const row = await db('signer_authorisations')
    .where({ commune_code: commune, certificate_subject: subject })
    .whereNull('revoked_at')
    .andWhere((w) => w.whereNull('certificate_serial').orWhere('certificate_serial', serial))
    .andWhere((w) => (userId === null ? w.whereNull('user_id') : w.whereNull('user_id').orWhere('user_id', userId)))
    .orderBy('id')
    .first()
  return row ? authorisationView(row as AuthorisationRow) : null
}

/** Whether the certificate is authorised for any other commune (for a clearer refusal). */
export async function authorisedCommunes(db: Knex | Knex.Transaction, subject: string, serial: string): Promise<string[]> {
  return db('signer_authorisations')
    .where({ certificate_subject: subject })
    .whereNull('revoked_at')
    .andWhere((w) => w.whereNull('certificate_serial').orWhere('certificate_serial', serial))
    .distinct('commune_code')
    .orderBy('commune_code')
    .pluck('commune_code')
}
