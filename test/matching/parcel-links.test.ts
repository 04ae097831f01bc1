/**
 * The link from matches to parcels, checked per statement (migration 20261123104000): a match
 * for a parcel that does not exist is refused; deleting parcels deletes their matches.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDatabase } from '../helpers/db.js'
import { importParcels, makeProvince, registerCommunes, type TestProvince } from '../helpers/province.js'

const db = testDatabase()
let province: TestProvince
let code: string

beforeAll(async () => {
  province = await makeProvince({ firstCode: 38950, communes: 1, parcelsPerCommune: 200, seed: 6 })
  await registerCommunes(db.knex, province)
  code = province.codes[0]!
  await importParcels(db.knex, province, code)
}, 60_000)

afterAll(async () => {
  province?.cleanUp()
  await db.close()
})

describe('matches → parcels', () => {
  it('refuses a match for a parcel that is not in the commune, in one statement of many rows', async () => {
    const ids = await db.knex('parcels').where({ commune_code: code }).orderBy('id').limit(3).pluck('id')
    const rows = [...ids.map((id: number) => ({ commune_code: code, parcel_id: id, category: 'spatial_only' })), { commune_code: code, parcel_id: 987654321, category: 'spatial_only' }]
    await expect(db.knex('matches').insert(rows)).rejects.toMatchObject({ code: '23503' })
    expect(await db.knex('matches').where({ commune_code: code }).count({ n: '*' })).toEqual([{ n: 0 }])
    await db.knex('matches').insert(rows.slice(0, 3))
    const [one] = await db.knex('matches').where({ commune_code: code }).limit(1).pluck('id')
    await expect(db.knex('matches').where({ commune_code: code, id: one }).update({ parcel_id: 987654321 })).rejects.toMatchObject({ code: '23503' })
    // Updates that keep the parcel (decisions marking links decided) pass; moving one to another
    // existing parcel too; moving one among many to a missing parcel does not.
    const { parcel_id: itsParcel } = await db.knex('matches').where({ commune_code: code, id: one }).first('parcel_id')
    await db.knex('matches').where({ commune_code: code }).update({ decided: true })
    await db.knex('matches').where({ commune_code: code, id: one }).update({ parcel_id: ids.find((id: number) => id !== itsParcel) })
    await expect(
      db.knex.raw(`UPDATE matches SET parcel_id = CASE WHEN id = ? THEN 987654321 ELSE parcel_id END, decided = false WHERE commune_code = ?`, [one, code]),
    ).rejects.toMatchObject({ code: '23503' })
    expect(await db.knex('matches').where({ commune_code: code, decided: true }).count({ n: '*' })).toEqual([{ n: 3 }])
    await db.knex('matches').where({ commune_code: code, id: one }).update({ parcel_id: itsParcel })
  })

  it('deletes the matches of deleted parcels, as a cascade would', async () => {
    const [first] = await db.knex('parcels').where({ commune_code: code }).orderBy('id').limit(1).pluck('id')
    expect(await db.knex('matches').where({ commune_code: code, parcel_id: first }).count({ n: '*' })).toEqual([{ n: 1 }])
    await db.knex('parcels').where({ commune_code: code, id: first }).delete()
    expect(await db.knex('matches').where({ commune_code: code, parcel_id: first }).count({ n: '*' })).toEqual([{ n: 0 }])
    expect(await db.knex('matches').where({ commune_code: code }).count({ n: '*' })).toEqual([{ n: 2 }])
  })
})
