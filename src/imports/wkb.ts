/**
 * Parcels → EWKB MultiPolygon, the form PostGIS reads in COPY. Written by hand because it is
 * the hot path of bulk loads: the numbers go straight from the shape store into the COPY
 * buffer, with no intermediate WKT or hex text for the server to parse.
 */
import type { ShapeStore } from './shapes.js'

export type Ring = number[][]
export type PolygonCoordinates = Ring[]

const WKB_MULTIPOLYGON_WITH_SRID = 0x20000006
const WKB_POLYGON = 3

/** Bytes of the item's EWKB. */
export function ewkbSize(store: ShapeStore, item: number): number {
  const firstPolygon = store.itemStart[item]!, endPolygon = store.itemStart[item + 1]!
  const firstRing = store.polygonStart[firstPolygon]!, endRing = store.polygonStart[endPolygon]!
  const points = store.ringStart[endRing]! - store.ringStart[firstRing]!
  return 1 + 4 + 4 + 4 + (endPolygon - firstPolygon) * (1 + 4 + 4) + (endRing - firstRing) * 4 + points * 16
}

/**
 * Writes the item as little-endian EWKB MultiPolygon at `at` (room for `ewkbSize` bytes);
 * returns the end. Through a DataView: a parcel's few dozen numbers cost less this way than
 * Buffer's checked writes or a copy call per ring.
 */
export function writeEwkb(store: ShapeStore, item: number, srid: number, out: DataView, at: number): number {
  const xy = store.xy
  const firstPolygon = store.itemStart[item]!, endPolygon = store.itemStart[item + 1]!
  out.setUint8(at, 1)
  out.setUint32(at + 1, WKB_MULTIPOLYGON_WITH_SRID, true)
  out.setUint32(at + 5, srid, true)
  out.setUint32(at + 9, endPolygon - firstPolygon, true)
  at += 13
  for (let p = firstPolygon; p < endPolygon; p++) {
    out.setUint8(at, 1)
    out.setUint32(at + 1, WKB_POLYGON, true)
    out.setUint32(at + 5, store.polygonStart[p + 1]! - store.polygonStart[p]!, true)
    at += 9
    for (let r = store.polygonStart[p]!; r < store.polygonStart[p + 1]!; r++) {
      const start = store.ringStart[r]!, end = store.ringStart[r + 1]!
      out.setUint32(at, end - start, true)
      at += 4
      for (let k = 2 * start; k < 2 * end; k++, at += 8) out.setFloat64(at, xy[k]!, true)
    }
  }
  return at
}

/** The item's EWKB as hex (the text form; tests and one-off queries). */
export function multiPolygonEwkbHex(store: ShapeStore, item: number, srid: number): string {
  const buffer = Buffer.allocUnsafe(ewkbSize(store, item))
  writeEwkb(store, item, srid, new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength), 0)
  return buffer.toString('hex')
}

/** Planar area (shoelace) of the item's polygons with holes, in the units of the coordinates squared. */
export function planarArea(store: ShapeStore, item: number): number {
  let total = 0
  for (let p = store.itemStart[item]!; p < store.itemStart[item + 1]!; p++) {
    const shell = store.polygonStart[p]!
    for (let r = shell; r < store.polygonStart[p + 1]!; r++) {
      const area = Math.abs(store.ringArea(r))
      total += r === shell ? area : -area
    }
  }
  return total
}
