/**
 * Land-use codes (mã loại đất, TT 25/2014 map set) drawn with weights resembling Gia Lai:
 * perennial crops (coffee, pepper, rubber: CLN) dominate, then annual crops, rice and
 * production forest; residential land (ONT, often compound ONT+CLN) clusters on the
 * large-scale sheets drawn for villages.
 */
import { WeightedTable, type Random } from './random.js'

/** Sheets at 1:500 and 1:1000 are drawn for settlements; 1:2000 and 1:5000 for farmland. */
export type SheetSetting = 'settlement' | 'farmland'

const SETTLEMENT_CODES = new WeightedTable<string>([
  ['ONT', 30], ['ONT+CLN', 16], ['ONT+CLN+NTS', 1.5], ['ONT+BHK', 2], ['ODT', 2], ['CLN', 16],
  ['BHK', 7], ['NHK', 2], ['DGT', 7], ['DTL', 1], ['TSC', 1.5], ['DGD', 1.5], ['DYT', 0.5],
  ['DVH', 0.6], ['DTT', 0.6], ['DSH', 0.8], ['TMD', 1.5], ['SKC', 0.8], ['TIN', 0.3], ['TON', 0.3],
  ['NTD', 0.8], ['NTS', 1.2], ['BCS', 1], ['DCH', 0.3], ['CAN', 0.2], ['CQP', 0.2],
])

const FARMLAND_CODES = new WeightedTable<string>([
  ['CLN', 34], ['BHK', 14], ['NHK', 6], ['LUC', 3], ['LUK', 6], ['LUN', 2], ['RSX', 10], ['RPH', 1],
  ['NTS', 2], ['ONT', 4], ['ONT+CLN', 4], ['DGT', 4], ['DTL', 2], ['NTD', 1], ['BCS', 2.5],
  ['DCS', 0.5], ['SKC', 0.4], ['SKS', 0.2], ['DNL', 0.3], ['MNC', 0.8], ['SON', 0.8], ['NKH', 0.5],
])

/**
 * Land kept by the State or the commune (roads, canals, schools, offices, cemeteries,
 * water bodies, unused land): registered to the commune People's Committee and rarely given a
 * certificate.
 */
const PUBLIC_CODES = new Set([
  'DGT', 'DTL', 'TSC', 'DGD', 'DYT', 'DVH', 'DTT', 'DSH', 'NTD', 'BCS', 'DCS', 'MNC', 'SON', 'DCH',
  'CAN', 'CQP', 'DNL', 'RPH',
])

/** Every code the tables can draw, for drawing a deliberately different one. */
const ALL_CODES = [
  'ONT', 'ODT', 'CLN', 'BHK', 'NHK', 'LUC', 'LUK', 'LUN', 'RSX', 'NTS', 'TMD', 'SKC', 'TIN', 'TON', 'NKH',
]

export function drawLandUse(random: Random, setting: SheetSetting): string {
  return (setting === 'settlement' ? SETTLEMENT_CODES : FARMLAND_CODES).draw(random)
}

export function isPublicLand(code: string): boolean {
  return code.split('+').every((part) => PUBLIC_CODES.has(part))
}

/**
 * A code sharing no component with `code`, so that even a comparison that splits compound
 * codes on "+" sees a disagreement.
 */
export function differentLandUse(random: Random, code: string): string {
  const parts = new Set(code.split('+'))
  const candidates = ALL_CODES.filter((candidate) => !parts.has(candidate))
  return random.pick(candidates)
}
