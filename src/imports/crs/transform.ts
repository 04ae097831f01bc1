/**
 * Reprojection (chuyển hệ tọa độ) of coordinates while an import streams, in JS with proj4
 * so millions of vertices do not each cost a database round trip. Definitions come from
 * PostGIS's `spatial_ref_sys.proj4text`, so JS and ST_Transform work from the same parameters
 * (the VN-2000 → WGS 84 shift of EPSG:6960 in PROJ's position-vector convention).
 */
import type { Knex } from 'knex'
import proj4 from 'proj4'
import { Invalid } from '../../errors.js'

export type Transformer = (x: number, y: number) => [number, number]

const identity: Transformer = (x, y) => [x, y]

/** Reads the proj4 definitions of both systems from spatial_ref_sys. */
async function proj4Definitions(knex: Knex | Knex.Transaction, srids: number[]): Promise<Map<number, string>> {
  const rows: Array<{ srid: number; proj4text: string | null }> = await knex('spatial_ref_sys')
    .whereIn('srid', srids)
    .select('srid', 'proj4text')
  const definitions = new Map<number, string>()
  for (const row of rows) if (row.proj4text?.trim()) definitions.set(row.srid, row.proj4text.trim())
  return definitions
}

const TOWGS84 = /\s*\+towgs84=\S+/
const ELLIPSOID = /\+(?:ellps|datum)=(\S+)/

/**
 * Two systems on the same datum (say VN-2000 UTM 48N → VN-2000 TM-3) need no datum shift,
 * but proj4js would still go out to WGS 84 and back, leaving about a millimetre of round-off.
 * Dropping the identical shift from both keeps the result exactly what PROJ computes.
 */
function withoutSharedShift(from: string, to: string): [string, string] {
  const shift = TOWGS84.exec(from)?.[0].trim()
  if (shift && shift === TOWGS84.exec(to)?.[0].trim() && ELLIPSOID.exec(from)?.[1] === ELLIPSOID.exec(to)?.[1]) {
    return [from.replace(TOWGS84, ''), to.replace(TOWGS84, '')]
  }
  return [from, to]
}

/**
 * A function reprojecting one point from `fromSrid` to `toSrid` (x/y or lon/lat in degrees).
 * Throws Invalid when either system is missing from spatial_ref_sys, and for a point that
 * cannot be projected.
 */
export async function createTransformer(knex: Knex | Knex.Transaction, fromSrid: number, toSrid: number): Promise<Transformer> {
  if (fromSrid === toSrid) return identity
  const definitions = await proj4Definitions(knex, [fromSrid, toSrid])
  const missing = [fromSrid, toSrid].filter((srid) => !definitions.has(srid))
  if (missing.length > 0) {
    throw new Invalid(
      `Hệ tọa độ ${missing.map((s) => `EPSG:${s}`).join(', ')} không có định nghĩa proj4 trong spatial_ref_sys của PostGIS ` +
        `(no proj4 definition in PostGIS spatial_ref_sys)`,
    )
  }
  const [from, to] = withoutSharedShift(definitions.get(fromSrid)!, definitions.get(toSrid)!)
  const converter = proj4(from, to)
  return (x, y) => {
    const [outX, outY] = converter.forward([x, y])
    if (!Number.isFinite(outX) || !Number.isFinite(outY)) {
      throw new Invalid(`Không chuyển được điểm (${x}, ${y}) từ EPSG:${fromSrid} sang EPSG:${toSrid} (point cannot be reprojected)`)
    }
    return [outX!, outY!]
  }
}
