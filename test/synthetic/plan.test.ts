/**
 * The province plan at full default scale (cheap: no geometry): 220 communes with codes,
 * distinct names, the mix of file conventions, 1.628M parcels, all inside Gia Lai's extent.
 */
import { describe, expect, it } from 'vitest'
import { PROVINCE_EXTENT } from '../../src/synthetic/layout.js'
import { planProvince } from '../../src/synthetic/province-plan.js'
import { Random, WeightedTable } from '../../src/synthetic/random.js'
import { DEFAULT_OPTIONS } from '../../src/synthetic/index.js'

describe('province plan', () => {
  const plans = planProvince(DEFAULT_OPTIONS)

  it('plans 220 communes with consecutive 5-digit codes and distinct Vietnamese names', () => {
    expect(plans).toHaveLength(220)
    expect(plans[0]!.code).toBe('23500')
    expect(plans[219]!.code).toBe('23719')
    expect(new Set(plans.map((plan) => plan.name)).size).toBe(220)
    for (const plan of plans) expect(plan.name.normalize('NFC')).toBe(plan.name)
  })

  it('mixes DBF layouts, "12.0" numbers and CSV header spellings', () => {
    const count = (test: (plan: (typeof plans)[number]) => boolean) => plans.filter(test).length
    expect(count((plan) => plan.dbfSchema === 'full')).toBeGreaterThan(130)
    expect(count((plan) => plan.dbfSchema === 'maxa')).toBeGreaterThan(15)
    expect(count((plan) => plan.dbfSchema === 'madvhc')).toBeGreaterThan(15)
    expect(count((plan) => plan.dbfSchema === 'full' && plan.decimalNumbers)).toBeGreaterThan(5)
    expect(count((plan) => plan.recordsHeader !== 'vietnamese')).toBeGreaterThan(40)
  })

  it('targets Gia Lai\'s 1.63M parcels on sheets that fit inside their communes, inside the province', () => {
    const parcels = plans.reduce((sum, plan) => sum + plan.sheets.reduce((total, sheet) => total + sheet.targetParcels, 0), 0)
    expect(parcels).toBe(220 * 7400)
    for (const plan of plans) {
      const { boundary } = plan
      expect(boundary.minX).toBeGreaterThanOrEqual(PROVINCE_EXTENT.minX)
      expect(boundary.maxX).toBeLessThanOrEqual(PROVINCE_EXTENT.maxX)
      expect(boundary.minY).toBeGreaterThanOrEqual(PROVINCE_EXTENT.minY)
      expect(boundary.maxY).toBeLessThanOrEqual(PROVINCE_EXTENT.maxY)
      for (const sheet of plan.sheets) {
        const width = sheet.columnWidths.reduce((a, b) => a + b, 0)
        const height = sheet.rowHeights.reduce((a, b) => a + b, 0)
        expect(sheet.originX).toBeGreaterThan(boundary.minX)
        expect(sheet.originY).toBeGreaterThan(boundary.minY)
        expect(sheet.originX + width).toBeLessThan(boundary.maxX)
        expect(sheet.originY + height).toBeLessThan(boundary.maxY)
      }
    }
  })
})

describe('Random', () => {
  it('repeats a stream for the same seed and label, and differs otherwise', () => {
    const draw = (seed: number, stream: string) => {
      const random = new Random(seed, stream)
      return Array.from({ length: 5 }, () => random.uint32())
    }
    expect(draw(1, 'a')).toEqual(draw(1, 'a'))
    expect(draw(1, 'a')).not.toEqual(draw(1, 'b'))
    expect(draw(1, 'a')).not.toEqual(draw(2, 'a'))
  })

  it('draws integers within bounds and weights in proportion', () => {
    const random = new Random(3, 'test')
    const table = new WeightedTable([['a', 3], ['b', 1]] as const)
    let a = 0
    for (let index = 0; index < 20_000; index++) {
      const value = random.int(2, 5)
      expect(value >= 2 && value <= 5).toBe(true)
      if (table.draw(random) === 'a') a++
    }
    expect(a / 20_000).toBeGreaterThan(0.72)
    expect(a / 20_000).toBeLessThan(0.78)
  })
})
