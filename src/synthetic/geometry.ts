/**
 * Small planar geometry on flat closed rings ([x0, y0, …, x0, y0]) in projected metres:
 * area, vertex count, and the self-intersection test used to plant and verify bow-ties.
 */
import { signedDoubleArea } from '../formats/index.js'

export function ringArea(ring: ArrayLike<number>): number {
  return Math.abs(signedDoubleArea(ring)) / 2
}

/** Distinct vertices of a closed ring (the closing repeat not counted). */
export function ringVertexCount(ring: ArrayLike<number>): number {
  return (ring.length >> 1) - 1
}

export function roundTenth(value: number): number {
  return Math.round(value * 10) / 10
}

/** True when two non-adjacent edges of the closed ring touch or cross. */
export function isSelfIntersecting(ring: ArrayLike<number>): boolean {
  const edges = ringVertexCount(ring)
  for (let first = 0; first < edges; first++) {
    for (let second = first + 1; second < edges; second++) {
      // Edges sharing a vertex (consecutive, or last and first) always meet there.
      if (second === first + 1 || (first === 0 && second === edges - 1)) continue
      if (segmentsIntersect(ring, first, second)) return true
    }
  }
  return false
}

function segmentsIntersect(ring: ArrayLike<number>, first: number, second: number): boolean {
  const ax = ring[2 * first]!, ay = ring[2 * first + 1]!, bx = ring[2 * first + 2]!, by = ring[2 * first + 3]!
  const cx = ring[2 * second]!, cy = ring[2 * second + 1]!, dx = ring[2 * second + 2]!, dy = ring[2 * second + 3]!
  const d1 = orientation(cx, cy, dx, dy, ax, ay)
  const d2 = orientation(cx, cy, dx, dy, bx, by)
  const d3 = orientation(ax, ay, bx, by, cx, cy)
  const d4 = orientation(ax, ay, bx, by, dx, dy)
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true
  return (
    (d1 === 0 && onSegment(cx, cy, dx, dy, ax, ay)) ||
    (d2 === 0 && onSegment(cx, cy, dx, dy, bx, by)) ||
    (d3 === 0 && onSegment(ax, ay, bx, by, cx, cy)) ||
    (d4 === 0 && onSegment(ax, ay, bx, by, dx, dy))
  )
}

function orientation(ax: number, ay: number, bx: number, by: number, px: number, py: number): number {
  return (bx - ax) * (py - ay) - (by - ay) * (px - ax)
}

function onSegment(ax: number, ay: number, bx: number, by: number, px: number, py: number): boolean {
  return Math.min(ax, bx) <= px && px <= Math.max(ax, bx) && Math.min(ay, by) <= py && py <= Math.max(ay, by)
}

/** Index (0-based, among distinct vertices) of the vertex at exactly (x, y), or -1. */
export function findVertex(ring: ArrayLike<number>, x: number, y: number): number {
  const count = ringVertexCount(ring)
  for (let index = 0; index < count; index++) {
    if (ring[2 * index] === x && ring[2 * index + 1] === y) return index
  }
  return -1
}

/** A copy of the closed ring with vertex `index` moved to (x, y) (closing repeat kept in step). */
export function withVertexMoved(ring: Float64Array, index: number, x: number, y: number): Float64Array {
  const moved = Float64Array.from(ring)
  moved[2 * index] = x
  moved[2 * index + 1] = y
  if (index === 0) {
    moved[moved.length - 2] = x
    moved[moved.length - 1] = y
  }
  return moved
}
