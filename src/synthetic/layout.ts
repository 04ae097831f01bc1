/**
 * Where communes and their sheets lie, in VN-2000 / TM-3 108°30′ metres (EPSG:9218).
 *
 * Communes sit on a grid of equal cells covering Gia Lai's extent (lon 107.5–108.9, lat
 * 12.9–14.6 ≈ x 390–540 km, y 1,430–1,620 km), filled row by row from the north-west; each
 * cell is the commune's boundary. Inside it the sheets are packed in shelves (rows of sheets
 * west→east, shelves north→south) with a gap between sheets, at an offset drawn per commune.
 * With more communes than the default 220 the grid runs on south of the province; cells grow
 * if a commune's sheets would not fit.
 */
import type { Random } from './random.js'
import { roundMillimetre, sheetHeight, sheetWidth } from './sheet-plan.js'
import type { Rectangle, SheetPlan } from './types.js'

export const PROVINCE_EXTENT: Rectangle = { minX: 390_000, minY: 1_430_000, maxX: 540_000, maxY: 1_620_000 }

/** Gia Lai had 220 communes before 2025; the grid is sized for that many. */
const DEFAULT_COMMUNE_COUNT = 220
const SHEET_GAP = 10
const CELL_MARGIN = 200

export interface CommuneGrid {
  columns: number
  cellWidth: number
  cellHeight: number
}

/** Grid sized for Gia Lai's commune count, enlarged to hold the largest sheet cluster. */
export function communeGrid(clusterSizes: ReadonlyArray<{ width: number; height: number }>): CommuneGrid {
  const grid = defaultGrid()
  for (const size of clusterSizes) {
    grid.cellWidth = Math.max(grid.cellWidth, Math.ceil(size.width + 2 * CELL_MARGIN))
    grid.cellHeight = Math.max(grid.cellHeight, Math.ceil(size.height + 2 * CELL_MARGIN))
  }
  return grid
}

/** Width available to a shelf of sheets in a cell of the default grid. */
export function shelfWidth(): number {
  return defaultGrid().cellWidth - 2 * CELL_MARGIN
}

/** 220 cells of near-equal shape covering the province extent (14 columns × 16 rows). */
function defaultGrid(): CommuneGrid {
  const extentWidth = PROVINCE_EXTENT.maxX - PROVINCE_EXTENT.minX
  const extentHeight = PROVINCE_EXTENT.maxY - PROVINCE_EXTENT.minY
  const columns = Math.ceil(Math.sqrt((DEFAULT_COMMUNE_COUNT * extentWidth) / extentHeight))
  const rows = Math.ceil(DEFAULT_COMMUNE_COUNT / columns)
  return { columns, cellWidth: Math.floor(extentWidth / columns), cellHeight: Math.floor(extentHeight / rows) }
}

/** The commune's cell: index 0 at the north-west corner, then east, then the next row south. */
export function communeCell(grid: CommuneGrid, index: number): Rectangle {
  const column = index % grid.columns
  const row = Math.floor(index / grid.columns)
  const minX = PROVINCE_EXTENT.minX + column * grid.cellWidth
  const maxY = PROVINCE_EXTENT.maxY - row * grid.cellHeight
  return { minX, minY: maxY - grid.cellHeight, maxX: minX + grid.cellWidth, maxY }
}

/**
 * Packs sheets into shelves, setting each sheet's origin relative to the cluster's north-west
 * corner (x east, y negative southwards); returns the cluster size.
 */
export function packSheets(sheets: SheetPlan[], maxWidth: number): { width: number; height: number } {
  let x = 0
  let shelfTop = 0
  let shelfHeight = 0
  let width = 0
  for (const sheet of sheets) {
    const w = sheetWidth(sheet)
    const h = sheetHeight(sheet)
    if (x > 0 && x + w > maxWidth) {
      shelfTop -= shelfHeight + SHEET_GAP
      x = 0
      shelfHeight = 0
    }
    sheet.originX = x
    sheet.originY = shelfTop - h
    x += w + SHEET_GAP
    shelfHeight = Math.max(shelfHeight, h)
    width = Math.max(width, x - SHEET_GAP)
  }
  return { width, height: shelfHeight - shelfTop }
}

/** Moves a packed cluster into its commune cell at a drawn offset, in whole millimetres. */
export function placeCluster(random: Random, sheets: SheetPlan[], cluster: { width: number; height: number }, cell: Rectangle): void {
  const slackX = cell.maxX - cell.minX - 2 * CELL_MARGIN - cluster.width
  const slackY = cell.maxY - cell.minY - 2 * CELL_MARGIN - cluster.height
  const left = roundMillimetre(cell.minX + CELL_MARGIN + random.next() * Math.max(0, slackX))
  const top = roundMillimetre(cell.maxY - CELL_MARGIN - random.next() * Math.max(0, slackY))
  for (const sheet of sheets) {
    sheet.originX = roundMillimetre(left + sheet.originX)
    sheet.originY = roundMillimetre(top + sheet.originY)
  }
}
