// The parcels layer (thửa đất): vector tiles from /tiles/parcels/{z}/{x}/{y}.pbf (layer
// `parcels`, from zoom 13), each parcel filled by its status or its discrepancy category.
// Clicking a parcel calls `onOpen` with its properties (the page opens its detail).
import { L } from './leaflet.js'
import { CATEGORY_COLORS, STATUS_COLORS, UNKNOWN_COLOR } from './colors.js'

/** Parcels are in the tiles from this zoom on (PARCELS_MIN_ZOOM of src/tiles). */
export const PARCELS_MIN_ZOOM = 13

export const COLOR_MODES = ['status', 'category'] as const
export type ColorMode = (typeof COLOR_MODES)[number]
export const isColorMode = (value: string): value is ColorMode => COLOR_MODES.some((m) => m === value)

/** A parcel's properties in the tiles (src/tiles/sql.ts). */
export interface TileParcel {
  id: number
  commune_code: string
  sheet_number: string | null
  parcel_number: string | null
  status: string
  category: string | null
}

/** VectorGrid's pointer events carry the feature's properties on `layer`. */
type FeatureEvent = L.LeafletMouseEvent & { layer: { properties: TileParcel } }

interface ParcelsOptions {
  colorBy?: ColorMode
  highlight?: number | null
  onOpen?: ((parcel: TileParcel) => void) | null
  onHover?: (parcel: TileParcel | null) => void
  onTileLoad?: L.LeafletEventHandlerFn
}

export interface ParcelsLayer {
  layer: L.VectorGrid.Protobuf
  /** Recolours by 'status' or 'category' (the tiles are drawn again, mostly from the browser cache). */
  setColorBy(next: ColorMode): void
  colorBy(): ColorMode
}

/** A pane above the communes' (overlayPane, 400) so the parcels take the pointer once drawn. */
function parcelsPane(map: L.Map): string {
  if (!map.getPane('parcels')) map.createPane('parcels').style.zIndex = '450'
  return 'parcels'
}

export function parcelsLayer(map: L.Map, { colorBy = 'status', highlight = null, onOpen, onHover, onTileLoad }: ParcelsOptions = {}): ParcelsLayer {
  let mode = colorBy
  const color = (props: Record<string, string>): string => (mode === 'category' ? CATEGORY_COLORS[props.category ?? ''] : STATUS_COLORS[props.status ?? '']) ?? UNKNOWN_COLOR

  const layer = L.vectorGrid.protobuf('/tiles/parcels/{z}/{x}/{y}.pbf', {
    pane: parcelsPane(map),
    minZoom: PARCELS_MIN_ZOOM,
    maxZoom: 22,
    maxNativeZoom: 22,
    interactive: Boolean(onOpen || onHover),
    rendererFactory: L.canvas.tile,
    // The session cookie goes with each tile request (same origin).
    fetchOptions: { credentials: 'same-origin' },
    getFeatureId: (feature) => String(feature.tags?.id),
    vectorTileLayerStyles: {
      parcels: (props) => {
        const mine = highlight !== null && Number(props.id) === Number(highlight)
        return { fill: true, fillColor: color(props), fillOpacity: mine ? 0.85 : 0.6, color: mine ? '#0b0f14' : '#3d4a57', weight: mine ? 3 : 0.6 }
      },
      // Boundaries come from the choropleth layer; the tiles' copy is not drawn.
      communes: () => [],
    },
  })

  if (onOpen) layer.on('click', (e) => onOpen((e as FeatureEvent).layer.properties))
  if (onHover) {
    layer.on('mouseover', (e) => onHover((e as FeatureEvent).layer.properties))
    layer.on('mouseout', () => onHover(null))
  }
  if (onTileLoad) layer.on('tileload', onTileLoad)

  return {
    layer,
    setColorBy(next) {
      if (next === mode) return
      mode = next
      layer.redraw()
    },
    colorBy: () => mode,
  }
}
