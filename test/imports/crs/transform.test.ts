import { afterAll, describe, expect, it } from 'vitest'
import { Invalid } from '../../../src/errors.js'
import { createTransformer } from '../../../src/imports/crs/index.js'
import { testDatabase } from '../../helpers/db.js'

const db = testDatabase()
afterAll(() => db.close())

/** The same point through PostGIS. */
async function stTransform(x: number, y: number, from: number, to: number): Promise<[number, number]> {
  const { rows } = await db.knex.raw<{ rows: Array<{ x: number; y: number }> }>(
    'SELECT ST_X(p) AS x, ST_Y(p) AS y FROM (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(?, ?), ?::int), ?::int) AS p) AS t',
    [x, y, from, to],
  )
  return [rows[0]!.x, rows[0]!.y]
}

const CM = 0.01 // 1 cm
const DEG = 1e-7 // about 1 cm

describe('createTransformer agrees with ST_Transform', () => {
  it.each<[string, number, number, Array<[number, number]>, number]>([
    // Gia Lai: Pleiku, Chư Sê, An Khê and a point 60 km off the meridian.
    ['VN-2000 TM-3 108°30′ → WGS 84', 9218, 4326, [[445_793.1, 1_548_361.6], [456_000, 1_500_000], [590_000, 1_555_000], [560_000, 1_600_000]], DEG],
    ['WGS 84 → VN-2000 TM-3 108°30′', 4326, 9218, [[108.0, 14.0], [108.5, 13.9], [108.67, 13.96], [107.6, 14.4]], CM],
    ['VN-2000 UTM 48N → TM-3 105°00′', 3405, 5897, [[588_000, 2_325_000], [500_000, 2_300_000], [420_000, 2_200_000], [640_000, 2_100_000]], CM],
    ['WGS 84 UTM 48N → TM-3 108°30′', 32648, 9218, [[800_000, 1_500_000], [830_000, 1_550_000]], CM],
    ['VN-2000 geographic → WGS 84', 4756, 4326, [[108, 14], [105.85, 21.03]], DEG],
    ['TM-3 108°15′ → TM-3 108°30′ (ex-Bình Định into Gia Lai)', 9217, 9218, [[580_000, 1_540_000], [600_000, 1_520_000]], CM],
  ])('%s', async (_label, from, to, points, tolerance) => {
    const transform = await createTransformer(db.knex, from, to)
    for (const [x, y] of points) {
      const [jsX, jsY] = transform(x, y)
      const [pgX, pgY] = await stTransform(x, y, from, to)
      expect(Math.abs(jsX - pgX), `x of (${x}, ${y})`).toBeLessThan(tolerance)
      expect(Math.abs(jsY - pgY), `y of (${x}, ${y})`).toBeLessThan(tolerance)
    }
  })

  it('moves points by the VN-2000 → WGS 84 shift, about 200 m in Gia Lai (so agreement is not trivial)', async () => {
    const toWgs84 = await createTransformer(db.knex, 4756, 4326)
    const [lon, lat] = toWgs84(108, 14)
    expect((lon - 108) * 108_000).toBeGreaterThan(150)
    expect((14 - lat) * 110_600).toBeGreaterThan(90)
  })

  it('applies no datum shift between two VN-2000 grids (PROJ does none: agreement to 0.1 mm)', async () => {
    for (const [from, to, x, y] of [[3405, 5897, 588_000, 2_325_000], [9217, 9218, 580_000, 1_540_000]] as const) {
      const [jsX, jsY] = (await createTransformer(db.knex, from, to))(x, y)
      const [pgX, pgY] = await stTransform(x, y, from, to)
      expect(Math.abs(jsX - pgX)).toBeLessThan(1e-4)
      expect(Math.abs(jsY - pgY)).toBeLessThan(1e-4)
    }
  })

  it('round-trips TM-3 → WGS 84 → TM-3 within a millimetre', async () => {
    const there = await createTransformer(db.knex, 9218, 4326)
    const back = await createTransformer(db.knex, 4326, 9218)
    const [x, y] = back(...there(451_234.567, 1_549_876.543))
    expect(Math.abs(x - 451_234.567)).toBeLessThan(0.001)
    expect(Math.abs(y - 1_549_876.543)).toBeLessThan(0.001)
  })
})

describe('createTransformer', () => {
  it('is the identity, without a query, when both systems are the same', async () => {
    const transform = await createTransformer(null as never, 9218, 9218)
    expect(transform(450_000.123, 1_550_000.456)).toEqual([450_000.123, 1_550_000.456])
  })

  it('refuses a system PostGIS does not know', async () => {
    await expect(createTransformer(db.knex, 999_999, 4326)).rejects.toThrow(Invalid)
    await expect(createTransformer(db.knex, 999_999, 4326)).rejects.toThrow(/EPSG:999999/)
  })
})
