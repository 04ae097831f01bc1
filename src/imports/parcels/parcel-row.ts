/** One parcel (thửa đất) as a row of `parcels`, written in binary COPY. */
import type { BinaryCopyWriter } from '../binary-copy.js'
import type { ShapeStore } from '../shapes.js'
import { ewkbSize, planarArea, writeEwkb } from '../wkb.js'

export const PARCEL_COLUMNS = [
  'commune_code', 'sheet_number', 'parcel_number', 'sheet_number_raw', 'parcel_number_raw', 'geom', 'srid',
  'area_m2', 'legal_area_m2', 'land_use_codes', 'land_use_raw', 'owner_name', 'address', 'place_name',
  'attributes', 'import_job_id', 'source_row',
]

export interface ParcelRow {
  communeCode: string
  sheet: string
  parcel: string
  sheetRaw: string
  parcelRaw: string
  /** The geometry: item `item` of `shapes`. */
  shapes: ShapeStore
  item: number
  srid: number
  legalArea: number | null
  landUseCodes: string[]
  landUse: string | null
  owner: string | null
  address: string | null
  placeName: string | null
  attributes: Record<string, unknown>
  jobId: number
  row: number
}

/** The row's fields in the order of PARCEL_COLUMNS. */
export function writeParcelRow(writer: BinaryCopyWriter, p: ParcelRow): void {
  writer.row(PARCEL_COLUMNS.length)
  writer.text(p.communeCode)
  writer.text(p.sheet)
  writer.text(p.parcel)
  writer.text(p.sheetRaw)
  writer.text(p.parcelRaw)
  writer.bytes(ewkbSize(p.shapes, p.item), (view, at) => writeEwkb(p.shapes, p.item, p.srid, view, at))
  writer.int4(p.srid)
  writer.float8(planarArea(p.shapes, p.item))
  writer.numeric(p.legalArea)
  writer.textArray(p.landUseCodes)
  writer.text(p.landUse)
  writer.text(p.owner)
  writer.text(p.address)
  writer.text(p.placeName)
  writer.jsonb(p.attributes)
  writer.int8(p.jobId)
  writer.int4(p.row)
}
