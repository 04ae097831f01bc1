/**
 * Decides which CRS (hệ tọa độ) a delivered file is really in, from what it declares (.prj or
 * GeoJSON `crs`), what its coordinates look like, and the commune's zone as the fallback.
 * Every decision other than "declared and the coordinates agree" leaves a finding saying what
 * was assumed; a file that cannot be placed at all is refused with `Invalid`.
 */
import { Invalid } from '../../errors.js'
import type { Finding, Severity } from '../findings.js'
import { parseCrsName } from './crs-name.js'
import { describeCoordinates, fitsCrs, guessFromCoordinates, type Bbox } from './coordinates.js'
import type { DeclaredCrs } from './declared.js'
import { parsePrj } from './prj.js'
import { VN2000_ZONES, crsLabel, meridianLabel, type CrsZone } from './zones.js'

export interface ResolveCrsInput {
  file: string
  /** The .prj text; null when the file came without one. */
  prjText: string | null
  /** The GeoJSON `crs` member's name (see crsNameFromGeojson); takes precedence over prjText. */
  geojsonCrsName?: string | null
  /** Extent of the coordinates; null when the file has none, so only the declaration counts. */
  bbox: Bbox | null
  /** The EPSG code of the commune's TM-3 zone, the fallback when the file says nothing usable. */
  communeSrid: number
  /** Defaults to the built-in copy of `crs_zones`; pass loadCrsZones(knex) to use the table. */
  zones?: readonly CrsZone[]
}

export type CrsSource = 'declared' | 'commune_fallback' | 'coordinates'

export interface ResolvedCrs {
  srid: number
  source: CrsSource
  findings: Finding[]
  /** What the file declared, null when it declared nothing. */
  declared: DeclaredCrs | null
}

const WGS84 = 4326
const VN2000_GEOGRAPHIC = 4756

export function resolveCrs(input: ResolveCrsInput): ResolvedCrs {
  const zones = input.zones ?? VN2000_ZONES
  const { file, bbox, communeSrid } = input
  const declared = input.geojsonCrsName
    ? parseCrsName(input.geojsonCrsName, zones)
    : input.prjText !== null && input.prjText !== undefined
      ? parsePrj(input.prjText, zones)
      : null
  const guess = bbox ? guessFromCoordinates(bbox) : null
  const seen = bbox ? describeCoordinates(bbox) : 'tệp không có tọa độ (no coordinates)'
  const commune = crsLabel(communeSrid, zones)
  const findings: Finding[] = []
  const add = (code: string, severity: Severity, message: string, details: Record<string, unknown> = {}) =>
    findings.push({ code, severity, message, file, details: { ...details, declaredSrid: declared?.srid ?? null, bbox } })
  const result = (srid: number, source: CrsSource): ResolvedCrs => ({ srid, source, findings, declared })
  const refuse = (why: string): never => {
    throw new Invalid(`Tệp ${file}: không xác định được hệ tọa độ — ${why} (cannot determine the coordinate reference system)`, { file }, {
      declared: declared?.description ?? null, bbox,
    })
  }

  // Nothing usable declared: the coordinates choose between degrees and the commune's zone.
  if (!declared || declared.srid === null) {
    const code = declared ? 'crs_unrecognised' : 'crs_missing_fallback'
    const vi = declared ? `không nhận ra khai báo hệ tọa độ: ${declared.description}` : 'không có khai báo hệ tọa độ (.prj)'
    const en = declared ? 'CRS declaration not recognised' : 'no CRS declared'
    if (guess === 'unknown') refuse(`${vi}, và ${seen}`)
    if (guess === 'degrees') {
      add(code, 'warning', `Tệp ${file}: ${vi}; ${seen}; coi là WGS 84 (EPSG:4326) (${en}; degree coordinates read as WGS 84)`, { usedSrid: WGS84 })
      return result(WGS84, 'coordinates')
    }
    add(code, 'warning',
      `Tệp ${file}: ${vi}; dùng hệ tọa độ của xã ${commune}, hãy kiểm tra kinh tuyến trục của bộ dữ liệu ` +
      `(${en}; using the commune's zone ${commune}: check the dataset's central meridian)`, { usedSrid: communeSrid })
    return result(communeSrid, 'commune_fallback')
  }

  const said = declared.description
  if (guess === null || fitsCrs(bbox!, declared.kind)) {
    // What was assumed in reading the declaration matters only when the declaration is used.
    for (const w of declared.warnings) findings.push({ code: w.code, severity: 'warning', message: w.message, file })
    const zone = zones.find((z) => z.srid === communeSrid)
    // The meridian belongs to the dataset: keep it, but say it is not the commune's zone.
    if (declared.kind === 'tm3' && zone?.kind === 'tm3' && zone.centralMeridian !== declared.centralMeridian) {
      add('crs_meridian_differs_from_commune', 'info',
        `Tệp ${file} ở ${said}, kinh tuyến trục ${meridianLabel(declared.centralMeridian!)} khác kinh tuyến trục của xã ` +
        `${meridianLabel(zone.centralMeridian!)} (${commune}); giữ hệ tọa độ của bộ dữ liệu ` +
        `(the dataset's central meridian differs from the commune's zone; the dataset's is kept)`)
    }
    return result(declared.srid, 'declared')
  }

  if (declared.kind === 'geographic') {
    if (guess === 'tm3_or_utm_metres') {
      add('crs_contradicts_coordinates', 'warning',
        `Tệp ${file} khai báo hệ tọa độ địa lý ${said} nhưng ${seen}; dùng hệ tọa độ của xã ${commune} ` +
        `(declares a geographic CRS but the coordinates are metres: using the commune's zone)`, { usedSrid: communeSrid })
      return result(communeSrid, 'commune_fallback')
    }
    return refuse(`khai báo ${said} nhưng ${seen}`)
  }

  // Declared projected (TM-3 or UTM).
  if (guess === 'degrees') {
    const srid = declared.datum === 'vn2000' ? VN2000_GEOGRAPHIC : WGS84
    add('crs_contradicts_coordinates', 'warning',
      `Tệp ${file} khai báo hệ tọa độ phẳng ${said} nhưng ${seen}; đọc là ${crsLabel(srid, zones)} ` +
      `(declares a projected CRS but the coordinates are degrees: read as ${crsLabel(srid, zones)})`, { usedSrid: srid })
    return result(srid, 'coordinates')
  }
  return refuse(`khai báo ${said} nhưng ${seen}`)
}
