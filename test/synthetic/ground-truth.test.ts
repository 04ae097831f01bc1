/**
 * Every planted discrepancy is in the files exactly as truth/<code>.json describes it, and
 * nothing else is wrong: unplanted parcels and records agree (key, area within tolerance,
 * land use, owner), and the DBF area is the polygon's area.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateIntoTemp, keyOf, readParcels, readRecordRows, readTruth, shoelace, SMALL_OPTIONS, type Feature } from './load-province.js'
import { DISCREPANCY_KINDS, type CommuneTruth } from '../../src/synthetic/index.js'

interface Row {
  sheet: number
  parcel: number
  owner: string
  legalArea: number
  landUse: string
  serial: string
}

interface Commune {
  truth: CommuneTruth
  features: Feature[]
  rows: Row[]
  featuresAt(sheet: number, parcel: number): Feature[]
  rowsAt(sheet: number, parcel: number): Row[]
  field(feature: Feature, role: keyof CommuneTruth['dbf']['fields']): unknown
}

async function loadCommune(directory: string, code: string): Promise<Commune> {
  const truth = await readTruth(directory, code)
  const features = await readParcels(directory, code)
  const { rows: raw } = await readRecordRows(directory, code)
  const rows = raw.map(([commune, sheet, parcel, owner, legalArea, landUse, serial]) => {
    expect(commune).toBe(code)
    return { sheet: Number(sheet), parcel: Number(parcel), owner: owner!, legalArea: Number(legalArea), landUse: landUse!, serial: serial! }
  })
  const fields = truth.dbf.fields
  const field = (feature: Feature, role: keyof typeof fields) => feature.properties[fields[role]!]
  const byKey = <T>(items: T[], key: (item: T) => string) => {
    const map = new Map<string, T[]>()
    for (const item of items) map.set(key(item), [...(map.get(key(item)) ?? []), item])
    return map
  }
  const featureMap = byKey(features, (feature) => keyOf(field(feature, 'sheet') as number, field(feature, 'parcel') as number))
  const rowMap = byKey(rows, (row) => keyOf(row.sheet, row.parcel))
  return {
    truth, features, rows, field,
    featuresAt: (sheet, parcel) => featureMap.get(keyOf(sheet, parcel)) ?? [],
    rowsAt: (sheet, parcel) => rowMap.get(keyOf(sheet, parcel)) ?? [],
  }
}

describe('synthetic ground truth', () => {
  let directory: string
  let cleanup: () => Promise<void>
  const communes: Commune[] = []
  beforeAll(async () => {
    ;({ directory, cleanup } = await generateIntoTemp())
    for (let index = 0; index < SMALL_OPTIONS.communes; index++) {
      communes.push(await loadCommune(directory, String(SMALL_OPTIONS.firstCode + index)))
    }
  })
  afterAll(async () => cleanup())

  it('plants at least one item of every kind in every commune, and both duplicate sides', () => {
    for (const { truth } of communes) {
      for (const kind of DISCREPANCY_KINDS) expect(truth.counts[kind], `${truth.commune} ${kind}`).toBeGreaterThanOrEqual(1)
      const sides = truth.planted.filter((item) => item.kind === 'duplicate_key').map((item) => item.detail.side)
      expect(new Set(sides)).toEqual(new Set(['map', 'records']))
    }
  })

  it('counts parcels and records as the files hold them, about 70% of parcels with records', () => {
    let parcels = 0
    let records = 0
    for (const commune of communes) {
      expect(commune.truth.parcels).toBe(commune.features.length)
      expect(commune.truth.records).toBe(commune.rows.length)
      parcels += commune.features.length
      records += commune.rows.length
    }
    expect(records / parcels).toBeGreaterThan(0.6)
    expect(records / parcels).toBeLessThan(0.8)
  })

  it('shows each planted item in the files as described', () => {
    for (const commune of communes) {
      for (const item of commune.truth.planted) {
        const { sheet, parcel, detail } = item
        const features = commune.featuresAt(sheet, parcel)
        const rows = commune.rowsAt(sheet, parcel)
        const label = `${commune.truth.commune} ${item.kind} ${sheet}/${parcel}`
        switch (item.kind) {
          case 'area_mismatch': {
            const expected = detail.expected as number
            const planted = detail.planted as number
            expect(commune.field(features[0]!, 'area'), label).toBeCloseTo(expected, 5)
            expect(rows.map((row) => row.legalArea), label).toEqual([planted])
            const difference = Math.abs(planted - expected)
            expect(difference).toBeGreaterThanOrEqual(20)
            expect(difference / expected).toBeGreaterThanOrEqual(0.149)
            expect(difference / expected).toBeLessThanOrEqual(0.401)
            break
          }
          case 'landuse_mismatch':
            expect(commune.field(features[0]!, 'landUse'), label).toBe(detail.expected)
            expect(rows.map((row) => row.landUse), label).toEqual([detail.planted])
            expect((detail.planted as string).split('+').some((code) => (detail.expected as string).split('+').includes(code))).toBe(false)
            break
          case 'wrong_parcel_number': {
            expect(features, label).toHaveLength(0)
            expect(rows, label).toHaveLength(1)
            const truePlace = commune.featuresAt(sheet, detail.expected as number)
            expect(truePlace, label).toHaveLength(1)
            expect(commune.rowsAt(sheet, detail.expected as number), label).toHaveLength(0)
            expect(rows[0]!.owner).toBe(detail.owner)
            expect(rows[0]!.legalArea).toBeCloseTo(commune.field(truePlace[0]!, 'area') as number, 5)
            break
          }
          case 'duplicate_key':
            if (detail.side === 'map') {
              expect(features, label).toHaveLength(2)
              expect(commune.featuresAt(sheet, detail.expected as number), label).toHaveLength(0)
            } else {
              expect(features, label).toHaveLength(1)
              expect(rows.map((row) => row.owner), label).toEqual(detail.owners)
            }
            break
          case 'record_only':
            expect(features, label).toHaveLength(0)
            expect(rows, label).toHaveLength(1)
            if (detail.reason === 'sheet_not_on_map') {
              expect(commune.features.some((feature) => commune.field(feature, 'sheet') === sheet), label).toBe(false)
            }
            break
          case 'invalid_geometry': {
            expect(features, label).toHaveLength(1)
            expect(isSelfIntersecting(features[0]!.rings[0]!), label).toBe(true)
            expect(commune.field(features[0]!, 'area')).toBeCloseTo(detail.originalArea as number, 5)
            break
          }
          case 'sliver_overlap': {
            const { from, to } = detail.moved as { from: number[]; to: number[] }
            const neighbour = commune.featuresAt(sheet, detail.neighbour as number)
            expect(features, label).toHaveLength(1)
            expect(neighbour, label).toHaveLength(1)
            expect(features[0]!.rings[0]!.some((point) => point[0] === to[0] && point[1] === to[1]), label).toBe(true)
            expect(neighbour[0]!.rings[0]!.some((point) => point[0] === from[0] && point[1] === from[1]), label).toBe(true)
            expect(detail.overlapArea as number).toBeGreaterThanOrEqual(0.2)
            expect(detail.overlapArea as number).toBeLessThanOrEqual(5)
            // The sliver's parcel is honest about its new shape: only the overlap is wrong.
            expect(commune.field(features[0]!, 'area')).toBeCloseTo(shoelace(features[0]!.rings[0]!), 1)
            break
          }
        }
      }
    }
  })

  it('has nothing wrong outside the planted keys', () => {
    for (const commune of communes) {
      const planted = new Set(commune.truth.planted.flatMap((item) => item.keys.map(([sheet, parcel]) => keyOf(sheet, parcel))))
      const withRecords = new Set(
        Object.entries(commune.truth.parcelsWithRecords).flatMap(([sheet, numbers]) => numbers.map((parcel) => keyOf(Number(sheet), parcel))),
      )
      const { fields } = commune.truth.dbf
      for (const feature of commune.features) {
        const sheet = commune.field(feature, 'sheet') as number
        const parcel = commune.field(feature, 'parcel') as number
        const key = keyOf(sheet, parcel)
        const area = shoelace(feature.rings[0]!)
        const rows = commune.rowsAt(sheet, parcel)
        expect(withRecords.has(key), key).toBe(rows.length > 0)
        if (planted.has(key)) continue
        expect(commune.field(feature, 'area'), key).toBeCloseTo(area, 1)
        expect(rows.length, key).toBeLessThanOrEqual(1)
        const row = rows[0]
        if (row) {
          expectHonestArea(row.legalArea, area, key)
          expect(row.landUse, key).toBe(commune.field(feature, 'landUse'))
          expect(row.owner, key).toBe(commune.field(feature, 'owner'))
          if (fields.legalArea) expect(commune.field(feature, 'legalArea'), key).toBeCloseTo(row.legalArea, 5)
        } else {
          expect(commune.field(feature, 'owner'), key).toBeNull() // blank text reads back as null
        }
        if (fields.certified) expect(commune.field(feature, 'certified'), key).toBe(row !== undefined)
      }
      for (const row of commune.rows) {
        const key = keyOf(row.sheet, row.parcel)
        expect(withRecords.has(key) || planted.has(key), `record ${key}`).toBe(true)
      }
      expect(new Set(commune.rows.map((row) => row.serial)).size).toBe(commune.rows.length)
    }
  })
})

/** Unplanted legal areas are within 0.5% and 2 m² of the polygon area. */
function expectHonestArea(legalArea: number, polygonArea: number, label: string): void {
  const difference = Math.abs(legalArea - polygonArea)
  expect(difference, label).toBeLessThanOrEqual(2)
  expect(difference / polygonArea, label).toBeLessThanOrEqual(0.005)
}

/** Independent O(n²) check that two non-adjacent edges of a closed ring cross. */
function isSelfIntersecting(ring: number[][]): boolean {
  const edges = ring.length - 1
  const cross = (o: number[], a: number[], b: number[]) => (a[0]! - o[0]!) * (b[1]! - o[1]!) - (a[1]! - o[1]!) * (b[0]! - o[0]!)
  for (let i = 0; i < edges; i++) {
    for (let j = i + 2; j < edges; j++) {
      if (i === 0 && j === edges - 1) continue
      const [a, b, c, d] = [ring[i]!, ring[i + 1]!, ring[j]!, ring[j + 1]!]
      if (cross(c, d, a) * cross(c, d, b) < 0 && cross(a, b, c) * cross(a, b, d) < 0) return true
    }
  }
  return false
}
