/**
 * Polygon rings as the shapefile writer takes them, and their ESRI orientation.
 *
 * A ring is a flat coordinate array `[x0, y0, x1, y1, …]` (closed or not): flat arrays cost
 * one allocation per ring instead of one per vertex, which matters at a million parcels.
 * A polygon is `[outer, ...holes]`; a feature is a list of polygons (multi-part).
 * ESRI requires outer rings clockwise and holes counter-clockwise (y pointing north).
 */

export type Ring = ArrayLike<number>
export type Polygon = readonly Ring[]

/** The two GeoJSON geometry types a parcel layer holds, structurally (no dependency on @types/geojson). */
export type GeoJsonPolygonal =
  | { type: 'Polygon'; coordinates: number[][][] }
  | { type: 'MultiPolygon'; coordinates: number[][][][] }

/** Converts GeoJSON Polygon/MultiPolygon coordinates into the writer's flat rings. */
export function fromGeoJson(geometry: GeoJsonPolygonal): Polygon[] {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates
  return polygons.map((rings) => rings.map((ring) => ring.flatMap((position) => [position[0]!, position[1]!])))
}

/**
 * Twice the signed area of a ring (shoelace); positive when counter-clockwise.
 * Coordinates are taken relative to the first vertex: projected metres around 10^6 would
 * otherwise lose the small areas of thin parcels to cancellation.
 */
export function signedDoubleArea(ring: Ring): number {
  const count = ring.length >> 1
  if (count < 3) return 0
  const originX = ring[0]!
  const originY = ring[1]!
  let sum = 0
  let previousX = 0
  let previousY = 0
  for (let index = 1; index <= count; index++) {
    const at = (index % count) * 2
    const x = ring[at]! - originX
    const y = ring[at + 1]! - originY
    sum += previousX * y - x * previousY
    previousX = x
    previousY = y
  }
  return sum
}

/**
 * Returns the ring closed (last vertex = first) and turned clockwise (outer) or
 * counter-clockwise (hole). A ring of zero signed area (degenerate, or a symmetric bow-tie)
 * is kept as given: it has no orientation to fix.
 */
export function orientRing(ring: Ring, clockwise: boolean): Ring {
  const closed = isClosed(ring) ? ring : closeRing(ring)
  const area = signedDoubleArea(closed)
  const isClockwise = area < 0
  if (area === 0 || isClockwise === clockwise) return closed
  return reverseRing(closed)
}

function isClosed(ring: Ring): boolean {
  const last = ring.length - 2
  return ring.length >= 4 && ring[0] === ring[last] && ring[1] === ring[last + 1]
}

function closeRing(ring: Ring): Float64Array {
  const closed = new Float64Array(ring.length + 2)
  for (let index = 0; index < ring.length; index++) closed[index] = ring[index]!
  closed[ring.length] = ring[0]!
  closed[ring.length + 1] = ring[1]!
  return closed
}

function reverseRing(ring: Ring): Float64Array {
  const reversed = new Float64Array(ring.length)
  for (let from = ring.length - 2, to = 0; from >= 0; from -= 2, to += 2) {
    reversed[to] = ring[from]!
    reversed[to + 1] = ring[from + 1]!
  }
  return reversed
}
