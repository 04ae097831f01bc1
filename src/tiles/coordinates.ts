/**
 * Tile coordinates (ô lưới bản đồ): z/x/y of the Web Mercator (EPSG:3857) tile pyramid, the
 * zoom levels at which each layer is drawn, and the tile that holds a longitude/latitude.
 */
import { Invalid } from '../errors.js'

/** Deepest zoom served (about 4 cm a pixel). */
export const MAX_ZOOM = 22
/**
 * Parcels are drawn from this zoom on (a tile is then at most ~5 km across, a few thousand
 * parcels); lower zooms carry commune boundaries only, so a province-wide tile never scans parcels.
 */
export const PARCELS_MIN_ZOOM = 13
/** Tile coordinate space and the margin kept around it, as ST_AsMVT and geojson-vt use them. */
export const TILE_EXTENT = 4096
export const TILE_BUFFER = 64

export interface TileCoord {
  z: number
  x: number
  y: number
}

const EARTH_CIRCUMFERENCE_M = 40_075_016.685578488

/** The tile named by a request, or Invalid naming the coordinate that is out of range. */
export function tileCoord(raw: Record<string, unknown>): TileCoord {
  const z = integer(raw.z, 'z', 0, MAX_ZOOM)
  const last = 2 ** z - 1
  return { z, x: integer(raw.x, 'x', 0, last), y: integer(raw.y, 'y', 0, last) }
}

function integer(value: unknown, field: string, min: number, max: number): number {
  const n = typeof value === 'string' && /^\d{1,8}$/.test(value) ? Number(value) : typeof value === 'number' ? value : Number.NaN
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Invalid(`Tọa độ ô bản đồ ${field} = ${String(value)} không hợp lệ: cần số nguyên từ ${min} đến ${max} (tile ${field} out of range).`, { field })
  }
  return n
}

/** The tile at zoom z that contains the point (WGS84 degrees). */
export function tileAt(lon: number, lat: number, z: number): TileCoord {
  const n = 2 ** z
  const rad = (lat * Math.PI) / 180
  const x = Math.floor(((lon + 180) / 360) * n)
  const y = Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n)
  const clamp = (v: number) => Math.min(n - 1, Math.max(0, v))
  return { z, x: clamp(x), y: clamp(y) }
}

/** Metres (Web Mercator) covered by one unit of the tile's coordinate space: the simplification step. */
export function tileResolution(z: number): number {
  return EARTH_CIRCUMFERENCE_M / 2 ** z / TILE_EXTENT
}
