/**
 * What a file's coordinates (tọa độ) look like, from their extent alone: longitude/latitude
 * degrees over Vietnam, VN-2000 TM-3/UTM metres, or neither. This is how a declared CRS that
 * contradicts the data is caught.
 */
import type { CrsKind } from './declared.js'

/** [minX, minY, maxX, maxY] in the file's own units. */
export type Bbox = [number, number, number, number]

export type CoordinateGuess = 'degrees' | 'tm3_or_utm_metres' | 'unknown'

interface Range {
  minX: number
  maxX: number
  minY: number
  maxY: number
}

/**
 * Mainland Vietnam spans lon 102.1–109.5, lat 8.2–23.4. Degrees get a margin wide enough for
 * the island districts (Phú Quốc, Côn Đảo, Hoàng Sa, Trường Sa); the two ranges still do not
 * overlap, so latitude/longitude written the wrong way round fit neither.
 * Metres: TM-3 eastings stay within about 3° of the meridian (x 100–900 km), UTM 48N reaches
 * 109.5°E (x up to about 990 km); northings run from lat 7.2° (y ≈ 800 km) to 24.4°.
 */
export const VIETNAM_RANGES: Readonly<Record<'geographic' | 'tm3' | 'utm', Range>> = {
  geographic: { minX: 101, maxX: 118, minY: 6, maxY: 24.5 },
  tm3: { minX: 100_000, maxX: 900_000, minY: 800_000, maxY: 2_700_000 },
  utm: { minX: 100_000, maxX: 1_000_000, minY: 800_000, maxY: 2_700_000 },
}

function within(bbox: Bbox, range: Range): boolean {
  const [minX, minY, maxX, maxY] = bbox
  return bbox.every(Number.isFinite) && minX <= maxX && minY <= maxY &&
    minX >= range.minX && maxX <= range.maxX && minY >= range.minY && maxY <= range.maxY
}

/** Whether every coordinate of the extent is plausible for Vietnam in a CRS of this kind. */
export function fitsCrs(bbox: Bbox, kind: CrsKind): boolean {
  return kind !== 'unknown' && within(bbox, VIETNAM_RANGES[kind])
}

export function guessFromCoordinates(bbox: Bbox): CoordinateGuess {
  if (fitsCrs(bbox, 'geographic')) return 'degrees'
  // The UTM range contains the TM-3 one.
  if (fitsCrs(bbox, 'utm')) return 'tm3_or_utm_metres'
  return 'unknown'
}

/** The extent in words for findings and errors: Vietnamese, then English in parentheses. */
export function describeCoordinates(bbox: Bbox): string {
  const [minX, minY, maxX, maxY] = bbox
  const guess = guessFromCoordinates(bbox)
  if (guess === 'degrees') {
    const d = (v: number) => v.toFixed(5)
    return `tọa độ là độ: kinh độ ${d(minX)}–${d(maxX)}, vĩ độ ${d(minY)}–${d(maxY)} (coordinates are degrees: lon ${d(minX)}–${d(maxX)}, lat ${d(minY)}–${d(maxY)})`
  }
  const m = (v: number) => (Number.isFinite(v) ? (Math.abs(v) >= 1000 ? Math.round(v) : Number(v.toPrecision(6))).toString() : String(v))
  const span = `x ${m(minX)}–${m(maxX)}, y ${m(minY)}–${m(maxY)}`
  if (guess === 'tm3_or_utm_metres') return `tọa độ là mét: ${span} (coordinates are metres: ${span})`
  const swapped: Bbox = [minY, minX, maxY, maxX]
  if (fitsCrs(swapped, 'geographic')) {
    return `tọa độ ${span} giống độ nhưng vĩ độ và kinh độ bị đảo chỗ (coordinates ${span} look like degrees with latitude and longitude swapped)`
  }
  return `tọa độ ${span} không phải độ hay mét VN-2000 trong phạm vi Việt Nam (coordinates ${span} are neither degrees nor VN-2000 metres within Vietnam)`
}
