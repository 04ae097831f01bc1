// The communes layer (ranh giới xã): each commune's boundary filled by its share of parcels at
// the chosen stage (matched, reconciled, signed, synced), from /api/progress/communes.geojson.
// Hovering outlines a commune; clicking selects it (the page shows its figures).
import { L } from './leaflet.js'
import { shareColor } from './colors.js'

export const MEASURES = ['matched', 'reconciled', 'signed', 'synced']

export function communesLayer(collection, { measure, onHover, onSelect }) {
  let current = measure
  let selected = null
  let fillOpacity = 0.75
  const byCode = new Map()

  const style = (feature) => {
    const code = feature.properties.code
    return {
      color: code === selected ? '#0b4f6c' : '#56606b',
      weight: code === selected ? 3 : 1,
      fillColor: shareColor(feature.properties[`pct_${current}`]),
      fillOpacity,
    }
  }

  const layer = L.geoJSON(
    { type: 'FeatureCollection', features: collection.features.filter((f) => f.geometry) },
    {
      style,
      onEachFeature(feature, path) {
        byCode.set(feature.properties.code, path)
        path.on({
          mouseover() {
            path.setStyle({ weight: 3, color: '#0b4f6c' })
            path.bringToFront()
            onHover?.(feature.properties)
          },
          mouseout() {
            layer.resetStyle(path)
            onHover?.(null)
          },
          click() {
            onSelect?.(feature.properties.code)
          },
        })
      },
    },
  )

  return {
    layer,
    /** Redraws the fills for another measure. */
    setMeasure(next) {
      current = next
      layer.setStyle(style)
    },
    /** Outlines the chosen commune (or none). */
    select(code) {
      selected = code
      layer.setStyle(style)
      byCode.get(code)?.bringToFront()
    },
    /** The commune's bounds, or null when it has no boundary. */
    boundsOf(code) {
      return byCode.get(code)?.getBounds() ?? null
    },
    /** Lowers the fill once parcels are drawn on top, so their colours read true. */
    setFillOpacity(opacity) {
      fillOpacity = opacity
      layer.setStyle(style)
    },
  }
}
