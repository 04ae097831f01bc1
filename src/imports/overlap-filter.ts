/**
 * Finding which parcels of a file may overlap, in JS, so that PostGIS computes intersection
 * areas only for real pairs. Two polygons whose interiors intersect must either have edges
 * that properly cross, or a vertex of one strictly inside the other, or an interior point of
 * one inside the other (identical or nested shapes); shared edges and shared vertices alone
 * never make an overlap. Only parcels the edge index flagged are examined, against every
 * parcel whose bounding box they touch.
 */
import type { ShapeStore } from './shapes.js'

const CELL = 30 // metres: a grid cell holds a few parcels

export class OverlapFilter {
  /** minX, minY, maxX, maxY of each item's shells. */
  private boxes = new Float64Array(4096)
  private readonly grid = new Map<number, number[]>()
  /** An interior point per compared item, computed when first needed: most are never compared. */
  private readonly interiors = new Map<number, [number, number] | null>()

  constructor(private readonly store: ShapeStore) {}

  add(item: number): void {
    if (4 * item + 4 > this.boxes.length) {
      const grown = new Float64Array(this.boxes.length * 2)
      grown.set(this.boxes)
      this.boxes = grown
    }
    shellBox(this.store, item, this.boxes, 4 * item)
    for (const key of cells(this.boxes, 4 * item)) {
      const list = this.grid.get(key)
      if (list) list.push(item)
      else this.grid.set(key, [item])
    }
  }

  /** Pairs [a, b] (a < b) among which every overlap of the candidates' is, in the order first met. */
  pairs(candidates: number[]): Array<[number, number]> {
    const items = this.store.items
    // A pair is met from a once per grid cell they share, and again from b when b is a
    // candidate too: `rank` (where a candidate is in the list) and `metFrom` let each pair
    // through once without a set of pairs.
    const rank = new Int32Array(items).fill(-1)
    const metFrom = new Int32Array(items).fill(-1)
    const result: Array<[number, number]> = []
    const boxes = this.boxes
    candidates.forEach((a, position) => {
      if (a >= items || rank[a]! >= 0) return
      rank[a] = position
      for (const key of cells(boxes, 4 * a)) {
        for (const b of this.grid.get(key) ?? []) {
          if (b === a || metFrom[b] === position) continue
          metFrom[b] = position
          if (rank[b]! >= 0 && rank[b]! < position) continue
          if (!boxesTouch(boxes, 4 * a, 4 * b)) continue
          if (this.mayOverlap(a, b)) result.push(a < b ? [a, b] : [b, a])
        }
      }
    })
    return result
  }

  private mayOverlap(a: number, b: number): boolean {
    const store = this.store
    if (edgesCross(store, a, b, this.boxes)) return true
    if (someVertexInside(store, a, b, this.boxes) || someVertexInside(store, b, a, this.boxes)) return true
    const pa = this.interior(a), pb = this.interior(b)
    return (pa !== null && inside(probe(pa[0], pa[1]), 0, store, b) > 0) || (pb !== null && inside(probe(pb[0], pb[1]), 0, store, a) > 0)
  }

  private interior(item: number): [number, number] | null {
    let point = this.interiors.get(item)
    if (point === undefined) this.interiors.set(item, (point = interiorPoint(this.store, item)))
    return point
  }
}

/** The item's rings, as [first, end) ring numbers. */
function ringsOf(store: ShapeStore, item: number): [number, number] {
  return [store.polygonStart[store.itemStart[item]!]!, store.polygonStart[store.itemStart[item + 1]!]!]
}

// The helpers below take point numbers (point k of `points` is points[2k], points[2k + 1]),
// not coordinates: a call that is not inlined would box each double argument.

/**
 * Skipping what lies outside the other item's box (by more than MARGIN, far beyond rounding)
 * keeps these tests exact: a point there is outside, an edge there crosses nothing of it.
 */
const MARGIN = 1e-6

function outsideBox(boxes: Float64Array, item: number, minX: number, minY: number, maxX: number, maxY: number): boolean {
  const at = 4 * item
  return maxX < boxes[at]! - MARGIN || minX > boxes[at + 2]! + MARGIN || maxY < boxes[at + 1]! - MARGIN || minY > boxes[at + 3]! + MARGIN
}

function edgesCross(store: ShapeStore, a: number, b: number, boxes: Float64Array): boolean {
  const xy = store.xy, ringStart = store.ringStart
  const [ra0, ra1] = ringsOf(store, a), [rb0, rb1] = ringsOf(store, b)
  for (let ra = ra0; ra < ra1; ra++) for (let i = ringStart[ra]!; i < ringStart[ra + 1]! - 1; i++) {
    const x0 = xy[2 * i]!, y0 = xy[2 * i + 1]!, x1 = xy[2 * i + 2]!, y1 = xy[2 * i + 3]!
    if (outsideBox(boxes, b, Math.min(x0, x1), Math.min(y0, y1), Math.max(x0, x1), Math.max(y0, y1))) continue
    for (let rb = rb0; rb < rb1; rb++) for (let j = ringStart[rb]!; j < ringStart[rb + 1]! - 1; j++) {
      if (properlyCross(xy, i, j)) return true
    }
  }
  return false
}

function orient(xy: Float64Array, a: number, b: number, c: number): number {
  const ax = xy[2 * a]!, ay = xy[2 * a + 1]!
  const v = (xy[2 * b]! - ax) * (xy[2 * c + 1]! - ay) - (xy[2 * b + 1]! - ay) * (xy[2 * c]! - ax)
  return v > 0 ? 1 : v < 0 ? -1 : 0
}

/** The edge from point i to i + 1 crosses the one from j to j + 1 inside both (touching at an end or running along is not). */
function properlyCross(xy: Float64Array, i: number, j: number): boolean {
  return orient(xy, i, i + 1, j) * orient(xy, i, i + 1, j + 1) < 0 && orient(xy, j, j + 1, i) * orient(xy, j, j + 1, i + 1) < 0
}

/** Some vertex of item a strictly inside item b. */
function someVertexInside(store: ShapeStore, a: number, b: number, boxes: Float64Array): boolean {
  const xy = store.xy
  const [r0, r1] = ringsOf(store, a)
  for (let k = store.ringStart[r0]!; k < store.ringStart[r1]!; k++) {
    const x = xy[2 * k]!, y = xy[2 * k + 1]!
    if (outsideBox(boxes, b, x, y, x, y)) continue
    if (inside(xy, k, store, b) > 0) return true
  }
  return false
}

/** 1 when point k is strictly inside the item (in a shell, not in a hole), 0 on a boundary, -1 outside. */
function inside(points: Float64Array, k: number, store: ShapeStore, item: number): number {
  for (let p = store.itemStart[item]!; p < store.itemStart[item + 1]!; p++) {
    const where = insidePolygon(points, k, store, p)
    if (where >= 0) return where
  }
  return -1
}

/** The same for one polygon: -1 when outside it, so that the next polygon is tried. */
function insidePolygon(points: Float64Array, k: number, store: ShapeStore, p: number): number {
  const shell = store.polygonStart[p]!, end = store.polygonStart[p + 1]!
  if (shell === end) return -1
  const inShell = inRing(points, k, store, shell)
  if (inShell <= 0) return inShell
  let inHole = false
  for (let h = shell + 1; h < end; h++) {
    const hole = inRing(points, k, store, h)
    if (hole === 0) return 0
    if (hole > 0) inHole = true
  }
  return inHole ? -1 : 1
}

function inRing(points: Float64Array, k: number, store: ShapeStore, r: number): number {
  const xy = store.xy
  const x = points[2 * k]!, y = points[2 * k + 1]!
  const start = store.ringStart[r]!, n = store.ringStart[r + 1]! - start
  let result = -1
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = xy[2 * (start + i)]!, yi = xy[2 * (start + i) + 1]!, xj = xy[2 * (start + j)]!, yj = xy[2 * (start + j) + 1]!
    if ((xj - xi) * (y - yi) - (yj - yi) * (x - xi) === 0 && Math.min(xi, xj) <= x && x <= Math.max(xi, xj) && Math.min(yi, yj) <= y && y <= Math.max(yi, yj)) return 0
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) result = -result
  }
  return result
}

const probed = new Float64Array(2)

/** A point that is not a vertex, as point 0 of a (reused) array. */
function probe(x: number, y: number): Float64Array {
  probed[0] = x
  probed[1] = y
  return probed
}

/** A point strictly inside the first polygon: the midpoint of its shell's first usable diagonal. */
function interiorPoint(store: ShapeStore, item: number): [number, number] | null {
  const p = store.itemStart[item]!
  if (p === store.itemStart[item + 1]! || store.polygonStart[p] === store.polygonStart[p + 1]) return null
  const xy = store.xy
  const shell = store.polygonStart[p]!
  const start = store.ringStart[shell]!, n = store.ringStart[shell + 1]! - start
  if (n < 4) return null
  for (let i = 0; i < n - 1; i++) {
    for (let j = i + 2; j < n - 1; j++) {
      const x = (xy[2 * (start + i)]! + xy[2 * (start + j)]!) / 2, y = (xy[2 * (start + i) + 1]! + xy[2 * (start + j) + 1]!) / 2
      if (insidePolygon(probe(x, y), 0, store, p) > 0) return [x, y]
    }
  }
  return null
}

/** The box of the item's shells, written at boxes[at .. at + 3]. */
function shellBox(store: ShapeStore, item: number, boxes: Float64Array, at: number): void {
  const xy = store.xy
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity
  for (let p = store.itemStart[item]!; p < store.itemStart[item + 1]!; p++) {
    const shell = store.polygonStart[p]!
    if (shell === store.polygonStart[p + 1]) continue
    for (let k = store.ringStart[shell]!; k < store.ringStart[shell + 1]!; k++) {
      const x = xy[2 * k]!, y = xy[2 * k + 1]!
      if (x < minX) minX = x
      if (x > maxX) maxX = x
      if (y < minY) minY = y
      if (y > maxY) maxY = y
    }
  }
  boxes[at] = minX
  boxes[at + 1] = minY
  boxes[at + 2] = maxX
  boxes[at + 3] = maxY
}

function boxesTouch(boxes: Float64Array, a: number, b: number): boolean {
  return boxes[a]! <= boxes[b + 2]! && boxes[b]! <= boxes[a + 2]! && boxes[a + 1]! <= boxes[b + 3]! && boxes[b + 1]! <= boxes[a + 3]!
}

const oneCell = [0]

/**
 * Grid cells the box at boxes[at ..] touches, as small integers: cell x and cell y modulo 2^15
 * (a file spans far fewer than 32,768 cells of 30 m), which V8 keeps unboxed and hashes fast.
 */
function cells(boxes: Float64Array, at: number): number[] {
  const x0 = Math.floor(boxes[at]! / CELL), x1 = Math.floor(boxes[at + 2]! / CELL)
  const y0 = Math.floor(boxes[at + 1]! / CELL), y1 = Math.floor(boxes[at + 3]! / CELL)
  // Most parcels lie in one cell: no list to allocate for them.
  if (x0 === x1 && y0 === y1) {
    oneCell[0] = cellKey(x0, y0)
    return oneCell
  }
  const keys: number[] = []
  for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) keys.push(cellKey(x, y))
  return keys
}

function cellKey(x: number, y: number): number {
  return ((x & 0x7fff) << 15) | (y & 0x7fff)
}
