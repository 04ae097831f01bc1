/**
 * Parcels → EWKB MultiPolygon, the form PostGIS reads in COPY. Written by hand because it is
 * the hot path of bulk loads: the bytes go straight from the shape store into the COPY buffer,
 * with no intermediate WKT or hex text for the server to parse.
 */
import os from 'node:os'
import type { ShapeStore } from './shapes.js'

export type Ring = number[][]
export type PolygonCoordinates = Ring[]

const WKB_MULTIPOLYGON_WITH_SRID = 0x20000006
const WKB_POLYGON = 3
/** The store's doubles are copied as they lie in memory: WKB says little-endian (NDR) below. */
const NATIVE_LITTLE_ENDIAN = os.endianness() === 'LE'

/** Bytes of the item's EWKB. */
export function ewkbSize(store: ShapeStore, item: number): number {
  const firstPolygon = store.itemStart[item]!, endPolygon = store.itemStart[item + 1]!
  const firstRing = store.polygonStart[firstPolygon]!, endRing = store.polygonStart[endPolygon]!
  const points = store.ringStart[endRing]! - store.ringStart[firstRing]!
  return 1 + 4 + 4 + 4 + (endPolygon - firstPolygon) * (1 + 4 + 4) + (endRing - firstRing) * 4 + points * 16
}

/** Writes the item as EWKB MultiPolygon at `at` (room for `ewkbSize` bytes); returns the end. */
export function writeEwkb(store: ShapeStore, item: number, srid: number, out: Buffer, at: number): number {
  const firstPolygon = store.itemStart[item]!, endPolygon = store.itemStart[item + 1]!
  out[at++] = 1
  at = out.writeUInt32LE(WKB_MULTIPOLYGON_WITH_SRID, at)
  at = out.writeUInt32LE(srid, at)
  at = out.writeUInt32LE(endPolygon - firstPolygon, at)
  for (let p = firstPolygon; p < endPolygon; p++) {
    out[at++] = 1
    at = out.writeUInt32LE(WKB_POLYGON, at)
    at = out.writeUInt32LE(store.polygonStart[p + 1]! - store.polygonStart[p]!, at)
    for (let r = store.polygonStart[p]!; r < store.polygonStart[p + 1]!; r++) {
      const start = store.ringStart[r]!, end = store.ringStart[r + 1]!
      at = out.writeUInt32LE(end - start, at)
      if (NATIVE_LITTLE_ENDIAN) {
        at += store.xyBytes.copy(out, at, start * 16, end * 16)
      } else {
        for (let k = 2 * start; k < 2 * end; k++) at = out.writeDoubleLE(store.xy[k]!, at)
      }
    }
  }
  return at
}

/** The item's EWKB as hex (the text form; tests and one-off queries). */
export function multiPolygonEwkbHex(store: ShapeStore, item: number, srid: number): string {
  const buffer = Buffer.allocUnsafe(ewkbSize(store, item))
  writeEwkb(store, item, srid, buffer, 0)
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
