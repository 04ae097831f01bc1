// The outline of one parcel (ranh thửa) on the parcel page's map, drawn from the detail's
// WGS84 GeoJSON above the neighbours' tiles, so it shows even before the tiles arrive.
import type { GeoJsonObject } from 'geojson'
import { L } from './leaflet.js'

export function parcelOutlineLayer(map: L.Map, geojson: GeoJsonObject): L.GeoJSON {
  if (!map.getPane('outline')) {
    const pane = map.createPane('outline')
    pane.style.zIndex = '460' // above the parcels' tiles (450)
    pane.style.pointerEvents = 'none' // clicks go through to the tiles below
  }
  return L.geoJSON(geojson, { pane: 'outline', style: { color: '#0b0f14', weight: 3, fillColor: '#f0a500', fillOpacity: 0.35 }, interactive: false })
}
