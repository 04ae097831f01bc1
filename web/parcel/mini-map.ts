// The parcel page's small map: the base map when configured, the neighbouring parcels from the
// vector tiles (coloured by status; a click opens a neighbour), and this parcel's outline.
import { addBaseLayer } from '../map/base-layer.js'
import { createMap, type L } from '../map/leaflet.js'
import { parcelOutlineLayer } from '../map/parcel-outline-layer.js'
import { parcelsLayer, type ParcelsLayer, type TileParcel } from '../map/parcels-layer.js'
import type { ParcelDetail } from '../types.js'

let map: L.Map | null = null
let outline: L.GeoJSON | null = null
let neighbours: ParcelsLayer | null = null

/** Shows the parcel (`detail.geometry.wgs84`), keeping the map between reloads of the same page. */
export function showParcelOnMap(element: HTMLElement, detail: ParcelDetail, { onOpen }: { onOpen: (parcel: TileParcel) => void }): L.Map {
  if (!map) {
    map = createMap(element, { minZoom: 10 })
    void addBaseLayer(map, element)
  }
  if (neighbours) neighbours.layer.remove()
  neighbours = parcelsLayer(map, { colorBy: 'status', highlight: detail.parcel.id, onOpen })
  neighbours.layer.addTo(map)
  outline?.remove()
  outline = parcelOutlineLayer(map, detail.geometry.wgs84).addTo(map)
  const bounds = outline.getBounds()
  if (bounds.isValid()) map.fitBounds(bounds.pad(1.5), { maxZoom: 19 })
  return map
}
