/**
 * The Node MVT encoder, for databases without ST_AsMVT (the embedded one): geojson-vt clips the
 * features to the tile and converts them to tile coordinates, vt-pbf writes the protobuf.
 * Same extent and buffer as the PostGIS tiles, so the two are drawn alike.
 */
import type { Feature, Geometry } from 'geojson'
import GeoJSONVT from 'geojson-vt'
import vtpbf from 'vt-pbf'
import { TILE_BUFFER, TILE_EXTENT, type TileCoord } from './coordinates.js'
import type { FeatureRow } from './sql.js'

type Layer = ReturnType<GeoJSONVT['getTile']>

/** The tile's protobuf, or null when no layer has a feature in it. */
export function encodeTile(coord: TileCoord, rows: FeatureRow[]): Buffer | null {
  const byLayer = new Map<string, Feature[]>()
  for (const row of rows) {
    if (row.geom === null) continue
    const features = byLayer.get(row.layer) ?? []
    features.push({ type: 'Feature', geometry: JSON.parse(row.geom) as Geometry, properties: row.properties })
    byLayer.set(row.layer, features)
  }
  const layers: Record<string, NonNullable<Layer>> = {}
  for (const [name, features] of byLayer) {
    // maxZoom at the tile's own zoom: geojson-vt cuts straight down to it and keeps full detail there.
    const index = new GeoJSONVT(
      { type: 'FeatureCollection', features },
      { maxZoom: coord.z, extent: TILE_EXTENT, buffer: TILE_BUFFER, promoteId: name === 'parcels' ? 'id' : null },
    )
    const tile = index.getTile(coord.z, coord.x, coord.y)
    if (tile && tile.features.length > 0) layers[name] = tile
  }
  if (Object.keys(layers).length === 0) return null
  return Buffer.from(vtpbf.fromGeojsonVt(layers, { version: 2, extent: TILE_EXTENT }))
}
