/**
 * Parcels tessellate their sheets: once the two planted geometry changes are undone using
 * the ground truth (which also proves the truth describes them exactly), every sheet is
 * covered with no gap or overlap, interior edges are shared by exactly two parcels in
 * opposite directions, and parcels have realistic sizes and vertex counts.
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateIntoTemp, readCsv, readParcels, readTruth, shoelace, SMALL_OPTIONS, type Feature } from './load-province.js'

type Point = [number, number]

describe('synthetic parcels tessellate', () => {
  let directory: string
  let cleanup: () => Promise<void>
  beforeAll(async () => ({ directory, cleanup } = await generateIntoTemp()))
  afterAll(async () => cleanup())

  const codes = Array.from({ length: SMALL_OPTIONS.communes }, (_, index) => String(SMALL_OPTIONS.firstCode + index))

  it.each(codes)('commune %s: sheets are covered exactly once after undoing planted geometry', async (code) => {
    const features = await readParcels(directory, code)
    const truth = await readTruth(directory, code)
    const sheets = (await readCsv(join(directory, 'sheets.csv'))).filter((row) => row.commune_code === code)
    const { sheet: sheetField, parcel: parcelField } = truth.dbf.fields
    const keyed = (sheet: number, parcel: number) =>
      features.filter((feature) => feature.properties[sheetField] === sheet && feature.properties[parcelField] === parcel)

    for (const item of truth.planted) {
      const [feature] = keyed(item.sheet, item.parcel)
      if (item.kind === 'sliver_overlap') {
        const { from, to } = item.detail.moved as { from: Point; to: Point }
        const planted = feature!.rings[0]!
        const plantedArea = shoelace(planted)
        replacePoint(planted, to, from)
        expect(plantedArea - shoelace(planted)).toBeCloseTo(item.detail.overlapArea as number, 3)
      }
      if (item.kind === 'invalid_geometry') {
        const [first, second] = item.detail.swapped as [Point, Point]
        const ring = feature!.rings[0]!
        const at = ring.findIndex((point) => same(point, first))
        expect(same(ring[at + 1]!, second)).toBe(true)
        replacePoint(ring, first, [-1, -1])
        replacePoint(ring, second, first)
        replacePoint(ring, [-1, -1], second)
      }
    }

    expect(sheets.map((row) => Number(row.sheet))).toEqual(sheets.map((_, index) => index + 1))
    for (const sheet of sheets) {
      const onSheet = features.filter((feature) => feature.properties[sheetField] === Number(sheet.sheet))
      expect(onSheet).toHaveLength(Number(sheet.parcels))
      const [minX, minY, maxX, maxY] = [sheet.min_x, sheet.min_y, sheet.max_x, sheet.max_y].map(Number) as [number, number, number, number]
      const total = onSheet.reduce((sum, feature) => sum + shoelace(feature.rings[0]!), 0)
      expect(Math.abs(total - (maxX - minX) * (maxY - minY)) / total).toBeLessThan(1e-9)
      checkSharedEdges(onSheet, { minX, minY, maxX, maxY })
    }
  })

  it.each(codes)('commune %s: parcels have 4–12 vertices and 50–5,000 m²', async (code) => {
    const truth = await readTruth(directory, code)
    const bowTies = new Set(truth.planted.filter((item) => item.kind === 'invalid_geometry').map((item) => `${item.sheet}/${item.parcel}`))
    const { sheet: sheetField, parcel: parcelField } = truth.dbf.fields
    const areas: number[] = []
    for (const feature of await readParcels(directory, code)) {
      expect(feature.rings).toHaveLength(1)
      const ring = feature.rings[0]!
      expect(ring.length - 1).toBeGreaterThanOrEqual(4)
      expect(ring.length - 1).toBeLessThanOrEqual(12)
      expect(new Set(ring.slice(1).map((point) => point.join(','))).size).toBe(ring.length - 1)
      if (bowTies.has(`${feature.properties[sheetField]}/${feature.properties[parcelField]}`)) continue
      areas.push(shoelace(ring))
    }
    areas.sort((a, b) => a - b)
    expect(areas[0]).toBeGreaterThanOrEqual(50)
    expect(areas[areas.length - 1]).toBeLessThanOrEqual(5000)
    const median = areas[areas.length >> 1]!
    expect(median).toBeGreaterThan(150)
    expect(median).toBeLessThan(1000)
  })
})

function same(a: number[], b: number[]): boolean {
  return a[0] === b[0] && a[1] === b[1]
}

function replacePoint(ring: number[][], from: number[], to: number[]): void {
  let replaced = 0
  ring.forEach((point, index) => {
    if (same(point, from)) {
      ring[index] = [...to]
      replaced++
    }
  })
  expect(replaced).toBeGreaterThan(0)
}

/**
 * Every directed edge a→b appears once; an interior edge also appears reversed (b→a) exactly
 * once, in the neighbour; an edge without a reverse lies on the sheet's boundary. All rings
 * clockwise, so "opposite direction" is the neighbour's view of the same edge.
 */
function checkSharedEdges(features: Feature[], box: { minX: number; minY: number; maxX: number; maxY: number }): void {
  const edges = new Map<string, number>()
  for (const feature of features) {
    const ring = feature.rings[0]!
    let signed = 0
    for (let index = 1; index < ring.length; index++) {
      const [ax, ay] = ring[index - 1]!
      const [bx, by] = ring[index]!
      signed += (ax! - ring[0]![0]!) * (by! - ring[0]![1]!) - (bx! - ring[0]![0]!) * (ay! - ring[0]![1]!)
      const key = `${ax},${ay}>${bx},${by}`
      edges.set(key, (edges.get(key) ?? 0) + 1)
    }
    expect(signed).toBeLessThan(0)
  }
  for (const [key, count] of edges) {
    expect(count).toBe(1)
    const [from, to] = key.split('>') as [string, string]
    if (edges.has(`${to}>${from}`)) continue
    const [ax, ay] = from.split(',').map(Number) as [number, number]
    const [bx, by] = to.split(',').map(Number) as [number, number]
    const onBoundary =
      (ax === box.minX && bx === box.minX) || (ax === box.maxX && bx === box.maxX) ||
      (ay === box.minY && by === box.minY) || (ay === box.maxY && by === box.maxY)
    expect(onBoundary, `edge ${key} has no neighbour and is not on the sheet boundary`).toBe(true)
  }
}
