/**
 * Which datum (hệ quy chiếu) a WKT geographic CRS names: VN-2000, WGS 84, none at all, or
 * something else. Names vary by software ("D_Vietnam_2000", "Vietnam_2000", "VN-2000",
 * "VN_2000", "D_WGS_1984", "WGS_1984"); the TOWGS84 shift and the EPSG datum code count too.
 */
import { child, nodeName, numbers, type WktNode } from './wkt.js'

/** 'undeclared': no datum, or an unnamed one on the WGS 84 ellipsoid with no shift. */
export type DatumClass = 'vn2000' | 'wgs84' | 'undeclared' | 'other'

export interface DatumReading {
  datum: DatumClass
  /** The datum (or geographic CRS) name as written, for messages. */
  name: string | null
}

const VN2000_NAMES = ['vietnam2000', 'vn2000']
const WGS84_NAMES = ['wgs1984', 'wgs84', 'worldgeodeticsystem1984']
const PLACEHOLDER_NAMES = ['unknown', 'unnamed', 'unspecified', 'notspecified', 'userdefined', 'custom', 'none']
const VN2000_DATUM_CODES = ['6756']
const WGS84_DATUM_CODES = ['6326']

const fold = (name: string | undefined) => (name ?? '').toLowerCase().replace(/[^a-z0-9]/g, '')

// The translation of EPSG:6960 in either rotation convention; 3-parameter variants also
// circulate, so only the translation is compared, loosely.
function isVn2000Shift(towgs84: number[]): boolean {
  const [dx, dy, dz] = towgs84
  return dx !== undefined && dy !== undefined && dz !== undefined &&
    Math.abs(dx + 191.9) < 2 && Math.abs(dy + 39.3) < 2 && Math.abs(dz + 111.45) < 2
}

function isWgs84Ellipsoid(spheroid: WktNode | undefined): boolean {
  if (!spheroid) return true // not given: nothing contradicts WGS 84
  const [a, inverseFlattening] = numbers(spheroid)
  return a !== undefined && inverseFlattening !== undefined &&
    Math.abs(a - 6378137) < 0.01 && Math.abs(inverseFlattening - 298.257223563) < 1e-6
}

function authorityCode(node: WktNode | undefined): string | undefined {
  const authority = node && child(node, 'AUTHORITY', 'ID')
  const code = authority?.args[1]
  return code === undefined ? undefined : String(code)
}

/** Reads the datum of a GEOGCS / GEOGCRS / BASEGEOGCRS node (undefined: no geographic CRS given). */
export function readDatum(geographic: WktNode | undefined): DatumReading {
  if (!geographic) return { datum: 'undeclared', name: null }
  const datumNode = child(geographic, 'DATUM', 'GEODETICDATUM', 'TRF', 'ENSEMBLE')
  const datumName = nodeName(datumNode)
  const name = datumName ?? nodeName(geographic) ?? null
  const names = [fold(datumName), fold(nodeName(geographic))]
  const towgs84 = numbers(datumNode && child(datumNode, 'TOWGS84'))
  const code = authorityCode(datumNode)
  const spheroid = datumNode && child(datumNode, 'SPHEROID', 'ELLIPSOID')

  if ((code && VN2000_DATUM_CODES.includes(code)) || isVn2000Shift(towgs84) ||
    names.some((n) => VN2000_NAMES.some((vn) => n.includes(vn)))) {
    return { datum: isWgs84Ellipsoid(spheroid) ? 'vn2000' : 'other', name }
  }
  const shifted = towgs84.some((v) => v !== 0)
  if (!isWgs84Ellipsoid(spheroid) || shifted) return { datum: 'other', name }
  // ESRI writes "D_Unknown_based_on_WGS_1984_ellipsoid": a placeholder, not a WGS 84 claim.
  if (names.some((n) => PLACEHOLDER_NAMES.some((p) => n.includes(p)))) return { datum: 'undeclared', name }
  if ((code && WGS84_DATUM_CODES.includes(code)) || names.some((n) => WGS84_NAMES.some((w) => n.includes(w)))) {
    return { datum: 'wgs84', name }
  }
  // Named something we do not know, but on the WGS 84 ellipsoid with no shift: as good as no datum.
  return { datum: 'undeclared', name }
}
