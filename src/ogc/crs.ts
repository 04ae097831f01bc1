/**
 * Coordinate reference systems of the OGC API (Part 2, CRS by reference): which CRS URIs a
 * client may ask for, and what each means for PostGIS.
 *
 * - CRS84 (longitude, latitude on WGS 84): the default of the standard.
 * - EPSG:4326: the same datum, but its axis order is latitude, longitude, so coordinates are
 *   flipped on output and bbox values are read in that order.
 * - The VN-2000 TM-3 zones registered in `crs_zones` (e.g. EPSG:9218 for Gia Lai): easting,
 *   northing in metres, the CRS the parcels are stored and measured in.
 */
import type { Knex } from 'knex'
import { Invalid } from '../errors.js'

export const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84'
export const EPSG_URI = 'http://www.opengis.net/def/crs/EPSG/0/'

export interface OgcCrs {
  uri: string
  srid: number
  /** True when the CRS's first axis is latitude (EPSG:4326): output and bbox are y, x. */
  latLon: boolean
  /** Decimal places of output coordinates: about a centimetre either way. */
  decimals: number
  name: string
}

const CRS84_ENTRY: OgcCrs = { uri: CRS84, srid: 4326, latLon: false, decimals: 7, name: 'WGS 84 (CRS84, longitude/latitude)' }
const EPSG4326_ENTRY: OgcCrs = { uri: `${EPSG_URI}4326`, srid: 4326, latLon: true, decimals: 7, name: 'WGS 84 (EPSG:4326, latitude/longitude)' }

const byDatabase = new WeakMap<Knex, Promise<OgcCrs[]>>()

/** Every CRS the API serves: CRS84 first (the default), EPSG:4326, then each VN-2000 TM-3 zone. */
export function supportedCrs(knex: Knex): Promise<OgcCrs[]> {
  let list = byDatabase.get(knex)
  if (!list) {
    list = knex('crs_zones')
      .where({ kind: 'tm3' })
      .orderBy('central_meridian')
      .select('srid', 'name')
      .then((zones) => [
        CRS84_ENTRY,
        EPSG4326_ENTRY,
        ...zones.map((z: { srid: number; name: string }) => ({ uri: `${EPSG_URI}${z.srid}`, srid: z.srid, latLon: false, decimals: 3, name: z.name })),
      ])
    list.catch(() => byDatabase.delete(knex))
    byDatabase.set(knex, list)
  }
  return list
}

/** The URI of an EPSG code, for `storageCrs` and Content-Crs. */
export const epsgUri = (srid: number) => `${EPSG_URI}${srid}`

/**
 * The CRS named by a query parameter (`crs` or `bbox-crs`): a URI, or a safe CURIE such as
 * `[EPSG:9218]`. Absent → CRS84. Unknown → 400 listing what is served.
 */
export async function resolveCrs(knex: Knex, value: unknown, parameter: string): Promise<OgcCrs> {
  if (value === undefined || value === '') return CRS84_ENTRY
  if (typeof value !== 'string') throw new Invalid(`Tham số ${parameter} chỉ được có một giá trị (${parameter} given more than once).`, { field: parameter })
  const list = await supportedCrs(knex)
  const wanted = normaliseCrs(value.trim())
  const found = list.find((c) => c.uri === wanted)
  if (!found) {
    throw new Invalid(
      `Hệ tọa độ "${value}" không được hỗ trợ; dùng một trong: ${list.map((c) => c.uri).join(', ')} (unsupported ${parameter}).`,
      { field: parameter },
      { supported: list.map((c) => c.uri) },
    )
  }
  return found
}

/** `[EPSG:9218]`, `EPSG:9218`, `https://…/EPSG/0/9218` and `[OGC:CRS84]` → the canonical http URI. */
function normaliseCrs(value: string): string {
  const curie = /^\[?(EPSG|OGC):(?:[\d.]+:)?([A-Za-z0-9]+)\]?$/i.exec(value)
  if (curie) return curie[1]!.toUpperCase() === 'EPSG' ? `${EPSG_URI}${curie[2]}` : curie[2]!.toUpperCase() === 'CRS84' ? CRS84 : value
  return value.replace(/^https:\/\//, 'http://')
}
