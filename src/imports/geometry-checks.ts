/**
 * Geometry checks run on every parcel while it streams in, in plain JS so that a province
 * loads without a second pass over the database. They find what makes a polygon invalid in
 * PostGIS's sense (open or short rings, self-intersections such as bow-ties, spikes, holes
 * outside their shell); the few invalid parcels are then repaired by ST_MakeValid in SQL.
 */
import type { ShapeStore } from './shapes.js'
import type { Ring } from './wkb.js'

export type GeometryProblemCode = 'empty' | 'invalid_coordinates' | 'too_few_points' | 'ring_not_closed' | 'zero_area' | 'self_intersection' | 'spike' | 'hole_outside_shell'

export interface GeometryProblem {
  code: GeometryProblemCode
  /** Where: "polygon 1, ring 1" style, for the report. */
  where: string
  point?: [number, number]
}

/** Problems that make the geometry unusable (rejected) rather than repairable. */
export const FATAL_PROBLEMS: ReadonlySet<GeometryProblemCode> = new Set(['empty', 'invalid_coordinates', 'too_few_points', 'zero_area'])

/** The problems of one parcel of the store, polygon by polygon and ring by ring. */
export function checkPolygons(store: ShapeStore, item: number): GeometryProblem[] {
  const problems: GeometryProblem[] = []
  const firstPolygon = store.itemStart[item]!, endPolygon = store.itemStart[item + 1]!
  if (firstPolygon === endPolygon) return [{ code: 'empty', where: 'geometry' }]
  for (let p = firstPolygon; p < endPolygon; p++) {
    const shell = store.polygonStart[p]!
    for (let r = shell; r < store.polygonStart[p + 1]!; r++) {
      const problem = checkRing(store, r, shell)
      if (problem === null) continue
      const where = `polygon ${p - firstPolygon + 1}, ring ${r - shell + 1}`
      for (const { code, point } of problem) problems.push(point ? { code, where, point } : { code, where })
    }
  }
  return problems
}

type RingProblem = Omit<GeometryProblem, 'where'>

/** Ring r's problems, or null when it has none. */
function checkRing(store: ShapeStore, r: number, shell: number): RingProblem[] | null {
  const xy = store.xy
  const start = store.ringStart[r]!, end = store.ringStart[r + 1]!
  for (let k = 2 * start; k < 2 * end; k++) if (!Number.isFinite(xy[k])) return [{ code: 'invalid_coordinates' }]
  if (end - start < 4) return [{ code: 'too_few_points' }]
  const problems: RingProblem[] = []
  if (xy[2 * start] !== xy[2 * end - 2] || xy[2 * start + 1] !== xy[2 * end - 1]) problems.push({ code: 'ring_not_closed' })
  const crossing = findSelfIntersection(xy, start, end)
  // A bow-tie whose two lobes cancel (a rectangle with two corners swapped) has signed
  // area 0 yet encloses land: it is repairable. Only a ring on one line encloses nothing.
  if (Math.abs(store.ringArea(r)) < 1e-9 && (!crossing || onOneLine(xy, start, end))) {
    problems.push({ code: 'zero_area' })
    return problems
  }
  const spike = findSpike(xy, start, end)
  if (spike) problems.push({ code: 'spike', point: spike })
  if (crossing) problems.push({ code: 'self_intersection', point: crossing })
  if (r > shell && !ringInside(xy, start, end, store.ringStart[shell]!, store.ringStart[shell + 1]!)) problems.push({ code: 'hole_outside_shell' })
  return problems.length > 0 ? problems : null
}

export function signedArea(ring: Ring): number {
  let sum = 0
  for (let i = 0; i < ring.length - 1; i++) sum += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!
  return sum / 2
}

/** Every vertex on the line from the first vertex to the one farthest from it (within 1e-9 of its length). */
function onOneLine(xy: Float64Array, start: number, end: number): boolean {
  const ox = xy[2 * start]!, oy = xy[2 * start + 1]!
  let fx = ox, fy = oy
  let length = 0
  for (let k = start; k < end; k++) {
    const d = Math.hypot(xy[2 * k]! - ox, xy[2 * k + 1]! - oy)
    if (d > length) {
      fx = xy[2 * k]!
      fy = xy[2 * k + 1]!
      length = d
    }
  }
  if (length === 0) return true
  const dx = fx - ox, dy = fy - oy
  for (let k = start; k < end; k++) if (!(Math.abs(dx * (xy[2 * k + 1]! - oy) - dy * (xy[2 * k]! - ox)) / length <= 1e-9 * length)) return false
  return true
}

/** A vertex where the boundary goes out and straight back (the two edges fold onto each other). */
function findSpike(xy: Float64Array, start: number, end: number): [number, number] | null {
  const n = end - start - 1 // closing point repeats the first
  for (let i = 0; i < n; i++) {
    const a = start + ((i - 1 + n) % n), b = start + i, c = start + ((i + 1) % n)
    const abx = xy[2 * b]! - xy[2 * a]!, aby = xy[2 * b + 1]! - xy[2 * a + 1]!
    const bcx = xy[2 * c]! - xy[2 * b]!, bcy = xy[2 * c + 1]! - xy[2 * b + 1]!
    const dot = abx * bcx + aby * bcy
    if (!(dot < 0)) continue
    const cross = abx * bcy - aby * bcx
    // hypot(u) <= |ux| + |uy|: a fold needs |cross| <= 1e-12 · scale, so a cross product well
    // above that bound rules the vertex out without the two (slow) hypot calls.
    if (Math.abs(cross) > 2e-12 * (Math.abs(abx) + Math.abs(aby)) * (Math.abs(bcx) + Math.abs(bcy))) continue
    const scale = Math.hypot(abx, aby) * Math.hypot(bcx, bcy)
    if (scale > 0 && Math.abs(cross) <= 1e-12 * scale) return [xy[2 * b]!, xy[2 * b + 1]!]
  }
  return null
}

/**
 * The first point where two non-adjacent edges of the ring touch or cross (a bow-tie, a
 * figure-eight, a ring touching itself). Rings are sorted by x-extent so that long rings
 * (curved boundaries with hundreds of vertices) stay near-linear.
 */
function findSelfIntersection(xy: Float64Array, start: number, end: number): [number, number] | null {
  const n = end - start - 1
  if (n <= 32) {
    // Parcels mostly have a handful of vertices: every pair is cheaper than sorting.
    for (let i = 0; i < n; i++) {
      for (let j = i + 2; j < n; j++) {
        if (i === 0 && j === n - 1) continue
        const hit = segmentsTouch(xy, start + i, start + j)
        if (hit) return hit
      }
    }
    return null
  }
  const order = Array.from({ length: n }, (_, i) => i)
  const minX = (i: number) => Math.min(xy[2 * (start + i)]!, xy[2 * (start + i + 1)]!)
  const maxX = (i: number) => Math.max(xy[2 * (start + i)]!, xy[2 * (start + i + 1)]!)
  order.sort((i, j) => minX(i) - minX(j))
  for (let s = 0; s < n; s++) {
    const i = order[s]!
    const iMax = maxX(i)
    for (let t = s + 1; t < n; t++) {
      const j = order[t]!
      if (minX(j) > iMax) break
      const adjacent = Math.abs(i - j) === 1 || Math.abs(i - j) === n - 1
      if (adjacent) continue
      const hit = segmentsTouch(xy, start + i, start + j)
      if (hit) return hit
    }
  }
  return null
}

// The helpers below take point numbers, not coordinates: they run for every pair of edges of
// every ring, and a call that is not inlined would box each double argument (an allocation).

/** Which side of the line from point a to point b point c lies on: 1 left, -1 right, 0 on it. */
function orientation(xy: Float64Array, a: number, b: number, c: number): number {
  const ax = xy[2 * a]!, ay = xy[2 * a + 1]!
  const v = (xy[2 * b]! - ax) * (xy[2 * c + 1]! - ay) - (xy[2 * b + 1]! - ay) * (xy[2 * c]! - ax)
  return v > 0 ? 1 : v < 0 ? -1 : 0
}

/** Point p within the bounding box of points a and b. */
function onSegment(xy: Float64Array, a: number, b: number, p: number): boolean {
  const px = xy[2 * p]!, py = xy[2 * p + 1]!
  return Math.min(xy[2 * a]!, xy[2 * b]!) <= px && px <= Math.max(xy[2 * a]!, xy[2 * b]!) && Math.min(xy[2 * a + 1]!, xy[2 * b + 1]!) <= py && py <= Math.max(xy[2 * a + 1]!, xy[2 * b + 1]!)
}

/** Where the edge from point i to i + 1 touches the edge from point j to j + 1, if it does. */
function segmentsTouch(xy: Float64Array, i: number, j: number): [number, number] | null {
  const a = i, b = i + 1, c = j, d = j + 1
  const o1 = orientation(xy, a, b, c), o2 = orientation(xy, a, b, d), o3 = orientation(xy, c, d, a), o4 = orientation(xy, c, d, b)
  if (o1 !== o2 && o3 !== o4) {
    const ax = xy[2 * a]!, ay = xy[2 * a + 1]!, bx = xy[2 * b]!, by = xy[2 * b + 1]!
    const cx = xy[2 * c]!, cy = xy[2 * c + 1]!, dx = xy[2 * d]!, dy = xy[2 * d + 1]!
    const den = (ax - bx) * (cy - dy) - (ay - by) * (cx - dx)
    if (den === 0) return [cx, cy]
    const t = ((ax - cx) * (cy - dy) - (ay - cy) * (cx - dx)) / den
    return [ax + t * (bx - ax), ay + t * (by - ay)]
  }
  if (o1 === 0 && onSegment(xy, a, b, c)) return [xy[2 * c]!, xy[2 * c + 1]!]
  if (o2 === 0 && onSegment(xy, a, b, d)) return [xy[2 * d]!, xy[2 * d + 1]!]
  if (o3 === 0 && onSegment(xy, c, d, a)) return [xy[2 * a]!, xy[2 * a + 1]!]
  if (o4 === 0 && onSegment(xy, c, d, b)) return [xy[2 * b]!, xy[2 * b + 1]!]
  return null
}

/** Every vertex of the inner ring inside or on the outer one (ray casting). */
function ringInside(xy: Float64Array, innerStart: number, innerEnd: number, outerStart: number, outerEnd: number): boolean {
  for (let k = innerStart; k < innerEnd; k++) if (pointInRing(xy, k, outerStart, outerEnd) === 'outside') return false
  return true
}

/** Where point p lies relative to the ring of points [start, end). */
function pointInRing(xy: Float64Array, p: number, start: number, end: number): 'inside' | 'outside' | 'boundary' {
  let inside = false
  const px = xy[2 * p]!, py = xy[2 * p + 1]!
  const n = end - start
  for (let i = 0, j = n - 2; i < n - 1; j = i++) {
    const a = start + i, b = start + j
    if (orientation(xy, a, b, p) === 0 && onSegment(xy, a, b, p)) return 'boundary'
    const ax = xy[2 * a]!, ay = xy[2 * a + 1]!, bx = xy[2 * b]!, by = xy[2 * b + 1]!
    if (ay > py !== by > py && px < ((bx - ax) * (py - ay)) / (by - ay) + ax) inside = !inside
  }
  return inside ? 'inside' : 'outside'
}
