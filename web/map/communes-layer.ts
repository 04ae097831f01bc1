// The communes layer (ranh giới xã): each commune's boundary filled by its share of parcels at
// the chosen stage (matched, reconciled, signed, synced), from /api/progress/communes.geojson.
// Hovering outlines a commune; clicking selects it (the page shows its figures).
import type { Feature, FeatureCollection, Geometry } from 'geojson'
import type { CommuneCollection, CommuneFigures } from '../types.js'
import { L } from './leaflet.js'
import { shareColor } from './colors.js'

export const MEASURES = ['matched', 'reconciled', 'signed', 'synced'] as const
export type Measure = (typeof MEASURES)[number]
export const isMeasure = (value: string): value is Measure => MEASURES.some((m) => m === value)

interface CommunesOptions {
  measure: Measure
  onHover?: (figures: CommuneFigures | null) => void
  onSelect?: (code: string) => void
}

export interface CommunesLayer {
  layer: L.GeoJSON<CommuneFigures>
  /** Redraws the fills for another measure. */
  setMeasure(next: Measure): void
  /** Outlines the chosen commune (or none). */
  select(code: string | null): void
  /** The commune's bounds, or null when it has no boundary. */
  boundsOf(code: string): L.LatLngBounds | null
  /** Lowers the fill once parcels are drawn on top, so their colours read true. */
  setFillOpacity(opacity: number): void
}

export function communesLayer(collection: CommuneCollection, { measure, onHover, onSelect }: CommunesOptions): CommunesLayer {
  let current = measure
  let selected: string | null = null
  let fillOpacity = 0.75
  const byCode = new Map<string, L.Path & { getBounds(): L.LatLngBounds }>()

  const style = (feature?: Feature<Geometry, CommuneFigures>): L.PathOptions => {
    const code = feature?.properties.code
    return {
      color: code === selected ? '#0b4f6c' : '#56606b',
      weight: code === selected ? 3 : 1,
      fillColor: shareColor(feature?.properties[`pct_${current}`]),
      fillOpacity,
    }
  }

  const withBoundary: FeatureCollection<Geometry, CommuneFigures> = {
    type: 'FeatureCollection',
    features: collection.features.filter((f): f is Feature<Geometry, CommuneFigures> => f.geometry !== null),
  }
  const layer = L.geoJSON<CommuneFigures>(
    withBoundary,
    {
      style,
      onEachFeature(feature, path) {
        // A commune's boundary is a polygon: each layer of this GeoJSON is a L.Polygon.
        if (!(path instanceof L.Polygon)) return
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
    setMeasure(next) {
      current = next
      layer.setStyle(style)
    },
    select(code) {
      selected = code
      layer.setStyle(style)
      if (code) byCode.get(code)?.bringToFront()
    },
    boundsOf(code) {
      return byCode.get(code)?.getBounds() ?? null
    },
    setFillOpacity(opacity) {
      fillOpacity = opacity
      layer.setStyle(style)
    },
  }
}
