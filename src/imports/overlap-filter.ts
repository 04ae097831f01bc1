/**
 * Finding which parcels of a file may overlap, in JS, so that PostGIS computes intersection
 * areas only for real pairs. Two polygons whose interiors intersect must either have edges
 * that properly cross, or a vertex of one strictly inside the other, or an interior point of
 * one inside the other (identical or nested shapes); shared edges and shared vertices alone
 * never make an overlap. Only parcels the edge index flagged are examined, against every
 * parcel whose bounding box they touch.
 */
import type { PolygonCoordinates } from './wkb.js'

interface Shape {
  polygons: PolygonCoordinates[]
  box: [number, number, number, number]
  /** Computed when first needed: most shapes are never compared. */
  interior?: number[] | null
}

const CELL = 30 // metres: a grid cell holds a few parcels

export class OverlapFilter {
  private readonly shapes: Shape[] = []
  private readonly grid = new Map<number, number[]>()

  add(item: number, polygons: PolygonCoordinates[]): void {
    const box = bbox(polygons)
    this.shapes[item] = { polygons, box }
    for (const key of cells(box)) {
      const list = this.grid.get(key)
      if (list) list.push(item)
      else this.grid.set(key, [item])
    }
  }

  /** Pairs [a, b] (a < b) among which every overlap of the candidates' is. */
  pairs(candidates: number[]): Array<[number, number]> {
    const seen = new Set<number>()
    const result: Array<[number, number]> = []
    for (const a of candidates) {
      const shape = this.shapes[a]
      if (!shape) continue
      for (const key of cells(shape.box)) {
        for (const b of this.grid.get(key) ?? []) {
          if (b === a) continue
          // Items are numbered per file (< 2^26), so a pair fits one double exactly.
          const id = a < b ? a * 67_108_864 + b : b * 67_108_864 + a
          if (seen.has(id)) continue
          seen.add(id)
          const other = this.shapes[b]!
          if (!boxesTouch(shape.box, other.box)) continue
          if (mayOverlap(shape, other)) result.push(a < b ? [a, b] : [b, a])
        }
      }
    }
    return result
  }
}

function mayOverlap(a: Shape, b: Shape): boolean {
  if (edgesCross(a.polygons, b.polygons)) return true
  if (someVertexInside(a.polygons, b.polygons) || someVertexInside(b.polygons, a.polygons)) return true
  if (a.interior === undefined) a.interior = interiorPoint(a.polygons)
  if (b.interior === undefined) b.interior = interiorPoint(b.polygons)
  return (a.interior !== null && inside(a.interior, b.polygons) > 0) || (b.interior !== null && inside(b.interior, a.polygons) > 0)
}

function edgesCross(a: PolygonCoordinates[], b: PolygonCoordinates[]): boolean {
  for (const pa of a) for (const ra of pa) for (let i = 0; i < ra.length - 1; i++) {
    for (const pb of b) for (const rb of pb) for (let j = 0; j < rb.length - 1; j++) {
      if (properlyCross(ra[i]!, ra[i + 1]!, rb[j]!, rb[j + 1]!)) return true
    }
  }
  return false
}

function orient(a: number[], b: number[], c: number[]): number {
  const v = (b[0]! - a[0]!) * (c[1]! - a[1]!) - (b[1]! - a[1]!) * (c[0]! - a[0]!)
  return v > 0 ? 1 : v < 0 ? -1 : 0
}

/** Crossing at a point inside both segments (touching at an end or running along is not). */
function properlyCross(a: number[], b: number[], c: number[], d: number[]): boolean {
  const o1 = orient(a, b, c), o2 = orient(a, b, d), o3 = orient(c, d, a), o4 = orient(c, d, b)
  return o1 * o2 < 0 && o3 * o4 < 0
}

function someVertexInside(a: PolygonCoordinates[], b: PolygonCoordinates[]): boolean {
  for (const polygon of a) for (const ring of polygon) for (const p of ring) if (inside(p, b) > 0) return true
  return false
}

/** 1 strictly inside (in a shell, not in a hole), 0 on a boundary, -1 outside. */
function inside(p: number[], polygons: PolygonCoordinates[]): number {
  for (const polygon of polygons) {
    const shell = inRing(p, polygon[0]!)
    if (shell === 0) return 0
    if (shell < 0) continue
    let inHole = false
    for (let h = 1; h < polygon.length; h++) {
      const hole = inRing(p, polygon[h]!)
      if (hole === 0) return 0
      if (hole > 0) inHole = true
    }
    if (!inHole) return 1
  }
  return -1
}

function inRing(p: number[], ring: number[][]): number {
  let result = -1
  const x = p[0]!, y = p[1]!
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const xi = ring[i]![0]!, yi = ring[i]![1]!, xj = ring[j]![0]!, yj = ring[j]![1]!
    if ((xj - xi) * (y - yi) - (yj - yi) * (x - xi) === 0 && Math.min(xi, xj) <= x && x <= Math.max(xi, xj) && Math.min(yi, yj) <= y && y <= Math.max(yi, yj)) return 0
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) result = -result
  }
  return result
}

/** A point strictly inside the first polygon: the midpoint of its shell's first usable diagonal. */
function interiorPoint(polygons: PolygonCoordinates[]): number[] | null {
  const polygon = polygons[0]
  const ring = polygon?.[0]
  if (!ring || ring.length < 4) return null
  for (let i = 0; i < ring.length - 1; i++) {
    for (let j = i + 2; j < ring.length - 1; j++) {
      const p = [(ring[i]![0]! + ring[j]![0]!) / 2, (ring[i]![1]! + ring[j]![1]!) / 2]
      if (inside(p, [polygon!]) > 0) return p
    }
  }
  return null
}

function bbox(polygons: PolygonCoordinates[]): [number, number, number, number] {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity
  for (const polygon of polygons) for (const p of polygon[0] ?? []) {
    if (p[0]! < minX) minX = p[0]!
    if (p[0]! > maxX) maxX = p[0]!
    if (p[1]! < minY) minY = p[1]!
    if (p[1]! > maxY) maxY = p[1]!
  }
  return [minX, minY, maxX, maxY]
}

function boxesTouch(a: number[], b: number[]): boolean {
  return a[0]! <= b[2]! && b[0]! <= a[2]! && a[1]! <= b[3]! && b[1]! <= a[3]!
}

/** Grid cells a box touches, as numbers (cell x · 2^20 + cell y: metres / 100 fit easily). */
function cells(box: [number, number, number, number]): number[] {
  const keys: number[] = []
  for (let x = Math.floor(box[0] / CELL); x <= Math.floor(box[2] / CELL); x++) {
    for (let y = Math.floor(box[1] / CELL); y <= Math.floor(box[3] / CELL); y++) keys.push(x * 1_048_576 + y)
  }
  return keys
}
