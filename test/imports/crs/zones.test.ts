import { afterAll, describe, expect, it } from 'vitest'
import { crsLabel, loadCrsZones, meridianLabel, VN2000_ZONES } from '../../../src/imports/crs/index.js'
import { testDatabase } from '../../helpers/db.js'

const db = testDatabase()
afterAll(() => db.close())

describe('zones', () => {
  it('the built-in copy is exactly the crs_zones table', async () => {
    const fromTable = await loadCrsZones(db.knex)
    const byId = (a: { srid: number }, b: { srid: number }) => a.srid - b.srid
    expect([...VN2000_ZONES].sort(byId)).toEqual(fromTable.sort(byId))
  })

  it('every zone has a spatial_ref_sys row with a proj4 definition', async () => {
    const srids = VN2000_ZONES.map((z) => z.srid)
    const rows: Array<{ srid: number }> = await db.knex('spatial_ref_sys').whereIn('srid', srids).whereNot('proj4text', '').select('srid')
    expect(rows.map((r) => r.srid).sort()).toEqual([...srids].sort())
  })

  it('labels meridians the way the regulations write them', () => {
    expect(meridianLabel(108.5)).toBe('108°30′')
    expect(meridianLabel(104.75)).toBe('104°45′')
    expect(meridianLabel(105)).toBe('105°00′')
    expect(crsLabel(9218)).toBe('VN-2000 / TM-3 108°30′ (EPSG:9218)')
    expect(crsLabel(32648)).toBe('WGS 84 / UTM zone 48N (EPSG:32648)')
    expect(crsLabel(3857)).toBe('EPSG:3857')
  })
})
