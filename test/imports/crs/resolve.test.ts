import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { Invalid } from '../../../src/errors.js'
import { resolveCrs, type Bbox, type ResolveCrsInput } from '../../../src/imports/crs/index.js'

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures/prj')
const prj = (name: string) => readFileSync(path.join(fixtures, name), 'utf8')

const GIA_LAI = 9218 // commune zone: VN-2000 / TM-3 108°30′
const TM3_METRES: Bbox = [443_600, 1_542_600, 451_200, 1_550_300] // Pleiku
const DEGREES: Bbox = [107.98, 13.95, 108.05, 14.02]
const SWAPPED_DEGREES: Bbox = [13.95, 107.98, 14.02, 108.05]
const WEB_MERCATOR: Bbox = [12_020_000, 1_570_000, 12_030_000, 1_580_000]
const FILE = 'Thua_IaKha_To12.shp'

function resolve(overrides: Partial<ResolveCrsInput>) {
  return resolveCrs({ file: FILE, prjText: null, bbox: TM3_METRES, communeSrid: GIA_LAI, ...overrides })
}

function invalid(overrides: Partial<ResolveCrsInput>): Invalid {
  try {
    resolve(overrides)
  } catch (error) {
    expect(error).toBeInstanceOf(Invalid)
    return error as Invalid
  }
  throw new Error('expected resolveCrs to refuse the file')
}

const codes = (r: ReturnType<typeof resolveCrs>) => r.findings.map((f) => `${f.severity}:${f.code}`)

describe('resolveCrs: declared and the coordinates fit', () => {
  it('uses the declared TM-3 zone, with no findings', () => {
    const r = resolve({ prjText: prj('arcgis_vn2000_tm3_10830.prj') })
    expect(r).toMatchObject({ srid: 9218, source: 'declared', findings: [] })
    expect(r.declared?.srid).toBe(9218)
  })

  it('uses a declared geographic CRS for degree coordinates', () => {
    expect(resolve({ prjText: prj('arcgis_wgs84.prj'), bbox: DEGREES })).toMatchObject({ srid: 4326, source: 'declared', findings: [] })
    expect(resolve({ prjText: prj('arcgis_vn2000_geographic.prj'), bbox: DEGREES })).toMatchObject({ srid: 4756, source: 'declared' })
  })

  it('uses a declared UTM zone without a meridian note', () => {
    expect(resolve({ prjText: prj('arcgis_vn2000_utm48n.prj'), bbox: [820_000, 1_544_000, 828_000, 1_552_000] }))
      .toMatchObject({ srid: 3405, source: 'declared', findings: [] })
  })

  it('keeps a TM-3 meridian that differs from the commune zone, with an info finding', () => {
    // New Gia Lai holds ex-Bình Định data in 108°15′.
    const r = resolve({ prjText: prj('arcgis_vn2000_tm3_10815.prj'), bbox: [570_000, 1_540_000, 590_000, 1_560_000] })
    expect(r).toMatchObject({ srid: 9217, source: 'declared' })
    expect(codes(r)).toEqual(['info:crs_meridian_differs_from_commune'])
    expect(r.findings[0]!.message).toMatch(/108°15′.*108°30′/)
    expect(r.findings[0]!.file).toBe(FILE)
  })

  it('passes on what was assumed in reading the .prj: bare TM, WGS 84 label, deprecated code', () => {
    expect(codes(resolve({ prjText: prj('microstation_bare_tm_10830.prj') }))).toEqual(['warning:crs_datum_not_declared'])
    const labelled = resolve({ prjText: prj('famis_tm3_wgs84_label_10815.prj') })
    expect(labelled.srid).toBe(9217)
    expect(codes(labelled)).toEqual(['warning:crs_datum_assumed_vn2000', 'info:crs_meridian_differs_from_commune'])
    const deprecated = resolve({ prjText: prj('qgis2_epsg6957_deprecated.prj'), communeSrid: 5897, bbox: [580_000, 2_320_000, 600_000, 2_330_000] })
    expect(deprecated).toMatchObject({ srid: 5897, source: 'declared' })
    expect(codes(deprecated)).toEqual(['warning:crs_deprecated_epsg'])
  })

  it('prefers a GeoJSON crs name over everything else', () => {
    expect(resolve({ geojsonCrsName: 'urn:ogc:def:crs:EPSG::9217', prjText: prj('arcgis_wgs84.prj') })).toMatchObject({ srid: 9217, source: 'declared' })
    expect(resolve({ geojsonCrsName: 'urn:ogc:def:crs:OGC:1.3:CRS84', bbox: DEGREES })).toMatchObject({ srid: 4326, source: 'declared', findings: [] })
  })

  it('takes the declaration as it is when the file has no coordinates', () => {
    expect(resolve({ prjText: prj('arcgis_wgs84.prj'), bbox: null })).toMatchObject({ srid: 4326, source: 'declared' })
  })
})

describe('resolveCrs: nothing declared', () => {
  it('metres: the commune zone, with a warning saying so', () => {
    const r = resolve({})
    expect(r).toMatchObject({ srid: GIA_LAI, source: 'commune_fallback', declared: null })
    expect(codes(r)).toEqual(['warning:crs_missing_fallback'])
    expect(r.findings[0]!.message).toMatch(/^Tệp Thua_IaKha_To12\.shp: không có khai báo hệ tọa độ.*EPSG:9218.*\(no CRS declared/)
  })

  it('degrees: WGS 84', () => {
    const r = resolve({ bbox: DEGREES })
    expect(r).toMatchObject({ srid: 4326, source: 'coordinates' })
    expect(codes(r)).toEqual(['warning:crs_missing_fallback'])
  })

  it('no coordinates either: the commune zone', () => {
    expect(resolve({ bbox: null })).toMatchObject({ srid: GIA_LAI, source: 'commune_fallback' })
  })

  it('coordinates that are neither: refused, naming the file', () => {
    const error = invalid({ bbox: WEB_MERCATOR })
    expect(error.message).toContain(FILE)
    expect(error.location.file).toBe(FILE)
  })
})

describe('resolveCrs: declared CRS contradicts the coordinates', () => {
  it('a VN-2000 TM-3 .prj over degrees: VN-2000 geographic 4756, saying both', () => {
    const r = resolve({ prjText: prj('arcgis_vn2000_tm3_10830.prj'), bbox: DEGREES })
    expect(r).toMatchObject({ srid: 4756, source: 'coordinates' })
    expect(codes(r)).toEqual(['warning:crs_contradicts_coordinates'])
    const message = r.findings[0]!.message
    expect(message).toContain('VN-2000 / TM-3 108°30′ (EPSG:9218)')
    expect(message).toMatch(/tọa độ là độ: kinh độ 107\.98000–108\.05000, vĩ độ 13\.95000–14\.02000/)
    expect(message).toContain('EPSG:4756')
  })

  it('a WGS 84 UTM .prj over degrees: WGS 84', () => {
    expect(resolve({ prjText: prj('arcgis_wgs84_utm48n.prj'), bbox: DEGREES })).toMatchObject({ srid: 4326, source: 'coordinates' })
  })

  it('a bare TM .prj over degrees: WGS 84, since no datum was declared', () => {
    const r = resolve({ prjText: prj('microstation_bare_tm_10830.prj'), bbox: DEGREES })
    expect(r).toMatchObject({ srid: 4326, source: 'coordinates' })
    expect(codes(r)).toEqual(['warning:crs_contradicts_coordinates'])
  })

  it('a geographic .prj over TM-3 metres: the commune zone', () => {
    const r = resolve({ prjText: prj('arcgis_wgs84.prj'), bbox: TM3_METRES })
    expect(r).toMatchObject({ srid: GIA_LAI, source: 'commune_fallback' })
    expect(codes(r)).toEqual(['warning:crs_contradicts_coordinates'])
    expect(r.findings[0]!.message).toMatch(/WGS 84 \(EPSG:4326\).*tọa độ là mét: x 443600–451200/)
  })

  it('a TM-3 .prj over metres no Vietnamese grid has: refused', () => {
    expect(invalid({ prjText: prj('arcgis_vn2000_tm3_10830.prj'), bbox: WEB_MERCATOR }).message).toMatch(/Thua_IaKha_To12\.shp.*EPSG:9218/)
  })

  it('a geographic .prj over latitude/longitude swapped: refused, saying they look swapped', () => {
    expect(invalid({ prjText: prj('arcgis_wgs84.prj'), bbox: SWAPPED_DEGREES }).message).toMatch(/bị đảo chỗ/)
  })
})

describe('resolveCrs: .prj not recognised', () => {
  it('metres: the commune zone, with crs_unrecognised', () => {
    const r = resolve({ prjText: prj('garbage_note.prj') })
    expect(r).toMatchObject({ srid: GIA_LAI, source: 'commune_fallback' })
    expect(codes(r)).toEqual(['warning:crs_unrecognised'])
    expect(r.declared).toMatchObject({ srid: null, kind: 'unknown' })
  })

  it('degrees: WGS 84, with crs_unrecognised', () => {
    const r = resolve({ prjText: prj('garbage_truncated.prj'), bbox: DEGREES })
    expect(r).toMatchObject({ srid: 4326, source: 'coordinates' })
    expect(codes(r)).toEqual(['warning:crs_unrecognised'])
  })

  it('neither: refused', () => {
    expect(invalid({ prjText: prj('garbage_note.prj'), bbox: [0, 0, 1200, 800] }).message).toContain(FILE)
  })
})
