/**
 * How a commune's parcels are divided into map sheets (tờ bản đồ) and how big each sheet's
 * grid cells are. Settlement sheets (1:500, 1:1000) hold small residential lots, farmland
 * sheets (1:2000, 1:5000) larger fields; the cell-size ranges keep every parcel within
 * 50–5,000 m² after jitter and merging (see tessellation.ts for the bounds).
 */
import { WeightedTable, type Random } from './random.js'
import type { ScaleDenominator, SheetPlan } from './types.js'

interface ScaleProfile {
  /** Range of parcels per sheet. */
  parcels: [number, number]
  /** Range of a grid column width or row height, metres. */
  cellSide: [number, number]
}

const SCALE_PROFILES: Record<ScaleDenominator, ScaleProfile> = {
  500: { parcels: [250, 500], cellSide: [10, 22] },
  1000: { parcels: [350, 900], cellSide: [10, 34] },
  2000: { parcels: [350, 1000], cellSide: [12, 48] },
  5000: { parcels: [200, 700], cellSide: [20, 54] },
}

const SCALES = new WeightedTable<ScaleDenominator>([[500, 10], [1000, 35], [2000, 35], [5000, 20]])

/** Share of grid cells merged in pairs, so parcels are not all four-sided grid cells. */
export const MERGE_SHARE = 0.12

/** Largest nominal area (width × height) of a merged pair; with jitter it stays under 5,000 m². */
export const MAX_MERGED_NOMINAL_AREA = 3000

/** A remainder smaller than this joins the previous sheet instead of making a tiny sheet. */
const MIN_SHEET_PARCELS = 40

export function settingOf(scale: ScaleDenominator): 'settlement' | 'farmland' {
  return scale <= 1000 ? 'settlement' : 'farmland'
}

/** Sheets 1..N whose parcel targets add up to `parcels`. */
export function planSheets(random: Random, parcels: number): SheetPlan[] {
  const sheets: SheetPlan[] = []
  let remaining = parcels
  while (remaining > 0) {
    const scale = SCALES.draw(random)
    const profile = SCALE_PROFILES[scale]
    let target = Math.min(remaining, random.int(profile.parcels[0], profile.parcels[1]))
    if (remaining - target < MIN_SHEET_PARCELS) target = remaining
    remaining -= target
    sheets.push(planSheet(random, sheets.length + 1, scale, target))
  }
  return sheets
}

function planSheet(random: Random, number: number, scale: ScaleDenominator, targetParcels: number): SheetPlan {
  const [low, high] = SCALE_PROFILES[scale].cellSide
  const cells = Math.max(2, Math.ceil(targetParcels / (1 - MERGE_SHARE)))
  const columns = Math.max(1, Math.round(Math.sqrt(cells)))
  const rows = Math.ceil(cells / columns)
  // u·√u skews sides towards the small end: most lots are small, a few are large.
  const side = () => {
    const u = random.next()
    return roundMillimetre(low + (high - low) * u * u)
  }
  const columnWidths = Array.from({ length: columns }, side)
  const rowHeights = Array.from({ length: rows }, side)
  return { number, scale, targetParcels, columnWidths, rowHeights, originX: 0, originY: 0 }
}

export function sheetWidth(sheet: SheetPlan): number {
  return sheet.columnWidths.reduce((sum, width) => sum + width, 0)
}

export function sheetHeight(sheet: SheetPlan): number {
  return sheet.rowHeights.reduce((sum, height) => sum + height, 0)
}

/**
 * Absolute grid lines of a sheet, rounded to the millimetre. Computed in one place so that
 * the tessellation and the sheet rectangle in sheets.csv agree bit for bit.
 */
export function sheetGridLines(sheet: SheetPlan): { xs: number[]; ys: number[] } {
  const xs = [roundMillimetre(sheet.originX)]
  let x = sheet.originX
  for (const width of sheet.columnWidths) xs.push(roundMillimetre((x += width)))
  const ys = [roundMillimetre(sheet.originY)]
  let y = sheet.originY
  for (const height of sheet.rowHeights) ys.push(roundMillimetre((y += height)))
  return { xs, ys }
}

export function roundMillimetre(value: number): number {
  return Math.round(value * 1000) / 1000
}
