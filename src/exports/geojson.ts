/**
 * GeoJSON export of parcels, streamed: the head, then each batch of features as PostGIS
 * writes their geometry, then the tail. In WGS84 it is RFC 7946 GeoJSON; in the commune's
 * VN-2000 zone it carries the legacy `crs` member naming the EPSG code, which GDAL and QGIS read.
 */
import type { Writable } from 'node:stream'
import type { Knex } from 'knex'
import { PARCEL_FIELDS } from './fields.js'
import { layerName, type ExportRequest } from './options.js'
import { parcelBatches, type CommuneInfo } from './source.js'
import { finish, put } from './write.js'

export async function writeGeoJson(knex: Knex, request: ExportRequest, commune: CommuneInfo, srid: number, out: Writable): Promise<number> {
  const head: Record<string, unknown> = { type: 'FeatureCollection', name: layerName(request) }
  if (srid !== 4326) head.crs = { type: 'name', properties: { name: `urn:ogc:def:crs:EPSG::${srid}` } }
  await put(out, `${JSON.stringify(head).slice(0, -1)},"features":[\n`)
  let written = 0
  for await (const rows of parcelBatches(knex, request, srid, 'geojson')) {
    const features = rows.map((row) => {
      const properties = Object.fromEntries(PARCEL_FIELDS.map((f) => [f.name, f.value(row, commune.code)]))
      return `{"type":"Feature","id":${row.id},"geometry":${row.geojson},"properties":${JSON.stringify(properties)}}`
    })
    await put(out, `${written > 0 ? ',\n' : ''}${features.join(',\n')}`)
    written += rows.length
  }
  await put(out, '\n]}\n')
  await finish(out)
  return written
}
