/**
 * A commune's progress figures (số liệu tiến độ) from its counters: what the dashboard table,
 * the downloads and the choropleth show. Stages are cumulative: a signed parcel has been
 * reconciled, a synced one signed, so "reconciled" counts reconciled, signed and synced parcels.
 */
import type { CounterRow } from './counters.js'

export const PARCEL_STATUSES = ['imported', 'matched', 'needs_review', 'reconciled', 'signed', 'synced'] as const
export const MATCH_CATEGORIES = ['matched', 'area_mismatch', 'landuse_mismatch', 'spatial_only', 'record_only', 'duplicate_key'] as const

export interface ProgressFigures {
  /** Spatial parcels imported (every status). */
  parcels: number
  /** Attribute records imported. */
  records: number
  /** Match rows per category: parcel–record pairs, or one side alone. */
  matched: number
  areaMismatch: number
  landuseMismatch: number
  spatialOnly: number
  recordOnly: number
  duplicateKey: number
  /** Parcels per status, and the cumulative stages. */
  statuses: Record<(typeof PARCEL_STATUSES)[number], number>
  needsReview: number
  reconciled: number
  signed: number
  synced: number
  /** Shares of the parcels, in percent with one decimal; null without parcels. */
  percent: { matched: number | null; reconciled: number | null; signed: number | null; synced: number | null }
  lastActivity: string | null
}

export interface CommuneProgress extends ProgressFigures {
  code: string
  name: string
  provinceCode: string
}

/** What is counted, before the derived figures. */
interface Counts {
  records: number
  statuses: Record<string, number>
  categories: Record<string, number>
}

const emptyCounts = (): Counts => ({ records: 0, statuses: {}, categories: {} })

/** The counters of each commune, by code. */
export function countsByCommune(rows: CounterRow[]): Map<string, Counts & { changedAt: Date | null }> {
  const byCommune = new Map<string, Counts & { changedAt: Date | null }>()
  for (const row of rows) {
    const counts = byCommune.get(row.commune_code) ?? { ...emptyCounts(), changedAt: null }
    const n = Number(row.n)
    if (row.metric === 'records') counts.records += n
    else if (row.metric.startsWith('status:')) counts.statuses[row.metric.slice(7)] = (counts.statuses[row.metric.slice(7)] ?? 0) + n
    else if (row.metric.startsWith('category:')) counts.categories[row.metric.slice(9)] = (counts.categories[row.metric.slice(9)] ?? 0) + n
    if (row.changed_at && (!counts.changedAt || row.changed_at > counts.changedAt)) counts.changedAt = row.changed_at
    byCommune.set(row.commune_code, counts)
  }
  return byCommune
}

const percent = (part: number, whole: number) => (whole > 0 ? Math.round((1000 * part) / whole) / 10 : null)

export function figuresOf(counts: Counts | undefined, lastActivity: Date | null): ProgressFigures {
  const c = counts ?? emptyCounts()
  const status = (s: string) => c.statuses[s] ?? 0
  const category = (k: string) => c.categories[k] ?? 0
  const statuses = Object.fromEntries(PARCEL_STATUSES.map((s) => [s, status(s)])) as ProgressFigures['statuses']
  const parcels = PARCEL_STATUSES.reduce((sum, s) => sum + status(s), 0)
  const synced = status('synced')
  const signed = status('signed') + synced
  const reconciled = status('reconciled') + signed
  return {
    parcels,
    records: c.records,
    matched: category('matched'),
    areaMismatch: category('area_mismatch'),
    landuseMismatch: category('landuse_mismatch'),
    spatialOnly: category('spatial_only'),
    recordOnly: category('record_only'),
    duplicateKey: category('duplicate_key'),
    statuses,
    needsReview: status('needs_review'),
    reconciled,
    signed,
    synced,
    percent: {
      matched: percent(category('matched'), parcels),
      reconciled: percent(reconciled, parcels),
      signed: percent(signed, parcels),
      synced: percent(synced, parcels),
    },
    lastActivity: lastActivity ? lastActivity.toISOString() : null,
  }
}

/** The province (or the user's communes) as a whole: counts summed, shares recomputed. */
export function totalsOf(communes: CommuneProgress[]): ProgressFigures & { communes: number } {
  const sum: Counts = emptyCounts()
  let last: string | null = null
  for (const c of communes) {
    sum.records += c.records
    for (const s of PARCEL_STATUSES) sum.statuses[s] = (sum.statuses[s] ?? 0) + c.statuses[s]
    const byCategory: Record<(typeof MATCH_CATEGORIES)[number], number> = {
      matched: c.matched, area_mismatch: c.areaMismatch, landuse_mismatch: c.landuseMismatch,
      spatial_only: c.spatialOnly, record_only: c.recordOnly, duplicate_key: c.duplicateKey,
    }
    for (const k of MATCH_CATEGORIES) sum.categories[k] = (sum.categories[k] ?? 0) + byCategory[k]
    if (c.lastActivity && (!last || c.lastActivity > last)) last = c.lastActivity
  }
  return { communes: communes.length, ...figuresOf(sum, last ? new Date(last) : null) }
}
