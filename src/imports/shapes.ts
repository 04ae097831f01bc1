/**
 * The parcels of one file as flat coordinates: one growing Float64Array and three offset
 * tables, the form the geometry checks, the edge index, the overlap filter and the WKB writer
 * all read. A province streams some twenty million vertices; as [x, y] arrays each one was an
 * allocation to make and later collect, here a parcel costs none once the arrays have grown.
 *
 * Layout: item i (a parcel) has polygons [itemStart[i], itemStart[i + 1]); polygon p has
 * rings [polygonStart[p], polygonStart[p + 1]), the first being its shell; ring r has points
 * [ringStart[r], ringStart[r + 1]); point k is (xy[2k], xy[2k + 1]).
 */
import type { PolygonCoordinates } from './wkb.js'

export class ShapeStore {
  xy = new Float64Array(1 << 16)
  ringStart = new Int32Array(1 << 12)
  polygonStart = new Int32Array(1 << 10)
  itemStart = new Int32Array(1 << 10)
  /** Items stored; the offset tables hold one more entry, where the next item begins. */
  items = 0

  /** A store holding just these parcels (tests, small callers). */
  static of(parcels: PolygonCoordinates[][]): ShapeStore {
    const store = new ShapeStore()
    for (const polygons of parcels) store.add(polygons, null)
    return store
  }

  get points(): number {
    return this.ringStart[this.rings]!
  }

  get rings(): number {
    return this.polygonStart[this.polygons]!
  }

  get polygons(): number {
    return this.itemStart[this.items]!
  }

  /**
   * Appends a parcel as the next item, reprojecting each vertex when given a transform and
   * closing each open ring with its first point (as the reader's "closed" finding says).
   * Returns how many rings had to be closed.
   */
  add(polygons: PolygonCoordinates[], transform: ((x: number, y: number) => [number, number]) | null): number {
    let closed = 0
    let points = this.points, rings = this.rings, polys = this.polygons
    for (const polygon of polygons) {
      for (const ring of polygon) {
        this.reservePoints(points + ring.length + 1)
        const xy = this.xy
        const first = points
        for (const p of ring) {
          let x = p[0]!, y = p[1]!
          if (transform) [x, y] = transform(x, y)
          xy[2 * points] = x
          xy[2 * points + 1] = y
          points++
        }
        if (points > first && (xy[2 * first] !== xy[2 * points - 2] || xy[2 * first + 1] !== xy[2 * points - 1])) {
          xy[2 * points] = xy[2 * first]!
          xy[2 * points + 1] = xy[2 * first + 1]!
          points++
          closed++
        }
        this.reserveRings(rings + 2)
        this.ringStart[++rings] = points
      }
      this.reservePolygons(polys + 2)
      this.polygonStart[++polys] = rings
    }
    this.reserveItems(this.items + 2)
    this.itemStart[++this.items] = polys
    return closed
  }

  /** Drops the last item (a parcel that was rejected). */
  pop(): void {
    if (this.items > 0) this.items--
  }

  /** Signed area of ring r (shoelace over its stored points, the closing point included). */
  ringArea(r: number): number {
    const xy = this.xy
    const end = this.ringStart[r + 1]!
    let sum = 0
    for (let k = this.ringStart[r]!; k < end - 1; k++) sum += xy[2 * k]! * xy[2 * k + 3]! - xy[2 * k + 2]! * xy[2 * k + 1]!
    return sum / 2
  }

  /** The item's polygons as nested arrays (reports, tests). */
  toCoordinates(item: number): PolygonCoordinates[] {
    const result: PolygonCoordinates[] = []
    for (let p = this.itemStart[item]!; p < this.itemStart[item + 1]!; p++) {
      const polygon: PolygonCoordinates = []
      for (let r = this.polygonStart[p]!; r < this.polygonStart[p + 1]!; r++) {
        const ring: number[][] = []
        for (let k = this.ringStart[r]!; k < this.ringStart[r + 1]!; k++) ring.push([this.xy[2 * k]!, this.xy[2 * k + 1]!])
        polygon.push(ring)
      }
      result.push(polygon)
    }
    return result
  }

  /** Replaces the last item's polygons, e.g. once its rings have been regrouped. */
  replaceLast(polygons: PolygonCoordinates[]): void {
    this.pop()
    this.add(polygons, null)
  }

  private reservePoints(n: number): void {
    if (2 * n > this.xy.length) this.xy = grown(this.xy, 2 * n)
  }

  private reserveRings(n: number): void {
    if (n > this.ringStart.length) this.ringStart = grown(this.ringStart, n)
  }

  private reservePolygons(n: number): void {
    if (n > this.polygonStart.length) this.polygonStart = grown(this.polygonStart, n)
  }

  private reserveItems(n: number): void {
    if (n > this.itemStart.length) this.itemStart = grown(this.itemStart, n)
  }
}

function grown<T extends Float64Array | Int32Array>(array: T, atLeast: number): T {
  let length = array.length * 2
  while (length < atLeast) length *= 2
  const bigger = new (array.constructor as new (n: number) => T)(length)
  bigger.set(array)
  return bigger
}
