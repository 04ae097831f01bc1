/**
 * Geometry checks run on every parcel while it streams in, in plain JS so that a province
 * loads without a second pass over the database. They find what makes a polygon invalid in
 * PostGIS's sense (open or short rings, self-intersections such as bow-ties, spikes, holes
 * outside their shell); the few invalid parcels are then repaired by ST_MakeValid in SQL.
 */
import type { PolygonCoordinates, Ring } from './wkb.js'

export type GeometryProblemCode = 'empty' | 'invalid_coordinates' | 'too_few_points' | 'ring_not_closed' | 'zero_area' | 'self_intersection' | 'spike' | 'hole_outside_shell'

export interface GeometryProblem {
  code: GeometryProblemCode
  /** Where: "polygon 1, ring 1" style, for the report. */
  where: string
  point?: [number, number]
}

/** Problems that make the geometry unusable (rejected) rather than repairable. */
export const FATAL_PROBLEMS: ReadonlySet<GeometryProblemCode> = new Set(['empty', 'invalid_coordinates', 'too_few_points', 'zero_area'])

export function checkPolygons(polygons: PolygonCoordinates[]): GeometryProblem[] {
  const problems: GeometryProblem[] = []
  if (polygons.length === 0) return [{ code: 'empty', where: 'geometry' }]
  polygons.forEach((polygon, p) => {
    polygon.forEach((ring, r) => {
      const where = `polygon ${p + 1}, ring ${r + 1}`
      if (!ring.every((pt) => Number.isFinite(pt[0]) && Number.isFinite(pt[1]))) return problems.push({ code: 'invalid_coordinates', where })
      if (ring.length < 4) return problems.push({ code: 'too_few_points', where })
      const first = ring[0]!
      const last = ring[ring.length - 1]!
      if (first[0] !== last[0] || first[1] !== last[1]) problems.push({ code: 'ring_not_closed', where })
      const crossing = findSelfIntersection(ring)
      // A bow-tie whose two lobes cancel (a rectangle with two corners swapped) has signed
      // area 0 yet encloses land: it is repairable. Only a ring on one line encloses nothing.
      if (Math.abs(signedArea(ring)) < 1e-9 && (!crossing || onOneLine(ring))) return problems.push({ code: 'zero_area', where })
      const spike = findSpike(ring)
      if (spike) problems.push({ code: 'spike', where, point: spike })
      if (crossing) problems.push({ code: 'self_intersection', where, point: crossing })
      if (r > 0 && !ringInside(ring, polygon[0]!)) problems.push({ code: 'hole_outside_shell', where })
    })
  })
  return problems
}

export function signedArea(ring: Ring): number {
  let sum = 0
  for (let i = 0; i < ring.length - 1; i++) sum += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!
  return sum / 2
}

/** Every vertex on the line from the first vertex to the one farthest from it (within 1e-9 of its length). */
function onOneLine(ring: Ring): boolean {
  const o = ring[0]!
  let far = o
  let length = 0
  for (const p of ring) {
    const d = Math.hypot(p[0]! - o[0]!, p[1]! - o[1]!)
    if (d > length) [far, length] = [p, d]
  }
  if (length === 0) return true
  const dx = far[0]! - o[0]!, dy = far[1]! - o[1]!
  return ring.every((p) => Math.abs(dx * (p[1]! - o[1]!) - dy * (p[0]! - o[0]!)) / length <= 1e-9 * length)
}

/** A vertex where the boundary goes out and straight back (the two edges fold onto each other). */
function findSpike(ring: Ring): [number, number] | null {
  const n = ring.length - 1 // closing point repeats the first
  for (let i = 0; i < n; i++) {
    const a = ring[(i - 1 + n) % n]!
    const b = ring[i]!
    const c = ring[(i + 1) % n]!
    const abx = b[0]! - a[0]!, aby = b[1]! - a[1]!
    const bcx = c[0]! - b[0]!, bcy = c[1]! - b[1]!
    const cross = abx * bcy - aby * bcx
    const dot = abx * bcx + aby * bcy
    const scale = Math.hypot(abx, aby) * Math.hypot(bcx, bcy)
    if (scale > 0 && dot < 0 && Math.abs(cross) <= 1e-12 * scale) return [b[0]!, b[1]!]
  }
  return null
}

/**
 * The first point where two non-adjacent edges of the ring touch or cross (a bow-tie, a
 * figure-eight, a ring touching itself). Rings are sorted by x-extent so that long rings
 * (curved boundaries with hundreds of vertices) stay near-linear.
 */
function findSelfIntersection(ring: Ring): [number, number] | null {
  const n = ring.length - 1
  if (n <= 32) {
    // Parcels mostly have a handful of vertices: every pair is cheaper than sorting.
    for (let i = 0; i < n; i++) {
      for (let j = i + 2; j < n; j++) {
        if (i === 0 && j === n - 1) continue
        const hit = segmentsTouch(ring[i]!, ring[i + 1]!, ring[j]!, ring[j + 1]!)
        if (hit) return hit
      }
    }
    return null
  }
  const order = Array.from({ length: n }, (_, i) => i)
  const minX = (i: number) => Math.min(ring[i]![0]!, ring[i + 1]![0]!)
  const maxX = (i: number) => Math.max(ring[i]![0]!, ring[i + 1]![0]!)
  order.sort((i, j) => minX(i) - minX(j))
  for (let s = 0; s < n; s++) {
    const i = order[s]!
    const iMax = maxX(i)
    for (let t = s + 1; t < n; t++) {
      const j = order[t]!
      if (minX(j) > iMax) break
      const adjacent = Math.abs(i - j) === 1 || Math.abs(i - j) === n - 1
      if (adjacent) continue
      const hit = segmentsTouch(ring[i]!, ring[i + 1]!, ring[j]!, ring[j + 1]!)
      if (hit) return hit
    }
  }
  return null
}

function orientation(a: number[], b: number[], c: number[]): number {
  const v = (b[0]! - a[0]!) * (c[1]! - a[1]!) - (b[1]! - a[1]!) * (c[0]! - a[0]!)
  return v > 0 ? 1 : v < 0 ? -1 : 0
}

function onSegment(a: number[], b: number[], p: number[]): boolean {
  return Math.min(a[0]!, b[0]!) <= p[0]! && p[0]! <= Math.max(a[0]!, b[0]!) && Math.min(a[1]!, b[1]!) <= p[1]! && p[1]! <= Math.max(a[1]!, b[1]!)
}

function segmentsTouch(a: number[], b: number[], c: number[], d: number[]): [number, number] | null {
  const o1 = orientation(a, b, c), o2 = orientation(a, b, d), o3 = orientation(c, d, a), o4 = orientation(c, d, b)
  if (o1 !== o2 && o3 !== o4) {
    const den = (a[0]! - b[0]!) * (c[1]! - d[1]!) - (a[1]! - b[1]!) * (c[0]! - d[0]!)
    if (den === 0) return [c[0]!, c[1]!]
    const t = ((a[0]! - c[0]!) * (c[1]! - d[1]!) - (a[1]! - c[1]!) * (c[0]! - d[0]!)) / den
    return [a[0]! + t * (b[0]! - a[0]!), a[1]! + t * (b[1]! - a[1]!)]
  }
  if (o1 === 0 && onSegment(a, b, c)) return [c[0]!, c[1]!]
  if (o2 === 0 && onSegment(a, b, d)) return [d[0]!, d[1]!]
  if (o3 === 0 && onSegment(c, d, a)) return [a[0]!, a[1]!]
  if (o4 === 0 && onSegment(c, d, b)) return [b[0]!, b[1]!]
  return null
}

/** Every vertex of `inner` inside or on `outer` (ray casting). */
function ringInside(inner: Ring, outer: Ring): boolean {
  return inner.every((p) => pointInRing(p, outer) !== 'outside')
}

function pointInRing(p: number[], ring: Ring): 'inside' | 'outside' | 'boundary' {
  let inside = false
  for (let i = 0, j = ring.length - 2; i < ring.length - 1; j = i++) {
    const a = ring[i]!, b = ring[j]!
    if (orientation(a, b, p) === 0 && onSegment(a, b, p)) return 'boundary'
    if (a[1]! > p[1]! !== b[1]! > p[1]! && p[0]! < ((b[0]! - a[0]!) * (p[1]! - a[1]!)) / (b[1]! - a[1]!) + a[0]!) inside = !inside
  }
  return inside ? 'inside' : 'outside'
}
