/**
 * The coordinate reference systems (hệ tọa độ) an import can recognise: the VN-2000 zones of
 * the `crs_zones` table (TM-3 per provincial central meridian, UTM 48N/49N, geographic), the
 * WGS 84 ones GPS and web tools deliver, and the deprecated EPSG 6956–6959.
 *
 * `VN2000_ZONES` mirrors the rows the migration writes so that parsing a .prj needs no
 * database round trip; `loadCrsZones` reads the table itself, and a test keeps the two equal.
 */
import type { Knex } from 'knex'

export type ZoneKind = 'tm3' | 'utm' | 'geographic'

export interface CrsZone {
  srid: number
  name: string
  kind: ZoneKind
  /** Degrees east; null for geographic systems. */
  centralMeridian: number | null
  scaleFactor: number | null
}

const tm3 = (srid: number, centralMeridian: number, label: string): CrsZone => ({
  srid, name: `VN-2000 / TM-3 ${label}`, kind: 'tm3', centralMeridian, scaleFactor: 0.9999,
})

/** Same rows as `crs_zones` (migration 20261123100100_vn2000_crs). */
export const VN2000_ZONES: readonly CrsZone[] = [
  tm3(9205, 103, '103°00′'),
  tm3(9206, 104, '104°00′'),
  tm3(9207, 104.5, '104°30′'),
  tm3(9208, 104.75, '104°45′'),
  tm3(5897, 105, '105°00′'),
  tm3(9209, 105.5, '105°30′'),
  tm3(9210, 105.75, '105°45′'),
  tm3(9211, 106, '106°00′'),
  tm3(9212, 106.25, '106°15′'),
  tm3(9213, 106.5, '106°30′'),
  tm3(9214, 107, '107°00′'),
  tm3(9215, 107.25, '107°15′'),
  tm3(9216, 107.5, '107°30′'),
  tm3(5899, 107.75, '107°45′'),
  tm3(5898, 108, '108°00′'),
  tm3(9217, 108.25, '108°15′'),
  tm3(9218, 108.5, '108°30′'),
  { srid: 3405, name: 'VN-2000 / UTM zone 48N', kind: 'utm', centralMeridian: 105, scaleFactor: 0.9996 },
  { srid: 3406, name: 'VN-2000 / UTM zone 49N', kind: 'utm', centralMeridian: 111, scaleFactor: 0.9996 },
  { srid: 4756, name: 'VN-2000', kind: 'geographic', centralMeridian: null, scaleFactor: null },
]

/** WGS 84 systems seen in deliveries (GPS receivers, Google Earth, web exports). */
export const WGS84_ZONES: readonly CrsZone[] = [
  { srid: 4326, name: 'WGS 84', kind: 'geographic', centralMeridian: null, scaleFactor: null },
  { srid: 32648, name: 'WGS 84 / UTM zone 48N', kind: 'utm', centralMeridian: 105, scaleFactor: 0.9996 },
  { srid: 32649, name: 'WGS 84 / UTM zone 49N', kind: 'utm', centralMeridian: 111, scaleFactor: 0.9996 },
]

/**
 * EPSG 6956–6959: VN-2000 TM-3 definitions deprecated because their false easting and false
 * northing were swapped (FE 0, FN 500 000). Data labelled with them is almost always in the
 * real TM-3 grid of the replacement code.
 */
export const DEPRECATED_TM3: ReadonlyArray<{ srid: number; centralMeridian: number; replacedBy: number; name: string }> = [
  { srid: 6956, centralMeridian: 102, replacedBy: 5896, name: 'VN-2000 / TM-3 zone 481' },
  { srid: 6957, centralMeridian: 105, replacedBy: 5897, name: 'VN-2000 / TM-3 zone 482' },
  { srid: 6958, centralMeridian: 108, replacedBy: 5898, name: 'VN-2000 / TM-3 zone 491' },
  { srid: 6959, centralMeridian: 107.75, replacedBy: 5899, name: 'VN-2000 / TM-3 Da Nang zone' },
]

/** 108.5 → "108°30′", the way meridians are written in Vietnamese regulations. */
export function meridianLabel(degrees: number): string {
  const whole = Math.floor(degrees + 1e-9)
  const minutes = Math.round((degrees - whole) * 60)
  return `${whole}°${String(minutes).padStart(2, '0')}′`
}

/** "VN-2000 / TM-3 108°30′ (EPSG:9218)" for a known srid, "EPSG:n" otherwise. */
export function crsLabel(srid: number, zones: readonly CrsZone[] = VN2000_ZONES): string {
  const zone = findZone(srid, zones)
  if (zone) return `${zone.name} (EPSG:${srid})`
  const deprecated = DEPRECATED_TM3.find((d) => d.srid === srid)
  if (deprecated) return `${deprecated.name} (EPSG:${srid}, deprecated)`
  return `EPSG:${srid}`
}

export function findZone(srid: number, zones: readonly CrsZone[] = VN2000_ZONES): CrsZone | undefined {
  return zones.find((z) => z.srid === srid) ?? WGS84_ZONES.find((z) => z.srid === srid)
}

/** Reads `crs_zones`, the source of truth for which EPSG code belongs to which meridian. */
export async function loadCrsZones(knex: Knex | Knex.Transaction): Promise<CrsZone[]> {
  const rows: Array<{ srid: number; name: string; kind: ZoneKind; central_meridian: number | null; scale_factor: number | null }> =
    await knex('crs_zones').select('srid', 'name', 'kind', 'central_meridian', 'scale_factor').orderBy('srid')
  return rows.map((r) => ({
    srid: r.srid,
    name: r.name,
    kind: r.kind,
    centralMeridian: r.central_meridian === null ? null : Number(r.central_meridian),
    scaleFactor: r.scale_factor === null ? null : Number(r.scale_factor),
  }))
}
