/**
 * Discrepancies planted in the map (the shapefile): two parcels with the same key, a
 * self-intersecting "bow-tie" ring, and a sliver where one parcel overlaps its neighbour.
 */
import { findVertex, isSelfIntersecting, ringArea, ringVertexCount, roundTenth, withVertexMoved } from '../geometry.js'
import { roundMillimetre } from '../sheet-plan.js'
import type { MapParcel } from '../types.js'
import type { PlantingContext } from './planting-context.js'

/**
 * An uncertified parcel takes the number of the parcel numbered next to it on the sheet (a
 * typing slip when numbering): two features share one key, and its own number is gone.
 */
export function plantDuplicateMapKey(context: PlantingContext): boolean {
  const { parcels } = context
  let twin = -1
  const parcel = context.take('duplicate_key/map', (candidate, index) => {
    if (candidate.record !== null) return false
    twin = [index - 1, index + 1].find((other) => parcels[other]?.sheet === candidate.sheet && !context.isUsed(other)) ?? -1
    return twin >= 0
  })
  if (!parcel) return false
  const other = parcels[twin]!
  context.markUsed(twin)
  const trueNumber = parcel.number
  parcel.number = other.number
  context.plant({
    kind: 'duplicate_key',
    sheet: parcel.sheet,
    parcel: other.number,
    keys: [[parcel.sheet, other.number], [parcel.sheet, trueNumber]],
    detail: { side: 'map', expected: trueNumber, planted: other.number, featureIds: [parcel.id, other.id].sort((a, b) => a - b) },
  })
  return true
}

/**
 * Swaps two consecutive vertices so that the ring crosses itself. Four-vertex parcels are
 * preferred: swapping two corners of a convex quadrilateral always gives a bow-tie lying
 * inside the original, so no neighbour is overlapped. The DBF area keeps the value
 * computed before the damage, as a stale attribute would.
 */
export function plantInvalidGeometry(context: PlantingContext): boolean {
  let swap = -1
  const accept = (candidate: MapParcel, fourOnly: boolean) => {
    if (fourOnly && ringVertexCount(candidate.ring) !== 4) return false
    swap = bowTieSwap(context, candidate.ring)
    return swap >= 0
  }
  const parcel =
    context.take('invalid_geometry', (candidate) => accept(candidate, true)) ??
    context.take('invalid_geometry/any', (candidate) => accept(candidate, false))
  if (!parcel) return false
  const ring = parcel.ring
  const first: [number, number] = [ring[2 * swap]!, ring[2 * swap + 1]!]
  const second: [number, number] = [ring[2 * swap + 2]!, ring[2 * swap + 3]!]
  parcel.ring = withVertexMoved(withVertexMoved(ring, swap, ...second), swap + 1, ...first)
  parcel.area = ringArea(parcel.ring)
  context.plant({
    kind: 'invalid_geometry',
    sheet: parcel.sheet,
    parcel: parcel.number,
    keys: [[parcel.sheet, parcel.number]],
    // In the written ring's order: swapping these two back restores the valid parcel.
    detail: { reason: 'self_intersection', swapped: [second, first], originalArea: parcel.mapArea },
  })
  return true
}

/** Index i such that swapping vertices i and i+1 makes the ring cross itself, or -1. */
function bowTieSwap(context: PlantingContext, ring: Float64Array): number {
  const count = ringVertexCount(ring)
  const start = context.random.int(0, count - 2)
  for (let step = 0; step < count - 1; step++) {
    const index = (start + step) % (count - 1)
    const swapped = withVertexMoved(withVertexMoved(ring, index, ring[2 * index + 2]!, ring[2 * index + 3]!), index + 1, ring[2 * index]!, ring[2 * index + 1]!)
    if (isSelfIntersecting(swapped)) return index
  }
  return -1
}

interface SliverPlan {
  neighbourIndex: number
  vertex: number
  ring: Float64Array
  neighbourRing: Float64Array
  overlap: number
}

/**
 * Moves one vertex that a parcel shares only with its neighbour a short way into that
 * neighbour: the parcel grows by a thin sliver of 0.25–4.9 m² lying inside the neighbour.
 * The parcel's map area and legal area follow its new shape, so the only problem is the overlap.
 */
export function plantSliverOverlap(context: PlantingContext): boolean {
  let plan: SliverPlan | null = null
  const parcel = context.take('sliver_overlap', (candidate, index) => (plan = planSliver(context, candidate, index)) !== null)
  if (!parcel || plan === null) return false
  const { neighbourIndex, vertex, ring, overlap } = plan as SliverPlan
  const neighbour = context.parcels[neighbourIndex]!
  context.markUsed(neighbourIndex)
  const from: [number, number] = [parcel.ring[2 * vertex]!, parcel.ring[2 * vertex + 1]!]
  const to: [number, number] = [ring[2 * vertex]!, ring[2 * vertex + 1]!]
  const originalArea = parcel.mapArea
  parcel.ring = ring
  parcel.area = ringArea(ring)
  parcel.mapArea = roundTenth(parcel.area)
  if (parcel.record) parcel.record.legalArea = parcel.mapArea
  context.plant({
    kind: 'sliver_overlap',
    sheet: parcel.sheet,
    parcel: parcel.number,
    keys: [[parcel.sheet, parcel.number], [neighbour.sheet, neighbour.number]],
    detail: { neighbour: neighbour.number, overlapArea: Math.round(overlap * 1000) / 1000, moved: { from, to }, originalArea, plantedArea: parcel.mapArea },
  })
  return true
}

function planSliver(context: PlantingContext, parcel: MapParcel, index: number): SliverPlan | null {
  const ring = parcel.ring
  const count = ringVertexCount(ring)
  for (let vertex = 1; vertex < count; vertex++) {
    const owners = context.vertexOwners(parcel.sheet, ring[2 * vertex]!, ring[2 * vertex + 1]!)
    // Only a vertex inside one edge has exactly two owners; grid corners have three or four.
    if (owners.length !== 2) continue
    const neighbourIndex = owners[0] === index ? owners[1]! : owners[0]!
    if (context.isUsed(neighbourIndex)) continue
    const plan = moveIntoNeighbour(context, ring, vertex, context.parcels[neighbourIndex]!.ring)
    if (plan) return { neighbourIndex, vertex, ...plan }
  }
  return null
}

function moveIntoNeighbour(context: PlantingContext, ring: Float64Array, vertex: number, neighbourRing: Float64Array) {
  const px = ring[2 * vertex - 2]!, py = ring[2 * vertex - 1]!
  const vx = ring[2 * vertex]!, vy = ring[2 * vertex + 1]!
  const qx = ring[2 * vertex + 2]!, qy = ring[2 * vertex + 3]!
  if (findVertex(neighbourRing, px, py) < 0 || findVertex(neighbourRing, qx, qy) < 0) return null
  const dx = qx - px
  const dy = qy - py
  const chord = Math.sqrt(dx * dx + dy * dy)
  // Area of quadrilateral p, v, q, v' is ½·|pq|·|vv'| when vv' ⟂ pq; keep the move short
  // next to the vertex's own edges so the sliver stays a sliver.
  const near = Math.min(Math.hypot(vx - px, vy - py), Math.hypot(qx - vx, qy - vy))
  const shift = Math.min((2 * context.random.range(0.25, 4.9)) / chord, 0.15 * near)
  // The ring is clockwise, so the neighbour lies to the left of p→q.
  const movedX = roundMillimetre(vx - (shift * dy) / chord)
  const movedY = roundMillimetre(vy + (shift * dx) / chord)
  const moved = withVertexMoved(ring, vertex, movedX, movedY)
  const overlap = ringArea(moved) - ringArea(ring)
  if (overlap < 0.2 || overlap > 5 || isSelfIntersecting(moved)) return null
  // The sliver lies inside the neighbour exactly when the neighbour minus the sliver is
  // still a simple ring of the neighbour's area less the sliver.
  const neighbourVertex = findVertex(neighbourRing, vx, vy)
  const remainder = withVertexMoved(neighbourRing, neighbourVertex, movedX, movedY)
  if (isSelfIntersecting(remainder) || Math.abs(ringArea(neighbourRing) - ringArea(remainder) - overlap) > 1e-6) return null
  return { ring: moved, neighbourRing, overlap }
}
