/**
 * Reads a shapefile's `.prj` (tệp khai báo hệ tọa độ): ESRI WKT as ArcGIS, QGIS and GDAL
 * write it, OGC WKT1, and WKT2 in outline. The projection parameters decide, not the names:
 * "VN_2000_TM_3_zone_10830", "VN2000_Gia_Lai" and a bare "Transverse_Mercator" are all
 * EPSG:9218 when they say TM, central meridian 108.5, k 0.9999, FE 500 000, FN 0.
 */
import { declaredFromSrid, deprecatedTm3, fromZone, unknownCrs, type CrsWarning, type DeclaredCrs } from './declared.js'
import { parseCrsName } from './crs-name.js'
import { readDatum, type DatumReading } from './datum.js'
import { child, children, nodeName, numbers, parseWkt, WktSyntaxError, type WktNode } from './wkt.js'
import { DEPRECATED_TM3, VN2000_ZONES, WGS84_ZONES, meridianLabel, type CrsZone } from './zones.js'

const PROJECTED = ['PROJCS', 'PROJCRS', 'PROJECTEDCRS']
const GEOGRAPHIC = ['GEOGCS', 'GEOGCRS', 'GEODCRS', 'GEOGRAPHICCRS', 'GEODETICCRS', 'BASEGEOGCRS', 'BASEGEODCRS']
const TRANSVERSE_MERCATOR = ['transversemercator', 'gausskruger', 'gausskrueger', 'tmerc']
const DEGREE = Math.PI / 180
// A .prj is a few hundred bytes; anything far larger is not one.
const MAX_PRJ_LENGTH = 64 * 1024

const fold = (name: string | undefined) => (name ?? '').toLowerCase().replace(/[^a-z0-9]/g, '')
const near = (a: number | undefined, b: number, tolerance: number) => a !== undefined && Math.abs(a - b) <= tolerance

export function parsePrj(text: string, zones: readonly CrsZone[] = VN2000_ZONES): DeclaredCrs {
  const cleaned = text.replace(/^\uFEFF/, '').replace(/\0+/g, '').trim()
  if (cleaned === '') return unknownCrs('tệp .prj rỗng (empty .prj)')
  if (cleaned.length > MAX_PRJ_LENGTH) return unknownCrs('tệp .prj quá lớn, không phải WKT (too large to be a .prj)')
  // Some tools write just a code ("EPSG:9218") into the .prj.
  if (/^(epsg:|urn:|https?:|crs84$)/i.test(cleaned)) return parseCrsName(cleaned, zones)

  let root: WktNode
  try {
    root = parseWkt(cleaned)
  } catch (error) {
    if (!(error instanceof WktSyntaxError)) throw error
    return unknownCrs(`không đọc được WKT: ${error.message} (not well-formed WKT): "${cleaned.slice(0, 80)}"`)
  }
  return interpret(root, zones)
}

function interpret(root: WktNode, zones: readonly CrsZone[]): DeclaredCrs {
  // WKT2 wrappers: a bound CRS carries the real one as SOURCECRS, a compound one first.
  if (root.keyword === 'BOUNDCRS') {
    const source = child(root, 'SOURCECRS')?.args.find((a): a is WktNode => typeof a === 'object')
    if (source) return interpret(source, zones)
  }
  if (root.keyword === 'COMPD_CS' || root.keyword === 'COMPOUNDCRS') {
    const horizontal = root.args.find((a): a is WktNode => typeof a === 'object' && [...PROJECTED, ...GEOGRAPHIC].includes(a.keyword))
    if (horizontal) return interpret(horizontal, zones)
  }
  const reading = PROJECTED.includes(root.keyword)
    ? projected(root, zones)
    : GEOGRAPHIC.includes(root.keyword)
      ? geographic(root, zones)
      : unknownCrs(`WKT "${root.keyword}" không phải hệ tọa độ phẳng hay địa lý (neither projected nor geographic)`)
  if (reading.srid !== null) return reading
  // Parameters did not match anything known: an EPSG code on the CRS may still.
  const authority = child(root, 'AUTHORITY', 'ID')
  if (authority && fold(String(authority.args[0])) === 'epsg' && authority.args[1] !== undefined) {
    const byCode = declaredFromSrid(Number(authority.args[1]), zones)
    if (byCode.srid !== null) return byCode
  }
  return reading
}

function geographic(root: WktNode, zones: readonly CrsZone[]): DeclaredCrs {
  const name = nodeName(root) ?? ''
  const datum = readDatum(root)
  const [wgs84] = WGS84_ZONES
  if (datum.datum === 'vn2000') return fromZone(zones.find((z) => z.kind === 'geographic') ?? VN2000_ZONES.find((z) => z.kind === 'geographic')!, 'vn2000')
  if (datum.datum === 'wgs84') return fromZone(wgs84!, 'wgs84')
  if (datum.datum === 'undeclared') {
    return fromZone(wgs84!, 'unknown', [{
      code: 'crs_datum_not_declared',
      message:
        `Khai báo hệ tọa độ địa lý "${name}" không nêu datum (${datum.name ?? 'không có'}); coi là WGS 84 (EPSG:4326) ` +
        `(geographic CRS with no datum declared; read as WGS 84)`,
    }])
  }
  return unknownCrs(`hệ tọa độ địa lý "${name}", datum "${datum.name}" không phải VN-2000 hay WGS 84 (datum is neither VN-2000 nor WGS 84)`)
}

interface Projection {
  method: string
  centralMeridian?: number
  scaleFactor?: number
  falseEasting?: number
  falseNorthing?: number
  latitudeOfOrigin?: number
  /** Metres per unit of the projected coordinates. */
  linearUnit: number
}

function projected(root: WktNode, zones: readonly CrsZone[]): DeclaredCrs {
  const name = nodeName(root) ?? ''
  const base = child(root, ...GEOGRAPHIC)
  const datum = readDatum(base)
  const p = readProjection(root, base)
  const said = `"${name}"`
  if (!TRANSVERSE_MERCATOR.includes(fold(p.method))) {
    return unknownCrs(`${said}: phép chiếu "${p.method}" không phải Transverse Mercator (projection is not Transverse Mercator)`)
  }
  const parameters = {
    ...(p.centralMeridian === undefined ? {} : { centralMeridian: p.centralMeridian }),
    ...(p.scaleFactor === undefined ? {} : { scaleFactor: p.scaleFactor }),
  }
  if (!near(p.linearUnit, 1, 1e-9)) return unknownCrs(`${said}: đơn vị không phải mét (unit is not the metre)`, parameters)
  if (!near(p.latitudeOfOrigin ?? 0, 0, 1e-9) || p.centralMeridian === undefined) {
    return unknownCrs(`${said}: thiếu kinh tuyến trục hoặc vĩ độ gốc khác 0 (no central meridian, or origin latitude not 0)`, parameters)
  }
  const cm = p.centralMeridian
  const fe = p.falseEasting ?? 0
  const fn = p.falseNorthing ?? 0
  const described = `TM k=${p.scaleFactor ?? '?'}, kinh tuyến trục (central meridian) ${meridianLabel(cm)}, FE ${fe}, FN ${fn}`

  if (near(p.scaleFactor, 0.9999, 1e-9)) {
    if (near(fe, 0, 1e-3) && near(fn, 500000, 1e-3)) {
      const deprecated = DEPRECATED_TM3.find((d) => near(cm, d.centralMeridian, 1e-6))
      const warnings = datumWarnings(datum, `VN-2000 / TM-3 ${meridianLabel(cm)}`, said)
      if (deprecated && warnings) return deprecatedTm3(deprecated.srid, declaredDatum(datum), zones, warnings)
    } else if (near(fe, 500000, 1e-3) && near(fn, 0, 1e-3)) {
      const zone = zones.find((z) => z.kind === 'tm3' && near(cm, z.centralMeridian ?? NaN, 1e-6))
      if (!zone) {
        return unknownCrs(`${said}: ${described} — kinh tuyến trục không thuộc hệ TM-3 cấp tỉnh VN-2000 (not a VN-2000 provincial meridian)`, parameters)
      }
      const warnings = datumWarnings(datum, `${zone.name} (EPSG:${zone.srid})`, said)
      if (warnings) return named(fromZone(zone, declaredDatum(datum), warnings), name)
    }
  } else if (near(p.scaleFactor, 0.9996, 1e-9) && near(fe, 500000, 1e-3) && near(fn, 0, 1e-3)) {
    const utmZone = (candidates: readonly CrsZone[]) => candidates.find((z) => z.kind === 'utm' && near(cm, z.centralMeridian ?? NaN, 1e-6))
    if (datum.datum === 'wgs84') {
      const zone = utmZone(WGS84_ZONES)
      if (zone) return named(fromZone(zone, 'wgs84'), name)
    } else if (datum.datum !== 'other') {
      // UTM exists on both datums; with none named, take VN-2000, the one Vietnamese maps use.
      const zone = utmZone(zones)
      const target = zone && `${zone.name} (EPSG:${zone.srid})`
      if (zone) return named(fromZone(zone, declaredDatum(datum), datum.datum === 'undeclared' ? undeclaredWarning(datum, target!, said) : []), name)
    }
  }
  return unknownCrs(`${said}: ${described}, datum ${datum.name ?? 'không có (none)'} — không khớp hệ VN-2000/WGS 84 nào (matches no VN-2000/WGS 84 system)`, parameters)
}

/** Warnings for reading a TM-3 grid on the datum the file names; null when that is not possible. */
function datumWarnings(datum: DatumReading, target: string, said: string): CrsWarning[] | null {
  switch (datum.datum) {
    case 'vn2000':
      return []
    case 'undeclared':
      return undeclaredWarning(datum, target, said)
    case 'wgs84':
      // TM-3 with k 0.9999 is defined on VN-2000 only; a WGS 84 label on it is a mislabel
      // (common in hand-made ArcGIS .prj files, VN-2000 using the WGS 84 ellipsoid).
      return [{
        code: 'crs_datum_assumed_vn2000',
        message:
          `Khai báo ${said} đặt lưới TM-3 (k 0,9999) trên datum WGS 84 (${datum.name}); lưới TM-3 chỉ có trên VN-2000 nên đọc là ${target} — ` +
          `nếu dữ liệu thật sự ở WGS 84, vị trí lệch khoảng 100–200 m ` +
          `(TM-3 declared on WGS 84; TM-3 exists only on VN-2000, read as ${target}; if the data really is WGS 84 it is off by 100–200 m)`,
      }]
    case 'other':
      return null
  }
}

function undeclaredWarning(datum: DatumReading, target: string, said: string): CrsWarning[] {
  return [{
    code: 'crs_datum_not_declared',
    message:
      `Khai báo ${said} chỉ có phép chiếu Transverse Mercator, không nêu datum VN-2000 hay tham số TOWGS84 ` +
      `(datum: ${datum.name ?? 'không có'}); coi là ${target} ` +
      `(bare Transverse Mercator with no datum or TOWGS84; assumed ${target})`,
  }]
}

function declaredDatum(datum: DatumReading): DeclaredCrs['datum'] {
  return datum.datum === 'vn2000' || datum.datum === 'wgs84' ? datum.datum : 'unknown'
}

/** Adds the file's own name for the CRS to the description when it differs from ours. */
function named(crs: DeclaredCrs, name: string): DeclaredCrs {
  if (!name || fold(crs.description).startsWith(fold(name))) return crs
  return { ...crs, description: `${crs.description}; .prj "${name}"` }
}

type NumericParameter = 'centralMeridian' | 'scaleFactor' | 'falseEasting' | 'falseNorthing' | 'latitudeOfOrigin'

const PARAMETER_KEYS: Record<string, NumericParameter> = {
  centralmeridian: 'centralMeridian',
  longitudeofcenter: 'centralMeridian',
  longitudeofnaturalorigin: 'centralMeridian',
  longitudeoforigin: 'centralMeridian',
  scalefactor: 'scaleFactor',
  scalefactoratnaturalorigin: 'scaleFactor',
  falseeasting: 'falseEasting',
  falsenorthing: 'falseNorthing',
  latitudeoforigin: 'latitudeOfOrigin',
  latitudeofnaturalorigin: 'latitudeOfOrigin',
  latitudeofcenter: 'latitudeOfOrigin',
}

function readProjection(root: WktNode, base: WktNode | undefined): Projection {
  // WKT1: PROJECTION and PARAMETERs on the CRS; WKT2: METHOD and PARAMETERs in CONVERSION.
  const conversion = child(root, 'CONVERSION') ?? root
  const method = nodeName(child(conversion, 'PROJECTION', 'METHOD')) ?? ''
  // WKT1 angles are in the geographic CRS's unit (a radian factor); WKT2 parameters carry their own.
  const baseAngle = numbers(base && child(base, 'UNIT', 'ANGLEUNIT'))[0] ?? DEGREE
  const firstAxis = child(root, 'AXIS')
  const unitNode = child(root, 'UNIT', 'LENGTHUNIT') ?? (firstAxis && child(firstAxis, 'LENGTHUNIT'))
  const projection: Projection = { method, linearUnit: numbers(unitNode)[0] ?? 1 }
  for (const parameter of children(conversion, 'PARAMETER')) {
    const key = PARAMETER_KEYS[fold(nodeName(parameter))]
    const value = numbers(parameter)[0]
    if (!key || value === undefined) continue
    const angleUnit = numbers(child(parameter, 'ANGLEUNIT'))[0] ?? baseAngle
    const lengthUnit = numbers(child(parameter, 'LENGTHUNIT'))[0] ?? projection.linearUnit
    const isAngle = key === 'centralMeridian' || key === 'latitudeOfOrigin'
    const isLength = key === 'falseEasting' || key === 'falseNorthing'
    // False easting/northing end up in metres, angles in degrees.
    projection[key] = isAngle ? (value * angleUnit) / DEGREE : isLength ? value * lengthUnit : value
  }
  // Snap 108.50000000000001-style noise from unit conversions back onto the written value.
  if (projection.centralMeridian !== undefined) projection.centralMeridian = Math.round(projection.centralMeridian * 1e9) / 1e9
  return projection
}
