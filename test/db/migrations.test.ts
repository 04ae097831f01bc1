import proj4 from 'proj4'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrateToLatest, migrationStatus, rollbackAll } from '../../src/db/index.js'
import { freshDatabase } from '../helpers/fresh-database.js'

const TABLES = [
  'crs_zones', 'provinces', 'communes', 'commune_code_changes', 'map_sheets', 'users', 'user_communes', 'import_jobs',
  'parcels', 'parcel_history', 'attribute_records', 'matches', 'reconciliation_events', 'signature_batches', 'parcel_signatures',
  'sessions',
]
const TOWGS84 = '-191.90441429,-39.30318279,-111.45032835,0.00928836,-0.01975479,0.00427372,0.252906278'

let fresh: Awaited<ReturnType<typeof freshDatabase>>
beforeAll(async () => {
  fresh = await freshDatabase()
})
afterAll(() => fresh?.close())

async function tables(): Promise<string[]> {
  const { rows } = await fresh.knex.raw(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)
  return rows.map((r: { tablename: string }) => r.tablename)
}

describe('migrations', () => {
  it('create the whole cadastral schema, roll back to nothing, and apply again', async () => {
    await migrateToLatest(fresh.knex)
    expect(await tables()).toEqual(expect.arrayContaining(TABLES))
    expect((await migrationStatus(fresh.knex)).pending).toEqual([])

    const undone = await rollbackAll(fresh.knex)
    expect(undone.length).toBeGreaterThanOrEqual(11)
    const left = await tables()
    for (const table of TABLES) expect(left).not.toContain(table)
    // Only rows Landbook added to spatial_ref_sys are removed: EPSG:4326 stays.
    const { rows } = await fresh.knex.raw('SELECT count(*)::int AS n FROM spatial_ref_sys WHERE srid = 4326')
    expect(rows[0].n).toBe(1)

    await migrateToLatest(fresh.knex)
    expect(await tables()).toEqual(expect.arrayContaining(TABLES))
  })

  it('every parcel-scale table carries the commune code in its primary key', async () => {
    const { rows } = await fresh.knex.raw(`
      SELECT c.conrelid::regclass::text AS tbl, array_agg(a.attname::text ORDER BY a.attnum) AS cols
      FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey)
      WHERE c.contype = 'p' GROUP BY 1`)
    const keys = Object.fromEntries(rows.map((r: { tbl: string; cols: string[] }) => [r.tbl, r.cols]))
    for (const table of ['map_sheets', 'parcels', 'parcel_history', 'attribute_records', 'matches', 'reconciliation_events', 'signature_batches', 'parcel_signatures']) {
      expect(keys[table], table).toContain('commune_code')
    }
  })

  it('VN-2000 TM-3 zones transform to WGS84 as PROJ does with the EPSG:6960 parameters', async () => {
    const zones: Array<[number, number]> = [[9218, 108.5], [9217, 108.25], [5897, 105], [9216, 107.5]]
    for (const [srid, lon0] of zones) {
      const { rows } = await fresh.knex.raw(
        'SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_Transform(ST_SetSRID(ST_Point(?, ?), ?), 4326) AS p) q',
        [452_345.678, 1_548_765.432, srid],
      )
      const expected = proj4(
        `+proj=tmerc +lat_0=0 +lon_0=${lon0} +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84 +towgs84=${TOWGS84} +units=m +no_defs`,
        'EPSG:4326',
        [452_345.678, 1_548_765.432],
      )
      // 1e-7° is about 1 cm: the datum shift is applied with the right rotation signs.
      expect(Math.abs(rows[0].lon - expected[0]!), `lon ${srid}`).toBeLessThan(1e-7)
      expect(Math.abs(rows[0].lat - expected[1]!), `lat ${srid}`).toBeLessThan(1e-7)
    }
  })

  it('reconciliation events are append-only in the database itself', async () => {
    const k = fresh.knex
    await k('communes').insert({ code: '23001', name: 'Xã Thử', province_code: '64', srid: 9218 })
    await k('reconciliation_events').insert({ commune_code: '23001', seq: 1, kind: 'accept', prev_hash: '0', hash: 'a' })
    await expect(k('reconciliation_events').update({ reason: 'sửa' })).rejects.toThrow(/append-only/)
    await expect(k('reconciliation_events').delete()).rejects.toThrow(/append-only/)
    await expect(k.raw('TRUNCATE reconciliation_events')).rejects.toThrow(/append-only/)
    expect(await k('reconciliation_events').count({ n: '*' })).toEqual([{ n: 1 }])
  })
})
