/**
 * GeoJSON polygons → hex EWKB MultiPolygon, the text form PostGIS accepts in COPY.
 * Written by hand because it is the hot path of bulk loads: one Buffer per feature, no
 * intermediate WKT strings to parse on the server.
 */
export type Ring = number[][]
export type PolygonCoordinates = Ring[]

const WKB_MULTIPOLYGON_WITH_SRID = 0x20000006
const WKB_POLYGON = 3

export function multiPolygonEwkbHex(polygons: PolygonCoordinates[], srid: number): string {
  let size = 1 + 4 + 4 + 4
  for (const polygon of polygons) {
    size += 1 + 4 + 4
    for (const ring of polygon) size += 4 + ring.length * 16
  }
  const buffer = Buffer.allocUnsafe(size)
  let offset = 0
  buffer.writeUInt8(1, offset++)
  offset = buffer.writeUInt32LE(WKB_MULTIPOLYGON_WITH_SRID, offset)
  offset = buffer.writeUInt32LE(srid, offset)
  offset = buffer.writeUInt32LE(polygons.length, offset)
  for (const polygon of polygons) {
    buffer.writeUInt8(1, offset++)
    offset = buffer.writeUInt32LE(WKB_POLYGON, offset)
    offset = buffer.writeUInt32LE(polygon.length, offset)
    for (const ring of polygon) {
      offset = buffer.writeUInt32LE(ring.length, offset)
      for (const point of ring) {
        offset = buffer.writeDoubleLE(point[0]!, offset)
        offset = buffer.writeDoubleLE(point[1]!, offset)
      }
    }
  }
  return buffer.toString('hex')
}

/** Planar area (shoelace) of polygons with holes, in the units of the coordinates squared. */
export function planarArea(polygons: PolygonCoordinates[]): number {
  let total = 0
  for (const polygon of polygons) {
    polygon.forEach((ring, index) => {
      const area = Math.abs(signedRingArea(ring))
      total += index === 0 ? area : -area
    })
  }
  return total
}

function signedRingArea(ring: Ring): number {
  let sum = 0
  for (let i = 0, n = ring.length; i < n - 1; i++) {
    const a = ring[i]!
    const b = ring[i + 1]!
    sum += a[0]! * b[1]! - b[0]! * a[1]!
  }
  return sum / 2
}
