/**
 * A record's point (tọa độ thửa), when the register carries one: X/Y in VN-2000 TM-3 metres
 * or longitude/latitude in degrees. Vietnamese surveying writes X for the northing and Y for
 * the easting, GIS tools the reverse; in Vietnam the two never overlap (eastings 100–900 km,
 * northings 900–2,700 km), so the order is read from the values. Degrees written in X/Y
 * columns are recognised the same way. Anything else is not guessed: the row loads without
 * a point and the finding says why.
 */
export type RecordLocation =
  | { ok: true; ewkt: string; raw: string }
  | { ok: false; raw: string }
  | null

const EASTING: [number, number] = [100_000, 900_000]
const NORTHING: [number, number] = [900_000, 2_700_000]
const LONGITUDE: [number, number] = [100, 112]
const LATITUDE: [number, number] = [7, 24]
const within = (v: number, [lo, hi]: [number, number]) => v >= lo && v < hi

/** "1 552 345,12", "1,552,345.12", "108.123456" → number; null when not a number. */
export function readCoordinate(raw: string | number | null | undefined): number | null {
  if (raw === null || raw === undefined) return null
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : null
  let text = raw.normalize('NFC').trim().replace(/[\s\u00a0\u202f]/g, '')
  if (!/^[+-]?\d[\d.,]*$/.test(text)) return null
  const lastDot = text.lastIndexOf('.')
  const lastComma = text.lastIndexOf(',')
  const dots = text.split('.').length - 1
  const commas = text.split(',').length - 1
  if (dots > 0 && commas > 0) {
    const decimal = lastDot > lastComma ? '.' : ','
    text = text.replaceAll(decimal === '.' ? ',' : '.', '').replace(',', '.')
  } else if (commas === 1) text = text.replace(',', '.')
  else if (commas > 1) text = text.replaceAll(',', '')
  else if (dots > 1) text = text.replaceAll('.', '')
  const value = Number(text)
  return Number.isFinite(value) ? value : null
}

/**
 * The point of X/Y cells (`kind: 'xy'`) or longitude/latitude cells, as EWKT in `srid` (metres)
 * or 4326 (degrees, transformed to the commune's CRS after loading). Both cells empty: null.
 */
export function readLocation(kind: 'xy' | 'lonlat', first: string | number | null, second: string | number | null, srid: number): RecordLocation {
  const empty = (v: unknown) => v === null || v === undefined || (typeof v === 'string' && v.trim() === '')
  if (empty(first) && empty(second)) return null
  const raw = kind === 'xy' ? `X=${String(first ?? '').trim()}; Y=${String(second ?? '').trim()}` : `kinh độ ${String(first ?? '').trim()}; vĩ độ ${String(second ?? '').trim()}`
  const a = readCoordinate(first)
  const b = readCoordinate(second)
  if (a === null || b === null) return { ok: false, raw }
  if (kind === 'xy') {
    if (within(a, NORTHING) && within(b, EASTING)) return { ok: true, ewkt: point(srid, b, a), raw }
    if (within(a, EASTING) && within(b, NORTHING)) return { ok: true, ewkt: point(srid, a, b), raw }
  }
  if (within(a, LONGITUDE) && within(b, LATITUDE)) return { ok: true, ewkt: point(4326, a, b), raw }
  if (within(a, LATITUDE) && within(b, LONGITUDE)) return { ok: true, ewkt: point(4326, b, a), raw }
  return { ok: false, raw }
}

function point(srid: number, x: number, y: number): string {
  return `SRID=${srid};POINT(${x} ${y})`
}
