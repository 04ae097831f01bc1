/**
 * Byte layout of the .shp/.shx main-file header and of a Polygon (shape type 5) record,
 * per the ESRI Shapefile Technical Description (1998): big-endian record headers and file
 * code/length, little-endian everything else, lengths counted in 16-bit words.
 */
import { orientRing, type Polygon, type Ring } from './polygon-rings.js'

export const SHAPE_TYPE_NULL = 0
export const SHAPE_TYPE_POLYGON = 5
export const MAIN_HEADER_BYTES = 100
export const RECORD_HEADER_BYTES = 8

/** [xmin, ymin, xmax, ymax]; starts inverted so that the first point sets it. */
export type BoundingBox = [number, number, number, number]

export function emptyBox(): BoundingBox {
  return [Infinity, Infinity, -Infinity, -Infinity]
}

/** A feature's rings in writing order and orientation, with counts and bbox. */
export interface PreparedPolygon {
  rings: Ring[]
  pointCount: number
  box: BoundingBox
}

/** Orients every ring (outer clockwise, holes counter-clockwise) and measures the record. */
export function preparePolygon(polygons: readonly Polygon[], orient: boolean): PreparedPolygon {
  const rings: Ring[] = []
  const box = emptyBox()
  let pointCount = 0
  for (const polygon of polygons) {
    polygon.forEach((ring, index) => {
      if (ring.length < 6 || ring.length % 2 !== 0) {
        throw new RangeError(`A polygon ring needs at least 3 x,y pairs, got ${ring.length} numbers`)
      }
      const written = orient ? orientRing(ring, index === 0) : ring
      rings.push(written)
      pointCount += written.length >> 1
      for (let at = 0; at < written.length; at += 2) extendBox(box, written[at]!, written[at + 1]!)
    })
  }
  return { rings, pointCount, box }
}

export function extendBox(box: BoundingBox, x: number, y: number): void {
  if (x < box[0]) box[0] = x
  if (y < box[1]) box[1] = y
  if (x > box[2]) box[2] = x
  if (y > box[3]) box[3] = y
}

export function mergeBox(into: BoundingBox, other: BoundingBox): void {
  extendBox(into, other[0], other[1])
  extendBox(into, other[2], other[3])
}

/** Content bytes of a record (without its 8-byte header). */
export function polygonContentBytes(polygon: PreparedPolygon | null): number {
  if (polygon === null || polygon.rings.length === 0) return 4
  return 44 + 4 * polygon.rings.length + 16 * polygon.pointCount
}

/** Writes record header and content into `target` (exactly 8 + content bytes long). */
export function writePolygonRecord(target: Buffer, recordNumber: number, polygon: PreparedPolygon | null): void {
  const contentBytes = target.length - RECORD_HEADER_BYTES
  target.writeInt32BE(recordNumber, 0)
  target.writeInt32BE(contentBytes / 2, 4)
  if (polygon === null || polygon.rings.length === 0) {
    target.writeInt32LE(SHAPE_TYPE_NULL, 8)
    return
  }
  target.writeInt32LE(SHAPE_TYPE_POLYGON, 8)
  writeBox(target, 12, polygon.box)
  target.writeInt32LE(polygon.rings.length, 44)
  target.writeInt32LE(polygon.pointCount, 48)
  let partAt = 52
  let pointAt = 52 + 4 * polygon.rings.length
  let firstPoint = 0
  for (const ring of polygon.rings) {
    target.writeInt32LE(firstPoint, partAt)
    partAt += 4
    for (let index = 0; index < ring.length; index++) {
      target.writeDoubleLE(ring[index]!, pointAt)
      pointAt += 8
    }
    firstPoint += ring.length >> 1
  }
}

/** The 100-byte header shared by .shp and .shx (only the file length differs). */
export function buildMainHeader(fileBytes: number, shapeType: number, box: BoundingBox): Buffer {
  const header = Buffer.alloc(MAIN_HEADER_BYTES)
  header.writeInt32BE(9994, 0)
  header.writeInt32BE(fileBytes / 2, 24)
  header.writeInt32LE(1000, 28)
  header.writeInt32LE(shapeType, 32)
  // An empty file has no extent; the spec leaves it unspecified, zeros are what tools expect.
  writeBox(header, 36, Number.isFinite(box[0]) ? box : [0, 0, 0, 0])
  return header // Z and M ranges (bytes 68–99) stay 0: these are 2D polygons
}

function writeBox(target: Buffer, at: number, box: BoundingBox): void {
  target.writeDoubleLE(box[0], at)
  target.writeDoubleLE(box[1], at + 8)
  target.writeDoubleLE(box[2], at + 16)
  target.writeDoubleLE(box[3], at + 24)
}
