/**
 * What a file says about its coordinate reference system (hệ tọa độ khai báo), once read
 * from a .prj or a GeoJSON `crs` member: the EPSG code it amounts to and the assumptions made
 * on the way. Whether the coordinates agree is resolve.ts's question.
 */
import { DEPRECATED_TM3, VN2000_ZONES, WGS84_ZONES, meridianLabel, type CrsZone } from './zones.js'

export type CrsKind = 'tm3' | 'utm' | 'geographic' | 'unknown'
export type CrsDatum = 'vn2000' | 'wgs84' | 'unknown'

export interface CrsWarning {
  code: 'crs_datum_not_declared' | 'crs_datum_assumed_vn2000' | 'crs_deprecated_epsg'
  /** Vietnamese first, English in parentheses. */
  message: string
}

export interface DeclaredCrs {
  /** The EPSG code to load the data with if the coordinates agree; null when not recognised. */
  srid: number | null
  kind: CrsKind
  /**
   * The datum the file names. A bare TM-3 (no datum) is still loaded as VN-2000 (srid says
   * so) but keeps 'unknown' here: the file never said VN-2000.
   */
  datum: CrsDatum
  centralMeridian?: number
  scaleFactor?: number
  /** For people: the system recognised, and the name the file gave it when different. */
  description: string
  /** The deprecated EPSG 6956–6959 the file named; srid is then its replacement. */
  deprecatedSrid?: number
  /** Assumptions made while reading the declaration; each becomes an import finding. */
  warnings: CrsWarning[]
}

export function unknownCrs(description: string, extra: Partial<DeclaredCrs> = {}): DeclaredCrs {
  return { srid: null, kind: 'unknown', datum: 'unknown', description, warnings: [], ...extra }
}

/** A declaration naming an EPSG code directly (AUTHORITY, GeoJSON `crs`, "EPSG:9218"). */
export function declaredFromSrid(srid: number, zones: readonly CrsZone[] = VN2000_ZONES): DeclaredCrs {
  const vn2000 = zones.find((z) => z.srid === srid)
  if (vn2000) return fromZone(vn2000, 'vn2000')
  const wgs84 = WGS84_ZONES.find((z) => z.srid === srid)
  if (wgs84) return fromZone(wgs84, 'wgs84')
  const deprecated = DEPRECATED_TM3.find((d) => d.srid === srid)
  if (deprecated) return deprecatedTm3(deprecated.srid, 'vn2000', zones)
  return unknownCrs(`EPSG:${srid} (không phải hệ VN-2000/WGS 84 được hỗ trợ — not a supported VN-2000/WGS 84 system)`)
}

export function fromZone(zone: CrsZone, datum: CrsDatum, warnings: CrsWarning[] = []): DeclaredCrs {
  return {
    srid: zone.srid,
    kind: zone.kind,
    datum,
    ...(zone.centralMeridian === null ? {} : { centralMeridian: zone.centralMeridian }),
    ...(zone.scaleFactor === null ? {} : { scaleFactor: zone.scaleFactor }),
    description: `${zone.name} (EPSG:${zone.srid})`,
    warnings,
  }
}

/** EPSG 6956–6959 read as the replacement with FE 500 000, FN 0 (see DEPRECATED_TM3). */
export function deprecatedTm3(srid: number, datum: CrsDatum, zones: readonly CrsZone[], warnings: CrsWarning[] = []): DeclaredCrs {
  const deprecated = DEPRECATED_TM3.find((d) => d.srid === srid)!
  const replacement = zones.find((z) => z.srid === deprecated.replacedBy)
  const replacementLabel = `${replacement?.name ?? `VN-2000 / TM-3 ${meridianLabel(deprecated.centralMeridian)}`} (EPSG:${deprecated.replacedBy})`
  return {
    srid: deprecated.replacedBy,
    kind: 'tm3',
    datum,
    centralMeridian: deprecated.centralMeridian,
    scaleFactor: 0.9999,
    description: `${replacementLabel}; khai báo là EPSG:${srid} "${deprecated.name}" đã hủy (declared as deprecated EPSG:${srid})`,
    deprecatedSrid: srid,
    warnings: [
      ...warnings,
      {
        code: 'crs_deprecated_epsg',
        message:
          `Khai báo hệ tọa độ là EPSG:${srid} (${deprecated.name}), mã EPSG đã hủy vì hoán đổi false easting và false northing ` +
          `(FE 0, FN 500000); đọc theo mã thay thế ${replacementLabel} với FE 500000, FN 0 ` +
          `(deprecated EPSG:${srid} has false easting/northing swapped; read as its replacement EPSG:${deprecated.replacedBy})`,
      },
    ],
  }
}
