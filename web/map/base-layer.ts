// The base map (bản đồ nền) under the communes: a raster tile URL set by the office, from
// GET /api/config when the server offers it, else from the map element's data-basemap-url.
// With none (offline offices), the map shows commune boundaries and parcels alone.
import { L } from './leaflet.js'

interface BaseMapSettings {
  url: string
  attribution: string
  maxZoom: number
}

interface ServerConfig {
  basemap?: Partial<BaseMapSettings> | null
  baseMap?: Partial<BaseMapSettings> | null
}

async function serverConfig(): Promise<ServerConfig | null> {
  try {
    const res = await fetch('/api/config', { headers: { accept: 'application/json' } })
    return res.ok ? ((await res.json()) as ServerConfig) : null
  } catch {
    return null
  }
}

/** The base map's settings, or null when none is configured. */
export async function baseMapSettings(element: HTMLElement): Promise<BaseMapSettings | null> {
  const config = await serverConfig()
  const fromServer = config?.basemap ?? config?.baseMap ?? null
  const url = fromServer?.url ?? element.dataset.basemapUrl ?? ''
  if (!url) return null
  return { url, attribution: fromServer?.attribution ?? element.dataset.basemapAttribution ?? '', maxZoom: Number(fromServer?.maxZoom ?? element.dataset.basemapMaxZoom ?? 19) }
}

/** Adds the base map to `map` when one is configured; returns the layer or null. */
export async function addBaseLayer(map: L.Map, element: HTMLElement): Promise<L.TileLayer | null> {
  const settings = await baseMapSettings(element)
  if (!settings) return null
  return L.tileLayer(settings.url, { attribution: settings.attribution, maxZoom: 21, maxNativeZoom: settings.maxZoom }).addTo(map)
}
