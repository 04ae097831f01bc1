import { describe, expect, it } from 'vitest'
import { crsNameFromGeojson, parseCrsName } from '../../../src/imports/crs/index.js'

describe('parseCrsName', () => {
  it.each([
    ['urn:ogc:def:crs:EPSG::9218', 9218, 'tm3', 'vn2000'],
    ['urn:ogc:def:crs:EPSG:9.8.15:9217', 9217, 'tm3', 'vn2000'],
    ['EPSG:9218', 9218, 'tm3', 'vn2000'],
    ['epsg:5897', 5897, 'tm3', 'vn2000'],
    ['EPSG::3405', 3405, 'utm', 'vn2000'],
    ['http://www.opengis.net/def/crs/EPSG/0/4756', 4756, 'geographic', 'vn2000'],
    ['urn:ogc:def:crs:OGC:1.3:CRS84', 4326, 'geographic', 'wgs84'],
    ['urn:ogc:def:crs:OGC::CRS84', 4326, 'geographic', 'wgs84'],
    ['http://www.opengis.net/def/crs/OGC/1.3/CRS84', 4326, 'geographic', 'wgs84'],
    ['EPSG:4326', 4326, 'geographic', 'wgs84'],
    [' EPSG:32648 ', 32648, 'utm', 'wgs84'],
    ['EPSG:32649', 32649, 'utm', 'wgs84'],
  ])('%s → EPSG:%i', (name, srid, kind, datum) => {
    expect(parseCrsName(name)).toMatchObject({ srid, kind, datum })
  })

  it('reads the deprecated EPSG:6958 as 5898 and says so', () => {
    const crs = parseCrsName('urn:ogc:def:crs:EPSG::6958')
    expect(crs).toMatchObject({ srid: 5898, deprecatedSrid: 6958, centralMeridian: 108 })
    expect(crs.warnings.map((w) => w.code)).toEqual(['crs_deprecated_epsg'])
  })

  it.each(['EPSG:3857', 'urn:ogc:def:crs:EPSG::2154', 'VN2000', '', 'urn:ogc:def:crs:EPSG::abc'])('%j → unknown', (name) => {
    expect(parseCrsName(name)).toMatchObject({ srid: null, kind: 'unknown' })
  })
})

describe('crsNameFromGeojson', () => {
  it('takes the name of a named crs member and the code of the old EPSG form', () => {
    expect(crsNameFromGeojson({ type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::9218' } })).toBe('urn:ogc:def:crs:EPSG::9218')
    expect(crsNameFromGeojson({ type: 'EPSG', properties: { code: 9218 } })).toBe('EPSG:9218')
    expect(parseCrsName(crsNameFromGeojson({ type: 'EPSG', properties: { code: 9218 } })!).srid).toBe(9218)
  })

  it.each([undefined, null, 'EPSG:9218', { type: 'link', properties: { href: 'http://x/crs.prj' } }, { type: 'name' }])('%j → null', (crs) => {
    expect(crsNameFromGeojson(crs)).toBeNull()
  })
})
