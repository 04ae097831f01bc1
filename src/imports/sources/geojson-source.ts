/**
 * Reading a GeoJSON FeatureCollection of parcels. Deliveries also come this way; the file's
 * `crs` member (GeoJSON 2008 style, still written by QGIS and FME) names its CRS.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Feature, FeatureCollection } from 'geojson'
import { Invalid } from '../../errors.js'
import { crsNameFromGeojson } from '../crs/index.js'
import type { PolygonCoordinates } from '../wkb.js'
import type { FeatureSource, SourceFeature } from './types.js'

/** GeoJSON is parsed whole; past this size a delivery should come as a shapefile. */
const MAX_GEOJSON_BYTES = 512 * 1024 * 1024

export async function openGeoJsonSource(filePath: string): Promise<FeatureSource> {
  const file = path.basename(filePath)
  const size = fs.statSync(filePath).size
  if (size > MAX_GEOJSON_BYTES) throw new Invalid(`Tệp ${file} quá lớn cho GeoJSON (${Math.round(size / 1e6)} MB); hãy gửi dạng shapefile (GeoJSON too large).`, { file })
  let collection: FeatureCollection & { crs?: unknown }
  try {
    collection = JSON.parse(fs.readFileSync(filePath, 'utf8'))
  } catch (error) {
    throw new Invalid(`Tệp ${file} không phải JSON hợp lệ: ${(error as Error).message} (invalid JSON).`, { file })
  }
  if (collection?.type !== 'FeatureCollection' || !Array.isArray(collection.features)) {
    throw new Invalid(`Tệp ${file} không phải GeoJSON FeatureCollection (expected a FeatureCollection).`, { file })
  }
  const features = collection.features
  const columns = [...new Set(features.slice(0, 1000).flatMap((f) => Object.keys(f?.properties ?? {})))]
  return {
    file,
    columns,
    total: features.length,
    bbox: boundsOf(features),
    prjText: null,
    crsName: crsNameFromGeojson(collection.crs),
    findings: [],
    report: { format: 'geojson', records: features.length, encoding: 'utf8' },
    async *features(): AsyncGenerator<SourceFeature> {
      for (let i = 0; i < features.length; i++) {
        const feature = features[i]!
        const attributes: Record<string, unknown> = { ...(feature?.properties ?? {}) }
        // PostgreSQL text cannot hold NUL: such characters become U+FFFD and the row says so.
        const nulReplaced: string[] = []
        for (const [key, value] of Object.entries(attributes)) {
          if (typeof value === 'string' && value.includes('\u0000')) {
            attributes[key] = value.replaceAll('\u0000', '\ufffd')
            nulReplaced.push(key)
          }
        }
        const rawText = Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, v === null || v === undefined ? '' : String(v)]))
        const polygons = polygonsOf(feature)
        yield { row: i + 1, polygons, nullReason: polygons ? undefined : `geometry ${feature?.geometry?.type ?? 'null'}`, attributes, rawText, nulReplaced }
      }
    },
  }
}

function polygonsOf(feature: Feature | undefined): PolygonCoordinates[] | null {
  const g = feature?.geometry
  if (!g) return null
  if (g.type === 'Polygon') return g.coordinates.length ? [g.coordinates.map((r) => r.map((p) => [p[0]!, p[1]!]))] : null
  if (g.type === 'MultiPolygon') return g.coordinates.length ? g.coordinates.map((poly) => poly.map((r) => r.map((p) => [p[0]!, p[1]!]))) : null
  return null
}

function boundsOf(features: Feature[]): [number, number, number, number] | null {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity
  for (const f of features) {
    for (const polygon of polygonsOf(f) ?? []) {
      for (const [x, y] of polygon[0] ?? []) {
        if (x! < minX) minX = x!
        if (x! > maxX) maxX = x!
        if (y! < minY) minY = y!
        if (y! > maxY) maxY = y!
      }
    }
  }
  return Number.isFinite(minX) ? [minX, minY, maxX, maxY] : null
}
