/** What every map-file reader (shapefile, GeoJSON) hands the parcel import pipeline. */
import type { Finding } from '../findings.js'
import type { PolygonCoordinates } from '../wkb.js'

export interface SourceFeature {
  /** 1-based record number in the file. */
  row: number
  /** Null for a null shape; the reason says what was there instead. */
  polygons: PolygonCoordinates[] | null
  nullReason?: string
  /** Decoded attribute values by column name (text NFC, numbers as numbers). */
  attributes: Record<string, unknown>
  /** The text of each column exactly as stored, for keys ("12.0", "09922"). */
  rawText: Record<string, string>
  /** A record the file itself marks deleted (dBASE '*'): skipped, and reported as such. */
  deleted?: boolean
  /** Text fields whose NUL characters (which PostgreSQL cannot store) were replaced by U+FFFD. */
  nulReplaced?: string[]
  /** Text that carried legacy-encoding residue: repaired (after set) or left as is (after null). */
  textRepairs?: Array<{ field: string; before: string; after: string | null }>
}

export interface FeatureSource {
  /** The name shown in reports (the .shp or .geojson file name). */
  file: string
  columns: string[]
  /** Record count when known in advance (for progress). */
  total: number | null
  bbox: [number, number, number, number] | null
  prjText: string | null
  crsName: string | null
  /** Findings about the file itself (encoding, missing .shx, ...). */
  findings: Finding[]
  report: Record<string, unknown>
  features(): AsyncIterable<SourceFeature>
}
