/**
 * Zipped Shapefile export of parcels: .shp/.shx/.dbf written by the project's shapefile
 * writer into a temporary folder (batch by batch, bounded memory), with the .prj of the
 * commune's VN-2000 TM-3 zone (or WGS84) and a .cpg saying UTF-8, then zipped into the output
 * stream. DBF field names follow DOMAIN.md (see fields.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { Knex } from 'knex'
import yazl from 'yazl'
import { fromGeoJson, ShapefileWriter, tm3PrjWkt, type GeoJsonPolygonal } from '../formats/index.js'
import { PARCEL_FIELDS } from './fields.js'
import { layerName, type ExportRequest } from './options.js'
import { parcelBatches, type CommuneInfo } from './source.js'

const WGS84_PRJ =
  'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]'

export async function writeShapefileZip(knex: Knex, request: ExportRequest, commune: CommuneInfo, srid: number, out: Writable): Promise<number> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'landbook-export-'))
  try {
    const name = layerName(request)
    const prj = srid === 4326 ? WGS84_PRJ : commune.centralMeridian !== null ? tm3PrjWkt(commune.centralMeridian) : undefined
    const writer = await ShapefileWriter.create(path.join(dir, name), { fields: PARCEL_FIELDS.map((f) => f.dbf), prj })
    try {
      for await (const rows of parcelBatches(knex, request, srid, 'geojson')) {
        for (const row of rows) {
          await writer.write(fromGeoJson(JSON.parse(row.geojson!) as GeoJsonPolygonal), PARCEL_FIELDS.map((f) => f.value(row, commune.code)))
        }
      }
    } catch (error) {
      await writer.abort()
      throw error
    }
    const summary = await writer.close()
    const zip = new yazl.ZipFile()
    for (const file of summary.files) zip.addFile(file, path.basename(file))
    zip.end()
    await pipeline(zip.outputStream, out)
    return summary.features
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
