/**
 * Reading the audit trail (nhật ký đối soát) of a commune: its events newest first, optionally
 * for one parcel (with its records' events), and the verification of its hash chain.
 */
import type { Knex } from 'knex'
import { verifyChain, type ChainReport } from './chain.js'
import { existingCommune } from './commune.js'
import { eventView } from './decisions.js'

export interface AuditFilter {
  parcel?: number
  page: number
  limit: number
}

export async function listAudit(knex: Knex, code: string, filter: AuditFilter) {
  const commune = await existingCommune(knex, code)
  const events = knex('reconciliation_events as e').where('e.commune_code', commune)
  if (filter.parcel !== undefined) {
    // The parcel's own events, and those of the records linked to it now.
    const records = knex('matches').where({ commune_code: commune, parcel_id: filter.parcel }).whereNotNull('record_id').select('record_id')
    events.andWhere((w) => w.where('e.parcel_id', filter.parcel!).orWhereIn('e.record_id', records))
  }
  const [counted] = await events.clone().count<Array<{ n: number }>>({ n: '*' })
  const rows = await events
    .leftJoin('users as u', 'u.id', 'e.actor_id')
    .orderBy('e.seq', 'desc')
    .offset((filter.page - 1) * filter.limit)
    .limit(filter.limit)
    .select('e.*', 'u.username', 'u.display_name')
  return {
    commune,
    total: Number(counted?.n ?? 0),
    page: filter.page,
    limit: filter.limit,
    events: rows.map((r) => ({ ...eventView(r), actor: r.actor_id === null ? null : { id: Number(r.actor_id), username: r.username, displayName: r.display_name } })),
  }
}

export async function verifyAudit(knex: Knex, code: string): Promise<ChainReport> {
  return verifyChain(knex, await existingCommune(knex, code))
}
