import { afterAll, describe, expect, it } from 'vitest'
import { checkPolygons } from '../../src/imports/geometry-checks.js'
import { OverlapFilter } from '../../src/imports/overlap-filter.js'
import { ShapeStore } from '../../src/imports/shapes.js'
import { EdgeIndex } from '../../src/imports/topology.js'
import { multiPolygonEwkbHex, type PolygonCoordinates } from '../../src/imports/wkb.js'
import { testDatabase } from '../helpers/db.js'

const db = testDatabase()
afterAll(() => db.close())

const square = (x: number, y: number, s = 10): PolygonCoordinates => [[[x, y], [x, y + s], [x + s, y + s], [x + s, y], [x, y]]]
const circle = (n: number, r = 50): number[][] => {
  const ring = Array.from({ length: n }, (_, i) => [500 + r * Math.cos((2 * Math.PI * i) / n), 500 + r * Math.sin((2 * Math.PI * i) / n)])
  return [...ring, ring[0]!]
}

const SHAPES: Record<string, PolygonCoordinates[]> = {
  square: [square(0, 0)],
  'square with a hole': [[square(0, 0, 30)[0]!, [[10, 10], [20, 10], [20, 20], [10, 20], [10, 10]]]],
  'bow-tie': [[[[0, 0], [10, 10], [10, 0], [0, 10], [0, 0]]]],
  spike: [[[[0, 0], [0, 10], [5, 10], [5, 20], [5, 10], [10, 10], [10, 0], [0, 0]]]],
  'ring touching itself': [[[[0, 0], [0, 10], [5, 5], [10, 10], [10, 0], [5, 5], [0, 0]]]],
  'hole outside the shell': [[square(0, 0)[0]!, [[20, 20], [30, 20], [30, 30], [20, 30], [20, 20]]]],
  'many vertices, valid': [[circle(120)]],
  'many vertices, one crossing': [[(() => { const c = circle(120); [c[10], c[70]] = [c[70]!, c[10]!]; return c })()]],
  'two separate parts': [square(0, 0), square(20, 0)],
}

describe('geometry checks in JS agree with PostGIS ST_IsValid', () => {
  for (const [name, polygons] of Object.entries(SHAPES)) {
    it(name, async () => {
      const store = ShapeStore.of([polygons])
      const { rows } = await db.knex.raw('SELECT ST_IsValid(ST_GeomFromEWKB(decode(?, \'hex\'))) AS valid', [multiPolygonEwkbHex(store, 0, 9218)])
      const problems = checkPolygons(store, 0)
      expect(problems.length === 0, JSON.stringify(problems)).toBe(rows[0].valid)
    })
  }
})

describe('edge matching and the overlap pre-filter', () => {
  // A 3×3 block of 10 m squares: every interior edge is shared by exactly two parcels.
  const block = Array.from({ length: 9 }, (_, i) => [square((i % 3) * 10, Math.floor(i / 3) * 10)])

  it('flags only the outline parcels of a clean block, and finds no overlap pair', () => {
    const store = ShapeStore.of(block)
    const edges = new EdgeIndex()
    const shapes = new OverlapFilter(store)
    block.forEach((_, i) => {
      edges.add(i, store)
      shapes.add(i)
    })
    expect(edges.candidates()).toEqual([0, 1, 2, 3, 5, 6, 7, 8])
    expect(edges.unsharedSegments()).toHaveLength(12)
    expect(shapes.pairs(edges.candidates())).toEqual([])
  })

  it('flags a moved shared vertex and pairs the parcels that now overlap', () => {
    const moved = block.map((p) => structuredClone(p))
    // Parcel 4 (the centre) pushes its corner (20, 20) into parcel 8 (top right).
    const ring = moved[4]![0]![0]!
    for (const p of ring) if (p[0] === 20 && p[1] === 20) [p[0], p[1]] = [21, 21]
    const store = ShapeStore.of(moved)
    const edges = new EdgeIndex()
    const shapes = new OverlapFilter(store)
    moved.forEach((_, i) => {
      edges.add(i, store)
      shapes.add(i)
    })
    expect(edges.candidates()).toContain(4)
    expect(edges.candidates()).toContain(8)
    expect(shapes.pairs(edges.candidates())).toContainEqual([4, 8])
  })

  it('pairs an exact duplicate of a parcel with its twin', () => {
    const store = ShapeStore.of([...block, block[4]!])
    const shapes = new OverlapFilter(store)
    const edges = new EdgeIndex()
    ;[...block, block[4]!].forEach((_, i) => {
      edges.add(i, store)
      shapes.add(i)
    })
    expect(edges.candidates()).toContain(9)
    expect(shapes.pairs(edges.candidates())).toContainEqual([4, 9])
  })
})
