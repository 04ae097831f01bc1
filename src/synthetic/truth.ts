/**
 * Ground truth of one commune (truth/<code>.json): what was planted, where, and which map
 * parcels have records, so a reconciliation run can be scored without guessing.
 *
 * Rule for "nothing else is flagged": a checker that matches map parcels and records on
 * (sheet, parcel) should find records exactly for the parcels in `parcelsWithRecords`, and
 * every finding it reports should concern a key listed in some planted item's `keys`. Map
 * parcels without a record are normal (uncertified land) and not findings.
 */
import type { DbfSchema } from './dbf-schemas.js'
import { RECORDS_HEADERS } from './records-csv.js'
import {
  DISCREPANCY_KINDS,
  type AttributeRecord,
  type CommunePlan,
  type DiscrepancyKind,
  type MapParcel,
  type PlantedDiscrepancy,
  type SyntheticEncoding,
} from './types.js'

export const TRUTH_RULE =
  'Records match map parcels on (sheet, parcel). parcelsWithRecords lists, per sheet, the map parcel numbers that have ' +
  'at least one record. Every finding a correct checker reports concerns a key in some planted item\'s keys; map ' +
  'parcels without records are normal. Areas: unplanted legal areas are within 0.5% and 2 m² of the polygon area.'

export interface CommuneTruth {
  commune: string
  name: string
  parcels: number
  records: number
  dbf: { schema: DbfSchema['name']; encoding: SyntheticEncoding; fields: DbfSchema['roles'] }
  recordsCsv: { header: string; columns: readonly string[] }
  rule: string
  counts: Record<DiscrepancyKind, number>
  planted: PlantedDiscrepancy[]
  parcelsWithRecords: Record<string, number[]>
}

export function communeTruth(
  plan: CommunePlan,
  schema: DbfSchema,
  encoding: SyntheticEncoding,
  parcels: readonly MapParcel[],
  records: readonly AttributeRecord[],
  planted: PlantedDiscrepancy[],
): CommuneTruth {
  const recordKeys = new Set(records.map((record) => `${record.sheet}/${record.parcel}`))
  const withRecords: Record<string, number[]> = {}
  for (const parcel of parcels) {
    if (!recordKeys.has(`${parcel.sheet}/${parcel.number}`)) continue
    const numbers = (withRecords[String(parcel.sheet)] ??= [])
    if (!numbers.includes(parcel.number)) numbers.push(parcel.number)
  }
  for (const numbers of Object.values(withRecords)) numbers.sort((a, b) => a - b)
  return {
    commune: plan.code,
    name: plan.name,
    parcels: parcels.length,
    records: records.length,
    dbf: { schema: schema.name, encoding, fields: schema.roles },
    recordsCsv: { header: plan.recordsHeader, columns: RECORDS_HEADERS[plan.recordsHeader] },
    rule: TRUTH_RULE,
    counts: countByKind(planted),
    planted,
    parcelsWithRecords: withRecords,
  }
}

export function countByKind(planted: readonly PlantedDiscrepancy[]): Record<DiscrepancyKind, number> {
  const counts = Object.fromEntries(DISCREPANCY_KINDS.map((kind) => [kind, 0])) as Record<DiscrepancyKind, number>
  for (const item of planted) counts[item.kind]++
  return counts
}

/** Indented JSON, but arrays of numbers on one line: keeps per-sheet parcel lists readable and small. */
export function truthJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/\[\s*(-?[\d.]+(?:,\s*-?[\d.]+)*)\s*\]/g, (_, items: string) => `[${items.replace(/\s+/g, '')}]`) + '\n'
}
