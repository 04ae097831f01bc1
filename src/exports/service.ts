/**
 * Exports (xuất dữ liệu) of one commune for GIS tools and spreadsheets: parcels as GeoJSON,
 * zipped Shapefile or GeoPackage (or their attributes as CSV/XLSX), attribute records and the
 * discrepancy report as CSV/XLSX. `prepareExport` checks the request and the commune before
 * anything is sent (so errors are still a clean 400/404); `write` then streams the file.
 */
import type { Writable } from 'node:stream'
import type { Knex } from 'knex'
import { writeGeoJson } from './geojson.js'
import { writeGeoPackage } from './geopackage.js'
import { CONTENT_TYPES, exportFileName, type ExportRequest } from './options.js'
import { writeShapefileZip } from './shapefile.js'
import { communeInfo, outputSrid } from './source.js'
import { writeCsv, writeXlsx } from './tables.js'

export interface PreparedExport {
  fileName: string
  contentType: string
  /** Writes the whole file to `out` and ends it; resolves with the number of rows or features written. */
  write(out: Writable): Promise<number>
}

export async function prepareExport(knex: Knex, request: ExportRequest): Promise<PreparedExport> {
  const commune = await communeInfo(knex, request.commune)
  const srid = outputSrid(request, commune)
  const writers: Record<ExportRequest['format'], (out: Writable) => Promise<number>> = {
    geojson: (out) => writeGeoJson(knex, request, commune, srid, out),
    shapefile: (out) => writeShapefileZip(knex, request, commune, srid, out),
    gpkg: (out) => writeGeoPackage(knex, request, commune, srid, out),
    csv: (out) => writeCsv(knex, request, out),
    xlsx: (out) => writeXlsx(knex, request, out),
  }
  return { fileName: exportFileName(request), contentType: CONTENT_TYPES[request.format], write: writers[request.format] }
}
