/**
 * Parcel map import (nhập bản đồ địa chính): one shapefile set of a commune into `parcels`.
 *
 * The rows are streamed from the file straight into COPY inside one transaction; the sheets
 * the file delivers replace the commune's current parcels on those sheets, whose previous
 * versions move to `parcel_history`. A failure anywhere rolls the whole file back.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Knex } from 'knex'
import * as shapefile from 'shapefile'
import type { Feature, Geometry } from 'geojson'
import { Invalid } from '../errors.js'
import { normalizeCommuneCode } from '../communes/index.js'
import { copyRows, type CopyValue } from './copy.js'
import { resolveParcelFields, type FieldMapping } from './fields.js'
import { cleanText, normalizeNumberText, splitLandUse, toNumber } from './values.js'
import { multiPolygonEwkbHex, planarArea, type PolygonCoordinates } from './wkb.js'

export interface ParcelImportOptions {
  shpPath: string
  /** Overrides the commune code found in the file's fields or name. */
  communeCode?: string
  mapping?: FieldMapping
  createdBy?: number | null
}

export interface ParcelImportResult {
  jobId: number
  communeCode: string
  parcels: number
  sheets: string[]
  skipped: Array<{ row: number; reason: string }>
  replacedParcels: number
}

const PARCEL_COLUMNS = [
  'commune_code', 'sheet_number', 'parcel_number', 'sheet_number_raw', 'parcel_number_raw', 'geom', 'srid',
  'area_m2', 'legal_area_m2', 'land_use_codes', 'land_use_raw', 'owner_name', 'address', 'place_name',
  'attributes', 'import_job_id', 'source_row',
]

export async function importParcelShapefile(knex: Knex, options: ParcelImportOptions): Promise<ParcelImportResult> {
  const file = path.basename(options.shpPath)
  const dbfPath = siblingPath(options.shpPath, '.dbf')
  if (!dbfPath) throw new Invalid(`Tệp ${file}: thiếu tệp thuộc tính .dbf đi kèm (the .dbf file is missing).`, { file })
  const encoding = readCpg(options.shpPath) ?? 'utf-8'

  const header = await shapefile.openDbf(dbfPath, { encoding })
  const first = await header.read()
  await header.cancel()
  const columns = first.done ? [] : Object.keys(first.value ?? {})
  const fields = resolveParcelFields(columns, file, options.mapping)

  const communeCode = options.communeCode
    ? normalizeCommuneCode(options.communeCode)
    : communeFromFile(file, fields.commune && !first.done ? first.value?.[fields.commune] : undefined)
  const commune = await knex('communes').where({ code: communeCode }).first('code', 'srid')
  if (!commune) throw new Invalid(`Tệp ${file}: xã mã ${communeCode} chưa được khai báo (commune not registered).`, { file, field: fields.commune })

  return knex.transaction(async (trx) => {
    const [job] = await trx('import_jobs')
      .insert({ kind: 'parcels', state: 'running', commune_code: communeCode, source_name: file, started_at: trx.fn.now(), created_by: options.createdBy ?? null })
      .returning('id')
    const jobId = Number(job.id)
    const sheets = new Set<string>()
    const skipped: ParcelImportResult['skipped'] = []

    const source = await shapefile.open(options.shpPath, dbfPath, { encoding })
    async function* rows(): AsyncGenerator<CopyValue[]> {
      for (let row = 1; ; row++) {
        const { done, value } = await source.read()
        if (done) return
        const polygons = polygonsOf(value as Feature)
        if (!polygons) {
          skipped.push({ row, reason: 'null or non-polygon shape' })
          continue
        }
        const p = value.properties ?? {}
        const sheetRaw = fields.sheet ? p[fields.sheet] : null
        const parcelRaw = fields.parcel ? p[fields.parcel] : null
        const sheet = normalizeNumberText(sheetRaw)
        sheets.add(sheet)
        yield [
          communeCode, sheet, normalizeNumberText(parcelRaw), rawText(sheetRaw), rawText(parcelRaw),
          multiPolygonEwkbHex(polygons, commune.srid), commune.srid, planarArea(polygons),
          fields.legalArea ? toNumber(p[fields.legalArea]) : null,
          fields.landUse ? splitLandUse(p[fields.landUse]) : [], fields.landUse ? cleanText(p[fields.landUse]) : null,
          fields.owner ? cleanText(p[fields.owner]) : null, fields.address ? cleanText(p[fields.address]) : null,
          fields.placeName ? cleanText(p[fields.placeName]) : null, p, jobId, row,
        ]
      }
    }
    const count = await copyRows(trx, 'parcels', PARCEL_COLUMNS, rows())
    const replacedParcels = await supersedeSheets(trx, communeCode, [...sheets], jobId)
    await trx.raw(
      `INSERT INTO map_sheets (commune_code, sheet_number, srid) SELECT ?, unnest(?::text[]), ? ON CONFLICT DO NOTHING`,
      [communeCode, [...sheets], commune.srid],
    )
    await trx('import_jobs').where({ id: jobId }).update({
      state: 'succeeded', progress: 1, finished_at: trx.fn.now(),
      counts: JSON.stringify({ parcels: count, skipped: skipped.length, sheets: sheets.size, replaced: replacedParcels }),
    })
    return { jobId, communeCode, parcels: count, sheets: [...sheets].sort(), skipped, replacedParcels }
  })
}

/** Moves the commune's earlier parcels on the re-delivered sheets to history; returns how many. */
async function supersedeSheets(trx: Knex.Transaction, communeCode: string, sheets: string[], jobId: number): Promise<number> {
  const { rowCount } = await trx.raw(
    `WITH replaced AS (
       DELETE FROM parcels WHERE commune_code = ? AND sheet_number = ANY(?::text[]) AND import_job_id IS DISTINCT FROM ?
       RETURNING *
     )
     INSERT INTO parcel_history (id, commune_code, sheet_number, parcel_number, sheet_number_raw, parcel_number_raw, geom, srid,
       area_m2, legal_area_m2, land_use_codes, land_use_raw, owner_name, address, place_name, attributes, import_job_id,
       source_row, status, version, created_at, updated_at, superseded_by_job)
     SELECT id, commune_code, sheet_number, parcel_number, sheet_number_raw, parcel_number_raw, geom, srid,
       area_m2, legal_area_m2, land_use_codes, land_use_raw, owner_name, address, place_name, attributes, import_job_id,
       source_row, status, version, created_at, updated_at, ? FROM replaced`,
    [communeCode, sheets, jobId, jobId],
  )
  return rowCount ?? 0
}

function polygonsOf(feature: Feature | undefined): PolygonCoordinates[] | null {
  const geometry: Geometry | null | undefined = feature?.geometry
  if (!geometry) return null
  if (geometry.type === 'Polygon') return geometry.coordinates.length ? [geometry.coordinates] : null
  if (geometry.type === 'MultiPolygon') return geometry.coordinates.length ? geometry.coordinates : null
  return null
}

function rawText(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value)
}

/** The commune code from the file's commune field, else from a 5-digit code in the file name. */
function communeFromFile(file: string, fieldValue: unknown): string {
  if (fieldValue !== undefined && fieldValue !== null && String(fieldValue).trim() !== '') return normalizeCommuneCode(String(fieldValue))
  const fromName = /(\d{4,5})/.exec(file)?.[1]
  if (fromName) return normalizeCommuneCode(fromName)
  throw new Invalid(`Tệp ${file}: không xác định được mã xã; hãy chọn xã khi nhập (commune code not found in fields or file name).`, { file })
}

function siblingPath(shpPath: string, extension: string): string | null {
  const base = shpPath.slice(0, -path.extname(shpPath).length)
  for (const candidate of [base + extension, base + extension.toUpperCase()]) if (fs.existsSync(candidate)) return candidate
  return null
}

function readCpg(shpPath: string): string | null {
  const cpg = siblingPath(shpPath, '.cpg')
  if (!cpg) return null
  const text = fs.readFileSync(cpg, 'utf8').trim().toLowerCase()
  return /utf-?8|65001/.test(text) ? 'utf-8' : null
}
