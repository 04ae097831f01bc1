/**
 * Shapes shared by the synthetic province generator: options, the per-commune plan, the
 * generated map parcels (thửa đất on tờ bản đồ) and attribute records (hồ sơ), and the
 * planted discrepancies that the ground-truth files list.
 */

export type SyntheticEncoding = 'utf8' | 'tcvn3' | 'vni'

export interface GeneratorOptions {
  seed: number
  communes: number
  /** Mean parcels per commune; each commune varies ±15% around it. */
  parcelsPerCommune: number
  /** Encoding of DBF text fields; record CSVs are always UTF-8. */
  encoding: SyntheticEncoding
  /** Code of the first commune (mã xã); the others follow consecutively. */
  firstCode: number
}

/** Map scales used for cadastral sheets, as the denominator M of 1:M. */
export type ScaleDenominator = 500 | 1000 | 2000 | 5000

export interface Rectangle {
  minX: number
  minY: number
  maxX: number
  maxY: number
}

/** One map sheet (tờ bản đồ): a rectangle cut by a jittered grid of variable rows and columns. */
export interface SheetPlan {
  number: number
  scale: ScaleDenominator
  targetParcels: number
  /** Column widths west→east and row heights south→north, in metres. */
  columnWidths: number[]
  rowHeights: number[]
  /** South-west corner, set by the province layout. */
  originX: number
  originY: number
}

export type DbfSchemaName = 'full' | 'maxa' | 'madvhc'
export type RecordsHeaderName = 'vietnamese' | 'ascii' | 'alternate'

export interface CommunePlan {
  index: number
  /** 5-digit commune code (mã xã). */
  code: string
  /** "Xã …" */
  name: string
  /** Share of land users who are Jrai or Bahnar. */
  jraiShare: number
  /** Probability that a private parcel has a certificate and so an attribute record. */
  recordShare: number
  villages: string[]
  dbfSchema: DbfSchemaName
  /** Sheet and parcel numbers stored as N with one decimal ("12.0"), as some exports do. */
  decimalNumbers: boolean
  recordsHeader: RecordsHeaderName
  sheets: SheetPlan[]
  /** The commune's extent (its administrative boundary in this synthetic world). */
  boundary: Rectangle
}

/** An attribute record as the registration office typed it. */
export interface AttributeRecord {
  sheet: number
  parcel: number
  owner: string
  legalArea: number
  landUse: string
  serial: string
  bookEntry: string
  address: string
}

/** A parcel as drawn on the map (one shapefile feature). */
export interface MapParcel {
  /** Running number within the commune, 1-based (DBF ID). */
  id: number
  sheet: number
  number: number
  /** Closed clockwise ring, flat [x0, y0, …, x0, y0], millimetre-rounded. */
  ring: Float64Array
  /** Shoelace area of `ring` in m². */
  area: number
  /** Area attribute stored in the DBF (DIENTICH), m² to 0.1. */
  mapArea: number
  landUse: string
  /** Place name (địa danh): the village the parcel lies in. */
  place: string
  /** The record whose key is this parcel's key, if any (DBF owner and legal area come from it). */
  record: AttributeRecord | null
}

export const DISCREPANCY_KINDS = [
  'area_mismatch',
  'landuse_mismatch',
  'wrong_parcel_number',
  'duplicate_key',
  'record_only',
  'invalid_geometry',
  'sliver_overlap',
] as const

export type DiscrepancyKind = (typeof DISCREPANCY_KINDS)[number]

/** One planted discrepancy, as listed in truth/<code>.json. */
export interface PlantedDiscrepancy {
  kind: DiscrepancyKind
  /** The key (sheet, parcel) under which the files show the problem. */
  sheet: number
  parcel: number
  /** Every (sheet, parcel) key a correct checker may flag because of this item. */
  keys: Array<[number, number]>
  detail: Record<string, unknown>
}
