/**
 * Candidate parcels for records that found no parcel (record_only): usually a parcel number
 * typed wrong on one side. Candidates are the sheet's parcels that have no record, scored on
 * area (within the tolerance scores high), parcel number likeness (123 vs 1232, 45 vs 54),
 * owner name likeness (accent- and case-insensitive), and, when the record carries a point,
 * whether the parcel contains it. The top few per record are kept in `match_candidates`.
 */
import type { Knex } from 'knex'

const KEEP = 5

interface CandidateParcel {
  id: number
  sheet: string
  parcel: string
  area: number
  owner: string | null
}

interface LonelyRecord {
  id: number
  sheet: string
  parcel: string
  area: number | null
  owner: string | null
  /** Parcel ids whose polygon holds the record's point (only when the record carries one). */
  holding?: Set<number>
}

/** Rebuilds the commune's candidates; returns how many records got at least one. */
export async function suggestCandidates(trx: Knex.Transaction, communeCode: string): Promise<number> {
  await trx('match_candidates').where({ commune_code: communeCode }).delete()
  const { rows: records } = await trx.raw<{ rows: Array<LonelyRecord & { located: boolean }> }>(
    `SELECT r.id, r.sheet_number AS sheet, r.parcel_number AS parcel, r.legal_area_m2 AS area, r.owner_name AS owner, r.location IS NOT NULL AS located
     FROM matches m JOIN attribute_records r ON r.commune_code = m.commune_code AND r.id = m.record_id
     WHERE m.commune_code = ? AND m.category = 'record_only'`,
    [communeCode],
  )
  if (records.length === 0) return 0
  const sheets = [...new Set(records.map((r) => r.sheet))]
  const { rows: parcels } = await trx.raw<{ rows: CandidateParcel[] }>(
    `SELECT p.id, p.sheet_number AS sheet, p.parcel_number AS parcel, p.area_m2 AS area, p.owner_name AS owner
     FROM matches m JOIN parcels p ON p.commune_code = m.commune_code AND p.id = m.parcel_id
     WHERE m.commune_code = ? AND m.category = 'spatial_only' AND p.sheet_number = ANY(?::text[])`,
    [communeCode, sheets],
  )
  const bySheet = new Map<string, CandidateParcel[]>()
  for (const p of parcels) bySheet.set(p.sheet, [...(bySheet.get(p.sheet) ?? []), p])
  const holding = records.some((r) => r.located) ? await parcelsHoldingPoints(trx, communeCode) : new Map<number, CandidateParcel[]>()

  const rows: Array<Record<string, unknown>> = []
  let suggested = 0
  for (const record of records) {
    const held = holding.get(record.id) ?? []
    if (record.located) record.holding = new Set(held.map((p) => p.id))
    // The sheet's parcels, and a parcel on another sheet when the record's point lies in it.
    const pool = [...(bySheet.get(record.sheet) ?? []), ...held.filter((p) => p.sheet !== record.sheet)]
    const scored = pool
      .map((parcel) => ({ parcel, ...score(record, parcel) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, KEEP)
    if (scored.length > 0) suggested++
    scored.forEach((c, i) =>
      rows.push({ commune_code: communeCode, record_id: record.id, parcel_id: c.parcel.id, score: c.score, rank: i + 1, reasons: JSON.stringify(c.reasons) }),
    )
  }
  for (let i = 0; i < rows.length; i += 1000) await trx('match_candidates').insert(rows.slice(i, i + 1000))
  return suggested
}

/**
 * For each record_only record with a point, the spatial_only parcels whose polygon covers it
 * (the GiST index finds them; parcels stored in another CRS than the point are not compared).
 */
async function parcelsHoldingPoints(trx: Knex.Transaction, communeCode: string): Promise<Map<number, CandidateParcel[]>> {
  const { rows } = await trx.raw<{ rows: Array<CandidateParcel & { record_id: number }> }>(
    `SELECT r.id AS record_id, p.id, p.sheet_number AS sheet, p.parcel_number AS parcel, p.area_m2 AS area, p.owner_name AS owner
     FROM matches m
     JOIN attribute_records r ON r.commune_code = m.commune_code AND r.id = m.record_id
     JOIN parcels p ON p.commune_code = r.commune_code AND p.srid = ST_SRID(r.location) AND ST_Covers(p.geom, r.location)
     JOIN matches pm ON pm.commune_code = p.commune_code AND pm.parcel_id = p.id AND pm.category = 'spatial_only'
     WHERE m.commune_code = ? AND m.category = 'record_only' AND r.location IS NOT NULL`,
    [communeCode],
  )
  const byRecord = new Map<number, CandidateParcel[]>()
  for (const { record_id, ...parcel } of rows) byRecord.set(record_id, [...(byRecord.get(record_id) ?? []), parcel])
  return byRecord
}

export function score(record: LonelyRecord, parcel: CandidateParcel): { score: number; reasons: Record<string, number> } {
  const reasons: Record<string, number> = {}
  // A point the parcel covers outweighs the rest together: it is where the record says it is.
  const weights: Record<string, number> = { area: 0.45, number: 0.35, owner: 0.2, point: 1.5 }
  if (record.holding) reasons.point = record.holding.has(parcel.id) ? 1 : 0
  if (record.area !== null && record.area > 0) {
    const relative = Math.abs(parcel.area - record.area) / record.area
    reasons.area = Math.max(0, 1 - relative * 10) // 0% off → 1, 10% off → 0
  }
  reasons.number = numberLikeness(record.parcel, parcel.parcel)
  if (record.owner && parcel.owner) reasons.owner = nameLikeness(record.owner, parcel.owner)
  let total = 0
  let weight = 0
  for (const [key, value] of Object.entries(reasons)) {
    total += value * weights[key]!
    weight += weights[key]!
  }
  return { score: weight > 0 ? Number((total / weight).toFixed(4)) : 0, reasons }
}

/** 1 for equal numbers; high when one is the other with a digit added, dropped or swapped. */
export function numberLikeness(a: string, b: string): number {
  if (a === b) return 1
  const distance = editDistance(a, b)
  return Math.max(0, 1 - distance / Math.max(a.length, b.length, 1))
}

/** Damerau-Levenshtein (optimal string alignment): typing slips are one edit each. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)])
  for (let j = 1; j <= b.length; j++) d[0]![j] = j
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1)
    }
  }
  return d[a.length]![b.length]!
}

/** Shared words of two names, accents and case folded (Nguyễn = nguyen = NGUYEN). */
export function nameLikeness(a: string, b: string): number {
  const words = (s: string) => new Set(fold(s).split(/\s+/).filter(Boolean))
  const wa = words(a), wb = words(b)
  const shared = [...wa].filter((w) => wb.has(w)).length
  return shared / Math.max(wa.size, wb.size, 1)
}

export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase()
}
