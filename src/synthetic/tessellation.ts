/**
 * Cuts a map sheet (tờ bản đồ) into parcels (thửa đất) that tessellate it exactly.
 *
 * The sheet's grid vertices are jittered (boundary vertices only along the sheet edge, so the
 * parcels' union stays the sheet rectangle); some pairs of cells are merged into one parcel;
 * every interior edge gets 0–3 intermediate vertices pushed sideways. Each edge's vertices
 * are generated once, rounded to the millimetre, and read by both parcels on either side, so
 * neighbours share boundaries with bit-identical coordinates: no gaps, no overlaps.
 *
 * Size bounds: grid vertices move at most 10% of the smaller adjacent cell side, intermediate
 * vertices at most 8% of it (and 6% of the edge length), so a cell keeps 55%–160% of its
 * nominal area, stays simple (corner angles stay well inside 0°–180°), and nominal areas of
 * 100–3,000 m² (sheet-plan.ts) give 50–5,000 m² parcels. Rings have 4–12 distinct vertices:
 * an edge only gets intermediates while both its parcels are under the 12-vertex budget.
 */
import { WeightedTable, type Random } from './random.js'
import { MAX_MERGED_NOMINAL_AREA, roundMillimetre, sheetGridLines } from './sheet-plan.js'
import type { SheetPlan } from './types.js'

export const MAX_RING_VERTICES = 12
const GRID_JITTER = 0.1
const BEND_OF_SIDE = 0.08
const BEND_OF_EDGE = 0.06

const INTERMEDIATE_COUNTS = new WeightedTable<number>([[0, 45], [1, 33], [2, 15], [3, 7]])

export interface SheetParcel {
  /** Parcel number (số thửa) on the sheet, 1-based, north-west to south-east. */
  number: number
  /** Closed clockwise ring, flat [x0, y0, …, x0, y0]. */
  ring: Float64Array
}

export function tessellateSheet(sheet: SheetPlan, random: Random): SheetParcel[] {
  const widths = sheet.columnWidths
  const heights = sheet.rowHeights
  const columns = widths.length
  const rows = heights.length
  const { xs, ys } = sheetGridLines(sheet)
  const vertex = (row: number, column: number) => row * (columns + 1) + column

  // Grid vertices, jittered; rows are indexed south→north, columns west→east.
  const gridX = new Float64Array((rows + 1) * (columns + 1))
  const gridY = new Float64Array((rows + 1) * (columns + 1))
  for (let row = 0; row <= rows; row++) {
    for (let column = 0; column <= columns; column++) {
      const interiorX = column > 0 && column < columns
      const interiorY = row > 0 && row < rows
      const dx = interiorX ? random.signed() * GRID_JITTER * Math.min(widths[column - 1]!, widths[column]!) : 0
      const dy = interiorY ? random.signed() * GRID_JITTER * Math.min(heights[row - 1]!, heights[row]!) : 0
      gridX[vertex(row, column)] = roundMillimetre(xs[column]! + dx)
      gridY[vertex(row, column)] = roundMillimetre(ys[row]! + dy)
    }
  }

  const { parcelOfCell, spans, starts } = mergeCells(sheet, random)
  const cell = (row: number, column: number) => parcelOfCell[row * columns + column]!
  const budget = spans.map((span) => MAX_RING_VERTICES - 2 * (span + 1))

  // Intermediate vertices of interior edges, stored in canonical direction
  // (horizontal edges west→east, vertical edges south→north).
  const horizontal: Array<Float64Array | undefined> = new Array((rows + 1) * columns)
  const vertical: Array<Float64Array | undefined> = new Array(rows * (columns + 1))
  const bend = (from: number, to: number, side: number, a: number, b: number): Float64Array | undefined => {
    const count = Math.min(INTERMEDIATE_COUNTS.draw(random), budget[a]!, budget[b]!)
    if (count <= 0) return undefined
    budget[a]! -= count
    budget[b]! -= count
    return bentEdge(random, gridX[from]!, gridY[from]!, gridX[to]!, gridY[to]!, count, side)
  }
  for (let row = 1; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      const side = Math.min(heights[row - 1]!, heights[row]!)
      horizontal[row * columns + column] = bend(vertex(row, column), vertex(row, column + 1), side, cell(row - 1, column), cell(row, column))
    }
  }
  for (let row = 0; row < rows; row++) {
    for (let column = 1; column < columns; column++) {
      const west = cell(row, column - 1)
      const east = cell(row, column)
      if (west === east) continue // inside a merged parcel
      const side = Math.min(widths[column - 1]!, widths[column]!)
      vertical[row * (columns + 1) + column] = bend(vertex(row, column), vertex(row + 1, column), side, west, east)
    }
  }

  return spans.map((span, parcel) => {
    const { row, column: first } = starts[parcel]!
    const last = first + span - 1
    const ring: number[] = []
    const corner = (r: number, c: number) => ring.push(gridX[vertex(r, c)]!, gridY[vertex(r, c)]!)
    const along = (points: Float64Array | undefined, reverse: boolean) => {
      if (!points) return
      if (!reverse) for (let at = 0; at < points.length; at++) ring.push(points[at]!)
      else for (let at = points.length - 2; at >= 0; at -= 2) ring.push(points[at]!, points[at + 1]!)
    }
    // Clockwise with y north: up the west side, east along the north, down the east, back west.
    corner(row, first)
    along(vertical[row * (columns + 1) + first], false)
    for (let column = first; column <= last; column++) {
      corner(row + 1, column)
      along(horizontal[(row + 1) * columns + column], false)
    }
    corner(row + 1, last + 1)
    along(vertical[row * (columns + 1) + last + 1], true)
    for (let column = last; column >= first; column--) {
      corner(row, column + 1)
      along(horizontal[row * columns + column], true)
    }
    ring.push(ring[0]!, ring[1]!)
    return { number: parcel + 1, ring: Float64Array.from(ring) }
  })
}

/**
 * Merges pairs of west–east neighbouring cells until the sheet has its target parcel count
 * (or no mergeable pair is left), then numbers parcels row by row from the north-west corner,
 * the way sheets are numbered in practice.
 */
function mergeCells(sheet: SheetPlan, random: Random) {
  const columns = sheet.columnWidths.length
  const rows = sheet.rowHeights.length
  const mergedWithEast = new Uint8Array(rows * columns)
  const taken = new Uint8Array(rows * columns)
  const candidates: number[] = []
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column + 1 < columns; column++) {
      const nominal = (sheet.columnWidths[column]! + sheet.columnWidths[column + 1]!) * sheet.rowHeights[row]!
      if (nominal <= MAX_MERGED_NOMINAL_AREA) candidates.push(row * columns + column)
    }
  }
  let merges = rows * columns - sheet.targetParcels
  for (const at of random.shuffle(candidates)) {
    if (merges <= 0) break
    if (taken[at] || taken[at + 1]) continue
    taken[at] = taken[at + 1] = 1
    mergedWithEast[at] = 1
    merges--
  }
  const parcelOfCell = new Int32Array(rows * columns)
  const spans: number[] = []
  const starts: Array<{ row: number; column: number }> = []
  for (let row = rows - 1; row >= 0; row--) {
    for (let column = 0; column < columns; column++) {
      const at = row * columns + column
      const span = mergedWithEast[at] ? 2 : 1
      parcelOfCell[at] = spans.length
      if (span === 2) parcelOfCell[at + 1] = spans.length
      spans.push(span)
      starts.push({ row, column })
      column += span - 1
    }
  }
  return { parcelOfCell, spans, starts }
}

/**
 * `count` points between (x0, y0) and (x1, y1), spread along the edge and pushed sideways by at
 * most BEND_OF_SIDE × `side` and BEND_OF_EDGE × the edge length; millimetre-rounded.
 */
function bentEdge(random: Random, x0: number, y0: number, x1: number, y1: number, count: number, side: number): Float64Array {
  const dx = x1 - x0
  const dy = y1 - y0
  const length = Math.sqrt(dx * dx + dy * dy)
  const maxOffset = Math.min(BEND_OF_SIDE * side, BEND_OF_EDGE * length)
  const points = new Float64Array(2 * count)
  for (let index = 0; index < count; index++) {
    // Evenly spaced slots in 15%–85% of the edge, jittered within the slot: sorted, no repeats.
    const t = 0.15 + (0.7 * (index + 0.5 + 0.3 * random.signed())) / count
    const offset = maxOffset * random.signed()
    points[2 * index] = roundMillimetre(x0 + t * dx - (offset * dy) / length)
    points[2 * index + 1] = roundMillimetre(y0 + t * dy + (offset * dx) / length)
  }
  return points
}
