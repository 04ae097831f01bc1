import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { loadCrsZones, parsePrj, type CrsZone } from '../../../src/imports/crs/index.js'
import { testDatabase } from '../../helpers/db.js'

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures/prj')
const fixture = (name: string) => readFileSync(path.join(fixtures, name), 'utf8')

const db = testDatabase()
afterAll(() => db.close())

/** ArcGIS-style ESRI WKT for a TM projection, as contractors' .prj files carry it. */
function esriTm(options: { name?: string; datum?: string; gcs?: string; cm: number | string; k?: number; fe?: number; fn?: number; spheroid?: string }): string {
  const { name = 'VN_2000_TM_3', datum = 'D_Vietnam_2000', gcs = 'GCS_VN_2000', cm, k = 0.9999, fe = 500000, fn = 0 } = options
  const spheroid = options.spheroid ?? 'SPHEROID["WGS_1984",6378137.0,298.257223563]'
  return (
    `PROJCS["${name}",GEOGCS["${gcs}",DATUM["${datum}",${spheroid}],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],` +
    `PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",${fe}],PARAMETER["False_Northing",${fn}],` +
    `PARAMETER["Central_Meridian",${cm}],PARAMETER["Scale_Factor",${k}],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`
  )
}

describe('parsePrj: fixture files', () => {
  it.each([
    ['arcgis_vn2000_tm3_10830.prj', 9218, 'tm3', 'vn2000', []],
    ['arcgis_vn2000_tm3_10815.prj', 9217, 'tm3', 'vn2000', []],
    ['arcgis_vn2000_tm3_10500.prj', 5897, 'tm3', 'vn2000', []],
    ['qgis_vn2000_tm3_10830.prj', 9218, 'tm3', 'vn2000', []],
    ['qgis_custom_towgs84_10745.prj', 5899, 'tm3', 'vn2000', []],
    ['microstation_bare_tm_10830.prj', 9218, 'tm3', 'unknown', ['crs_datum_not_declared']],
    ['famis_tm3_wgs84_label_10815.prj', 9217, 'tm3', 'wgs84', ['crs_datum_assumed_vn2000']],
    ['arcgis_wgs84.prj', 4326, 'geographic', 'wgs84', []],
    ['arcgis_vn2000_geographic.prj', 4756, 'geographic', 'vn2000', []],
    ['arcgis_wgs84_utm48n.prj', 32648, 'utm', 'wgs84', []],
    ['arcgis_vn2000_utm48n.prj', 3405, 'utm', 'vn2000', []],
    ['ogc_vn2000_utm49n.prj', 3406, 'utm', 'vn2000', []],
    ['qgis2_epsg6957_deprecated.prj', 5897, 'tm3', 'vn2000', ['crs_deprecated_epsg']],
    ['garbage_note.prj', null, 'unknown', 'unknown', []],
    ['garbage_truncated.prj', null, 'unknown', 'unknown', []],
  ])('%s → EPSG:%s', (file, srid, kind, datum, warnings) => {
    const crs = parsePrj(fixture(file))
    expect(crs.srid).toBe(srid)
    expect(crs.kind).toBe(kind)
    expect(crs.datum).toBe(datum)
    expect(crs.warnings.map((w) => w.code)).toEqual(warnings)
    expect(crs.description).not.toBe('')
  })

  it('says what a bare TM was taken for, and keeps its central meridian', () => {
    const crs = parsePrj(fixture('microstation_bare_tm_10830.prj'))
    expect(crs.centralMeridian).toBe(108.5)
    expect(crs.scaleFactor).toBe(0.9999)
    expect(crs.warnings[0]!.message).toMatch(/không nêu datum/)
    expect(crs.warnings[0]!.message).toContain('EPSG:9218')
  })

  it('reports the deprecated EPSG 6957 as such: FE/FN swapped, read as 5897', () => {
    const crs = parsePrj(fixture('qgis2_epsg6957_deprecated.prj'))
    expect(crs.deprecatedSrid).toBe(6957)
    expect(crs.centralMeridian).toBe(105)
    expect(crs.warnings[0]!.message).toMatch(/hoán đổi false easting và false northing/)
    expect(crs.warnings[0]!.message).toContain('EPSG:5897')
  })

  it('keeps the name the file gave in the description', () => {
    expect(parsePrj(fixture('arcgis_vn2000_tm3_10830.prj')).description).toBe('VN-2000 / TM-3 108°30′ (EPSG:9218); .prj "VN_2000_TM_3_zone_10830"')
  })
})

describe('parsePrj: every provincial TM-3 meridian in crs_zones', () => {
  it('maps each central meridian to its EPSG code, however the meridian is written', async () => {
    const zones = await loadCrsZones(db.knex)
    const tm3 = zones.filter((z): z is CrsZone & { centralMeridian: number } => z.kind === 'tm3' && z.centralMeridian !== null)
    expect(tm3).toHaveLength(17)
    for (const zone of tm3) {
      const cm = zone.centralMeridian
      for (const written of [String(cm), cm.toFixed(2), cm.toFixed(8), String(cm + 1e-14)]) {
        const crs = parsePrj(esriTm({ name: `VN_2000_TM_3_zone_${written}`, cm: written }), zones)
        expect(crs.srid, `CM ${written}`).toBe(zone.srid)
        expect(crs.kind).toBe('tm3')
        expect(crs.centralMeridian).toBe(cm)
      }
    }
  })

  it('parses what PostGIS itself has in spatial_ref_sys for each system to that system', async () => {
    const { rows } = await db.knex.raw<{ rows: Array<{ srid: number; srtext: string }> }>(
      `SELECT srid, srtext FROM spatial_ref_sys WHERE srid IN (SELECT srid FROM crs_zones) OR srid IN (4326, 32648, 32649) ORDER BY srid`,
    )
    expect(rows.length).toBe(23)
    for (const row of rows) expect(parsePrj(row.srtext).srid, `EPSG:${row.srid}`).toBe(row.srid)
  })

  it.each([[6956, 5896, 102], [6957, 5897, 105], [6958, 5898, 108], [6959, 5899, 107.75]])(
    'reads PostGIS srtext of deprecated EPSG:%i as its replacement %i',
    async (deprecated, replacement, cm) => {
      const { rows } = await db.knex.raw<{ rows: Array<{ srtext: string }> }>('SELECT srtext FROM spatial_ref_sys WHERE srid = ?', [deprecated])
      const crs = parsePrj(rows[0]!.srtext)
      expect(crs).toMatchObject({ srid: replacement, deprecatedSrid: deprecated, kind: 'tm3', centralMeridian: cm })
    },
  )
})

describe('parsePrj: datum names and variants', () => {
  it.each([
    ['D_Vietnam_2000', 'GCS_VN_2000'],
    ['Vietnam_2000', 'VN-2000'],
    ['VN-2000', 'VN-2000'],
    ['VN_2000', 'GCS_VN_2000'],
    ['D_VN_2000', 'unnamed'],
  ])('datum %s is VN-2000', (datum, gcs) => {
    expect(parsePrj(esriTm({ datum, gcs, cm: 108.5 }))).toMatchObject({ srid: 9218, datum: 'vn2000', warnings: [] })
  })

  it.each([['D_WGS_1984', 'GCS_WGS_1984'], ['WGS_1984', 'WGS 84']])('datum %s on a UTM grid is WGS 84', (datum, gcs) => {
    expect(parsePrj(esriTm({ datum, gcs, cm: 111, k: 0.9996 }))).toMatchObject({ srid: 32649, datum: 'wgs84' })
  })

  it('takes a bare UTM (no datum) as VN-2000 UTM, with a warning', () => {
    const crs = parsePrj(esriTm({ datum: 'D_unknown', gcs: 'GCS_unknown', cm: 105, k: 0.9996 }))
    expect(crs).toMatchObject({ srid: 3405, kind: 'utm', datum: 'unknown' })
    expect(crs.warnings.map((w) => w.code)).toEqual(['crs_datum_not_declared'])
  })

  it('reads WKT2 (PROJCRS / BASEGEOGCRS / CONVERSION)', () => {
    const wkt2 =
      'PROJCRS["VN-2000 / TM-3 108-30",BASEGEOGCRS["VN-2000",DATUM["Vietnam 2000",ELLIPSOID["WGS 84",6378137,298.257223563,LENGTHUNIT["metre",1]]],' +
      'PRIMEM["Greenwich",0,ANGLEUNIT["degree",0.0174532925199433]],ID["EPSG",4756]],CONVERSION["TM-3 108-30",METHOD["Transverse Mercator",ID["EPSG",9807]],' +
      'PARAMETER["Latitude of natural origin",0,ANGLEUNIT["degree",0.0174532925199433]],PARAMETER["Longitude of natural origin",108.5,ANGLEUNIT["degree",0.0174532925199433]],' +
      'PARAMETER["Scale factor at natural origin",0.9999,SCALEUNIT["unity",1]],PARAMETER["False easting",500000,LENGTHUNIT["metre",1]],' +
      'PARAMETER["False northing",0,LENGTHUNIT["metre",1]]],CS[Cartesian,2],AXIS["easting (X)",east,ORDER[1],LENGTHUNIT["metre",1]],' +
      'AXIS["northing (Y)",north,ORDER[2],LENGTHUNIT["metre",1]],ID["EPSG",9218]]'
    expect(parsePrj(wkt2)).toMatchObject({ srid: 9218, kind: 'tm3', datum: 'vn2000' })
  })

  it('accepts a .prj holding only an EPSG code, a byte-order mark and trailing NULs', () => {
    expect(parsePrj('EPSG:9217\n').srid).toBe(9217)
    expect(parsePrj(`\uFEFF${esriTm({ cm: 108.5 })}\0\0`).srid).toBe(9218)
  })
})

describe('parsePrj: what it must not recognise', () => {
  it.each([
    ['a TM-3 meridian no province uses', esriTm({ cm: 109 })],
    ['Hà Nội 72 (Krassovsky ellipsoid)', esriTm({ datum: 'D_Hanoi_1972', gcs: 'GCS_Hanoi_1972', cm: 108.5, spheroid: 'SPHEROID["Krasovsky_1940",6378245.0,298.3]' })],
    ['Indian 1960 with its own shift', esriTm({ datum: 'Indian_1960', gcs: 'Indian 1960', cm: 105, k: 0.9996, spheroid: 'SPHEROID["Everest 1830",6377276.345,300.8017,TOWGS84[198,881,317,0,0,0,0]]' })],
    ['a scale factor of 1', esriTm({ cm: 108.5, k: 1 })],
    ['UTM on an unknown meridian', esriTm({ cm: 99, k: 0.9996 })],
    ['Lambert conformal conic', esriTm({ cm: 108.5 }).replace('Transverse_Mercator', 'Lambert_Conformal_Conic')],
    ['feet', esriTm({ cm: 108.5 }).replace('UNIT["Meter",1.0]', 'UNIT["Foot_US",0.3048006096012192]')],
    ['Web Mercator code only', 'EPSG:3857'],
    ['an empty file', '  \r\n'],
    ['mismatched brackets', esriTm({ cm: 108.5 }).replace(/\]$/, ')')],
    ['HTML saved as .prj', '<html><body>404 Not Found</body></html>'],
  ])('%s → unknown', (_label, text) => {
    const crs = parsePrj(text)
    expect(crs.srid).toBeNull()
    expect(crs.kind).toBe('unknown')
    expect(crs.description).not.toBe('')
  })
})
