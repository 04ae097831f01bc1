import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createParcelJob, datasetSha256, runParcelJob } from '../../src/imports/index.js'
import { matchCommune } from '../../src/matching/index.js'
import type { CommuneTruth } from '../../src/synthetic/index.js'
import { testDatabase } from '../helpers/db.js'
import { makeProvince, registerCommunes, type TestProvince } from '../helpers/province.js'
import { insertGeneratedRecords } from '../helpers/records.js'

const db = testDatabase()
let province: TestProvince
let code: string
let truth: CommuneTruth

beforeAll(async () => {
  province = await makeProvince({ firstCode: 38000, communes: 1, parcelsPerCommune: 1500, seed: 21 })
  await registerCommunes(db.knex, province)
  code = province.codes[0]!
  truth = province.truth(code)
  const dataset = province.shapefile(code)
  const job = await createParcelJob(db.knex, { sourceName: dataset.name, sha256: await datasetSha256(dataset) })
  expect((await runParcelJob(db.knex, job.id, dataset)).state).toBe('succeeded')
  await insertGeneratedRecords(db.knex, province.dir, code)
})
afterAll(async () => {
  province?.cleanUp()
  await db.close()
})

type Row = { category: string; parcel_id: number | null; record_id: number | null; sheet: string; parcel: string }

async function classified(): Promise<{ parcels: Map<number, Row>; records: Map<number, Row>; byKey: Map<string, Row[]> }> {
  const { rows } = await db.knex.raw(
    `SELECT m.category, m.parcel_id, m.record_id, COALESCE(p.sheet_number, r.sheet_number) AS sheet, COALESCE(p.parcel_number, r.parcel_number) AS parcel
     FROM matches m LEFT JOIN parcels p ON p.commune_code = m.commune_code AND p.id = m.parcel_id
     LEFT JOIN attribute_records r ON r.commune_code = m.commune_code AND r.id = m.record_id
     WHERE m.commune_code = ?`,
    [code],
  )
  const parcels = new Map<number, Row>(), records = new Map<number, Row>(), byKey = new Map<string, Row[]>()
  for (const row of rows as Row[]) {
    if (row.parcel_id !== null) parcels.set(row.parcel_id, row)
    if (row.record_id !== null) records.set(row.record_id, row)
    const key = `${row.sheet}/${row.parcel}`
    byKey.set(key, [...(byKey.get(key) ?? []), row])
  }
  return { parcels, records, byKey }
}

describe('matching a commune against the generator ground truth', () => {
  it('puts every parcel and every record in exactly one category', async () => {
    const run = await matchCommune(db.knex, code)
    expect(run.full).toBe(true)
    const { parcels, records } = await classified()
    const [{ n: parcelCount }] = (await db.knex.raw('SELECT count(*)::int AS n FROM parcels WHERE commune_code = ?', [code])).rows
    const [{ n: recordCount }] = (await db.knex.raw('SELECT count(*)::int AS n FROM attribute_records WHERE commune_code = ?', [code])).rows
    expect(parcels.size).toBe(parcelCount)
    expect(records.size).toBe(recordCount)
    const { rows } = await db.knex.raw('SELECT count(*)::int AS n FROM matches WHERE commune_code = ?', [code])
    const pairs = [...parcels.values()].filter((r) => r.record_id !== null).length
    expect(rows[0].n).toBe(parcelCount + recordCount - pairs)
  })

  it('finds every planted discrepancy in the right category (recall)', async () => {
    const { byKey } = await classified()
    const categories = (sheet: number, parcel: number) => (byKey.get(`${sheet}/${parcel}`) ?? []).map((r) => `${r.parcel_id !== null ? 'P' : ''}${r.record_id !== null ? 'R' : ''}:${r.category}`).sort()
    for (const item of truth.planted) {
      const [s, n] = item.keys[0] as [number, number]
      switch (item.kind) {
        case 'area_mismatch':
          expect(categories(s, n), JSON.stringify(item)).toEqual(['PR:area_mismatch'])
          break
        case 'landuse_mismatch':
          expect(categories(s, n), JSON.stringify(item)).toEqual(['PR:landuse_mismatch'])
          break
        case 'record_only':
          expect(categories(s, n), JSON.stringify(item)).toEqual(['R:record_only'])
          break
        case 'wrong_parcel_number': {
          const [ts, tn] = item.keys[1] as [number, number]
          expect(categories(s, n), JSON.stringify(item)).toEqual(['R:record_only'])
          expect(categories(ts, tn), JSON.stringify(item)).toEqual(['P:spatial_only'])
          break
        }
        case 'duplicate_key':
          expect(categories(s, n).every((c) => c.endsWith(':duplicate_key')), JSON.stringify(item)).toBe(true)
          expect(categories(s, n).length).toBeGreaterThanOrEqual(2)
          break
      }
    }
  })

  it('flags nothing else (precision): unplanted keys are matched, or spatial-only when they have no record', async () => {
    const { byKey } = await classified()
    const planted = new Set(truth.planted.flatMap((p) => p.keys.map(([s, n]) => `${s}/${n}`)))
    const withRecords = new Set(Object.entries(truth.parcelsWithRecords).flatMap(([s, ns]) => (ns as number[]).map((n) => `${s}/${n}`)))
    let checked = 0
    for (const [key, rows] of byKey) {
      if (planted.has(key)) continue
      const expected = withRecords.has(key) ? ['matched'] : ['spatial_only']
      expect(rows.map((r) => r.category), key).toEqual(expected)
      checked++
    }
    expect(checked).toBeGreaterThan(1000)
  })

  it('shows the tolerance rule and value with every area mismatch', async () => {
    const { rows } = await db.knex.raw(`SELECT details FROM matches WHERE commune_code = ? AND category = 'area_mismatch'`, [code])
    expect(rows.length).toBeGreaterThan(0)
    for (const { details } of rows) {
      expect(details.rule).toBe('tt25-2014-perimeter')
      expect(Math.abs(details.difference_m2)).toBeGreaterThan(details.tolerance_m2)
    }
  })
})

describe('re-running the match', () => {
  it('re-matches nothing when nothing changed, and gives the same result', async () => {
    const before = await db.knex('matches').where({ commune_code: code }).orderBy('id').select('parcel_id', 'record_id', 'category')
    const run = await matchCommune(db.knex, code)
    expect(run.full).toBe(false)
    expect(run.keysRematched).toBe(0)
    const after = await db.knex('matches').where({ commune_code: code }).orderBy('id').select('parcel_id', 'record_id', 'category')
    expect(after).toEqual(before)
  })

  it('re-matches only the keys that changed, and never overwrites a clerk decision', async () => {
    const [decidedRow] = await db.knex('matches').where({ commune_code: code, category: 'area_mismatch' }).limit(1)
    await db.knex('matches').where({ commune_code: code, id: decidedRow.id }).update({ decided: true, category: 'matched' })
    // A clerk corrects one record's land use on a matched key; its key alone is re-matched.
    const [target] = await db.knex('matches').where({ commune_code: code, category: 'matched', decided: false }).whereNotNull('record_id').limit(1)
    await db.knex('attribute_records').where({ commune_code: code, id: target.record_id }).update({ land_use_codes: ['TMD'], updated_at: db.knex.fn.now() })
    const run = await matchCommune(db.knex, code)
    expect(run.keysRematched).toBe(1)
    const changed = await db.knex('matches').where({ commune_code: code, record_id: target.record_id }).first()
    expect(changed.category).toBe('landuse_mismatch')
    const decided = await db.knex('matches').where({ commune_code: code, id: decidedRow.id }).first()
    expect(decided).toMatchObject({ decided: true, category: 'matched' })
  })
})

describe('candidate parcels for records without a parcel', () => {
  it('ranks the true parcel in the top 3 for at least 95% of planted wrong parcel numbers', async () => {
    const wrong = truth.planted.filter((p) => p.kind === 'wrong_parcel_number')
    expect(wrong.length).toBeGreaterThan(0)
    let found = 0
    for (const item of wrong) {
      const [[s, planted], [, expected]] = item.keys as [[number, number], [number, number]]
      const { rows } = await db.knex.raw(
        `SELECT p.parcel_number, c.rank FROM match_candidates c
         JOIN attribute_records r ON r.commune_code = c.commune_code AND r.id = c.record_id
         JOIN parcels p ON p.commune_code = c.commune_code AND p.id = c.parcel_id
         WHERE c.commune_code = ? AND r.sheet_number = ? AND r.parcel_number = ? AND c.rank <= 3`,
        [code, `${s}`, `${planted}`],
      )
      if (rows.some((r: { parcel_number: string }) => r.parcel_number === `${expected}`)) found++
    }
    expect(found / wrong.length).toBeGreaterThanOrEqual(0.95)
  })
})
