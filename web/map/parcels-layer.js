// The parcels layer (thửa đất): vector tiles from /tiles/parcels/{z}/{x}/{y}.pbf (layer
// `parcels`, from zoom 13), each parcel filled by its status or its discrepancy category.
// Clicking a parcel calls `onOpen` with its properties (the page opens its detail).
import { L } from './leaflet.js'
import { CATEGORY_COLORS, STATUS_COLORS, UNKNOWN_COLOR } from './colors.js'

/** Parcels are in the tiles from this zoom on (PARCELS_MIN_ZOOM of src/tiles). */
export const PARCELS_MIN_ZOOM = 13

export const COLOR_MODES = ['status', 'category']

/** A pane above the communes' (overlayPane, 400) so the parcels take the pointer once drawn. */
function parcelsPane(map) {
  if (!map.getPane('parcels')) map.createPane('parcels').style.zIndex = '450'
  return 'parcels'
}

export function parcelsLayer(map, { colorBy = 'status', highlight = null, onOpen, onHover, onTileLoad } = {}) {
  let mode = colorBy
  const color = (props) => (mode === 'category' ? CATEGORY_COLORS[props.category] : STATUS_COLORS[props.status]) ?? UNKNOWN_COLOR

  const layer = L.vectorGrid.protobuf('/tiles/parcels/{z}/{x}/{y}.pbf', {
    pane: parcelsPane(map),
    minZoom: PARCELS_MIN_ZOOM,
    maxZoom: 22,
    maxNativeZoom: 22,
    interactive: Boolean(onOpen || onHover),
    rendererFactory: L.canvas.tile,
    // The session cookie goes with each tile request (same origin).
    fetchOptions: { credentials: 'same-origin' },
    getFeatureId: (feature) => feature.properties.id,
    vectorTileLayerStyles: {
      parcels: (props) => {
        const mine = highlight !== null && Number(props.id) === Number(highlight)
        return { fill: true, fillColor: color(props), fillOpacity: mine ? 0.85 : 0.6, color: mine ? '#0b0f14' : '#3d4a57', weight: mine ? 3 : 0.6 }
      },
      // Boundaries come from the choropleth layer; the tiles' copy is not drawn.
      communes: () => [],
    },
  })

  if (onOpen) layer.on('click', (e) => onOpen(e.layer.properties))
  if (onHover) {
    layer.on('mouseover', (e) => onHover(e.layer.properties))
    layer.on('mouseout', () => onHover(null))
  }
  if (onTileLoad) layer.on('tileload', onTileLoad)

  return {
    layer,
    /** Recolours by 'status' or 'category' (the tiles are drawn again, mostly from the browser cache). */
    setColorBy(next) {
      if (next === mode) return
      mode = next
      layer.redraw()
    },
    colorBy: () => mode,
  }
}
