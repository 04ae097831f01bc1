/**
 * CRS names as GeoJSON and web services write them (tên hệ tọa độ): "EPSG:9218",
 * "urn:ogc:def:crs:EPSG::9218", "http://www.opengis.net/def/crs/EPSG/0/9218", and CRS84.
 */
import { declaredFromSrid, fromZone, unknownCrs, type DeclaredCrs } from './declared.js'
import { VN2000_ZONES, WGS84_ZONES, type CrsZone } from './zones.js'

const CRS84 = [
  /^urn:ogc:def:crs:ogc:(?:1\.3)?:crs84$/i,
  /^https?:\/\/www\.opengis\.net\/def\/crs\/ogc\/1\.3\/crs84$/i,
  /^(?:ogc:)?crs84$/i,
]

const EPSG = [
  /^urn:(?:x-)?ogc:def:crs:epsg:[\d.]*:(\d+)$/i,
  /^https?:\/\/www\.opengis\.net\/def\/crs\/epsg\/[^/]+\/(\d+)$/i,
  /^epsg::?(\d+)$/i,
]

export function parseCrsName(name: string, zones: readonly CrsZone[] = VN2000_ZONES): DeclaredCrs {
  const text = name.trim()
  // GeoJSON's CRS84 is lon/lat WGS 84; "EPSG:4326" is read the same way since GeoJSON
  // writers put longitude first whatever the name says.
  if (CRS84.some((re) => re.test(text))) return fromZone(WGS84_ZONES[0]!, 'wgs84')
  for (const re of EPSG) {
    const match = re.exec(text)
    if (match) return declaredFromSrid(Number(match[1]), zones)
  }
  return unknownCrs(`"${text.slice(0, 120)}" (không phải tên hệ tọa độ đã biết — not a known CRS name)`)
}

/**
 * The name inside a GeoJSON `crs` member: the 2008 spec's named form
 * `{"type":"name","properties":{"name":…}}` and its older `{"type":"EPSG","properties":{"code":n}}`.
 * Null when the member is absent or of another form (linked CRS).
 */
export function crsNameFromGeojson(crs: unknown): string | null {
  if (typeof crs !== 'object' || crs === null) return null
  const { type, properties } = crs as { type?: unknown; properties?: Record<string, unknown> }
  if (typeof properties !== 'object' || properties === null) return null
  if (type === 'name' && typeof properties.name === 'string') return properties.name
  if (typeof type === 'string' && type.toUpperCase() === 'EPSG' && (typeof properties.code === 'number' || typeof properties.code === 'string')) {
    return `EPSG:${properties.code}`
  }
  return null
}
