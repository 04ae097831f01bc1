/**
 * The CRS parcels are stored in. Data in a VN-2000 TM-3 zone stays in it (the meridian
 * belongs to the dataset, and legal areas are computed there); anything else (WGS84 degrees,
 * UTM) is reprojected into the commune's zone while it streams in.
 */
import type { Knex } from 'knex'
import { createTransformer, resolveCrs } from '../crs/index.js'
import type { Finding } from '../findings.js'
import type { FeatureSource } from '../sources/types.js'

export interface StorageCrs {
  srid: number
  /** How the source CRS was decided: declared, commune fallback, or from the coordinates. */
  source: string
  sourceSrid: number
  transform: ((x: number, y: number) => [number, number]) | null
  findings: Finding[]
}

export async function chooseStorageCrs(knex: Knex, source: FeatureSource, communeSrid: number): Promise<StorageCrs> {
  const resolved = resolveCrs({
    file: source.file,
    prjText: source.prjText,
    geojsonCrsName: source.crsName,
    bbox: source.bbox,
    communeSrid,
  })
  const zone = await knex('crs_zones').where({ srid: resolved.srid }).first('kind')
  const keep = zone?.kind === 'tm3'
  const srid = keep ? resolved.srid : communeSrid
  const findings = [...resolved.findings]
  if (!keep) {
    findings.push({
      code: 'reprojected',
      severity: 'info',
      file: source.file,
      message: `Tệp ${source.file} ở hệ tọa độ EPSG:${resolved.srid}; đã chuyển sang VN-2000 TM-3 của xã (EPSG:${srid}) (reprojected to the commune's TM-3 zone).`,
    })
  }
  return {
    srid,
    source: resolved.source,
    sourceSrid: resolved.srid,
    transform: keep ? null : await createTransformer(knex, resolved.srid, srid),
    findings,
  }
}
