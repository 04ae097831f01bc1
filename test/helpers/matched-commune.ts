/**
 * A generated province whose communes are imported (parcels through the parcel import, records
 * straight from the generated CSV) and matched: the starting point of reconciliation tests.
 */
import type { Knex } from 'knex'
import { matchCommune } from '../../src/matching/index.js'
import { importParcels, makeProvince, registerCommunes, type TestProvince } from './province.js'
import { insertGeneratedRecords } from './records.js'

export async function matchedProvince(knex: Knex, options: { firstCode: number; communes?: number; parcelsPerCommune?: number; seed?: number }): Promise<TestProvince> {
  const province = await makeProvince({ communes: 1, parcelsPerCommune: 300, seed: 5, ...options })
  await registerCommunes(knex, province)
  for (const code of province.codes) {
    const result = await importParcels(knex, province, code)
    if (result.state !== 'succeeded') throw new Error(`import of ${code} failed: ${JSON.stringify(result)}`)
    await insertGeneratedRecords(knex, province.dir, code)
    await matchCommune(knex, code)
  }
  return province
}

/** Ids of a commune's parcels whose (only) link is in `category`, in id order. */
export async function parcelsIn(knex: Knex, code: string, category: string, options: { withRecord?: boolean } = {}): Promise<number[]> {
  const { rows } = await knex.raw(
    `SELECT m.parcel_id FROM matches m
     WHERE m.commune_code = ? AND m.category = ? AND m.parcel_id IS NOT NULL AND NOT m.decided
       AND (CAST(? AS boolean) IS NULL OR (m.record_id IS NOT NULL) = CAST(? AS boolean))
     ORDER BY m.parcel_id`,
    [code, category, options.withRecord ?? null, options.withRecord ?? null],
  )
  return rows.map((r: { parcel_id: number }) => Number(r.parcel_id))
}
