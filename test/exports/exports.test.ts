/**
 * Exports GIS tools and spreadsheets open directly: GeoJSON, zipped Shapefile and GeoPackage of
 * a commune's parcels, CSV/XLSX of its attribute records and discrepancy report; opened with
 * GDAL (`ogrinfo`, `ogr2ogr`) for the count, CRS and Vietnamese text, and with csv-parse and
 * exceljs for the tables. Also the access rules, bad parameters and the CLI. Communes 43030–43031
 * belong to this file.
 */
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { parse } from 'csv-parse/sync'
import ExcelJS from 'exceljs'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createApp } from '../../src/http/index.js'
import { resolveRecordColumns } from '../../src/imports/records/index.js'
import { createApiToken } from '../../src/ogc/index.js'
import { silentLogger, testImports } from '../helpers/app.js'
import { signIn } from '../helpers/auth.js'
import { testDatabase } from '../helpers/db.js'
import { featureCount, fieldNames, gdal, gdalAvailable, GDAL_MISSING } from '../helpers/gdal.js'
import { matchedProvince } from '../helpers/matched-commune.js'
import type { TestProvince } from '../helpers/province.js'

const db = testDatabase()
const app = createApp({ db, logger: silentLogger, imports: testImports() })
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'landbook-exports-'))
let province: TestProvince
let A: string
let B: string
let gis: Awaited<ReturnType<typeof signIn>>
let admin: Awaited<ReturnType<typeof signIn>>
/** Owner names of commune A's parcels with Vietnamese diacritics, as stored. */
let owners: string[]

beforeAll(async () => {
  province = await matchedProvince(db.knex, { firstCode: 43030, communes: 2, parcelsPerCommune: 300, seed: 31 })
  ;[A, B] = province.codes as [string, string]
  gis = await signIn(app, db.knex, 'gis', [A])
  admin = await signIn(app, db.knex, 'admin')
  owners = (await db.knex('parcels').where({ commune_code: A }).whereNotNull('owner_name').pluck('owner_name')).filter((o: string) => /[^\x00-\x7f]/.test(o))
})
afterAll(async () => {
  province?.cleanUp()
  fs.rmSync(dir, { recursive: true, force: true })
  await db.close()
})

const count = async (table: string, where: Record<string, unknown>) => Number((await db.knex(table).where(where).count({ n: '*' }))[0]!.n)

/** Downloads an export into the temp folder; returns its path and the response. */
async function download(query: string, name: string, agent = gis.agent) {
  const res = await agent
    .get(`/api/communes/${A}/export?${query}`)
    .buffer(true)
    .parse((response, callback) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () => callback(null, Buffer.concat(chunks)))
    })
  const file = path.join(dir, name)
  if (res.status === 200) fs.writeFileSync(file, res.body as Buffer)
  return { file, res }
}

/** The features of any GDAL-readable file, through ogr2ogr to GeoJSON on stdout. */
async function readWithGdal(source: string): Promise<Array<{ properties: Record<string, unknown> }>> {
  return JSON.parse(await gdal('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', source])).features
}

describe('map formats, opened by GDAL', () => {
  if (!gdalAvailable) console.warn(`map-format checks skipped: ${GDAL_MISSING}`)

  it('GeoJSON: WGS 84, every parcel, DOMAIN.md field names', async () => {
    const { file, res } = await download('format=geojson', 'a.geojson')
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toContain('application/geo+json')
    expect(res.headers['content-disposition']).toContain(`landbook-${A}-parcels.geojson`)
    const doc = JSON.parse(fs.readFileSync(file, 'utf8'))
    expect(doc.features).toHaveLength(await count('parcels', { commune_code: A }))
    expect(Object.keys(doc.features[0].properties)).toEqual(expect.arrayContaining(['XAID', 'SHBANDO', 'SHTHUA', 'DIENTICH', 'DIENTICHPL', 'KHLOAIDAT', 'TENCHU', 'TRANGTHAI', 'SAILECH']))
    expect(doc.crs).toBeUndefined()
    if (!gdalAvailable) return
    const report = await gdal('ogrinfo', ['-ro', '-so', file, `parcels_${A}`])
    expect(featureCount(report)).toBe(doc.features.length)
    expect(report).toContain('WGS 84')
  })

  it.skipIf(!gdalAvailable)('zipped Shapefile: .prj of VN-2000 TM-3 108°30′, .cpg UTF-8, Vietnamese text intact', async () => {
    const { file, res } = await download('format=shapefile', 'a.zip')
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toContain('application/zip')
    const listing = await gdal('ogrinfo', ['-ro', '-q', `/vsizip/${file}`])
    expect(listing).toContain(`parcels_${A}`)
    const report = await gdal('ogrinfo', ['-ro', '-so', `/vsizip/${file}`, `parcels_${A}`])
    expect(featureCount(report)).toBe(await count('parcels', { commune_code: A }))
    expect(report).toMatch(/VN_2000|VN-2000/)
    expect(report).toMatch(/central_meridian",108\.5|Central_Meridian",108\.5|longitude of natural origin",108\.5/i)
    expect(report).toMatch(/Scale_Factor",0\.9999|scale_factor",0\.9999|natural origin",0\.9999/i)
    const fields = fieldNames(report)
    expect(fields).toEqual(expect.arrayContaining(['XAID', 'SHBANDO', 'SHTHUA', 'DIENTICH', 'DIENTICHPL', 'TENCHU', 'SAILECH']))
    expect(fields.every((f) => f.length <= 10)).toBe(true)
    const features = await readWithGdal(`/vsizip/${file}/parcels_${A}.shp`)
    const names = new Set(features.map((f) => f.properties.TENCHU))
    expect(owners.length).toBeGreaterThan(0)
    for (const owner of owners.slice(0, 25)) expect(names).toContain(owner)
  })

  it.skipIf(!gdalAvailable)('GeoPackage: EPSG:9218, every parcel, an R-tree, Vietnamese text intact', async () => {
    const { file, res } = await download('format=gpkg', 'a.gpkg')
    expect(res.status).toBe(200)
    expect(fs.readFileSync(file).subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0')
    const report = await gdal('ogrinfo', ['-ro', '-so', file, `parcels_${A}`])
    expect(featureCount(report)).toBe(await count('parcels', { commune_code: A }))
    expect(report).toMatch(/Geometry: Multi Polygon/)
    expect(report).toMatch(/9218/)
    expect(report).toMatch(/Extent: \(\d{6}\.\d+, \d{7}\.\d+\)/) // metres in the TM-3 zone
    const features = await readWithGdal(file)
    const names = new Set(features.map((f) => f.properties.TENCHU))
    for (const owner of owners.slice(0, 25)) expect(names).toContain(owner)
    const areas = Object.fromEntries(
      (await db.knex('parcels').where({ commune_code: A }).select('id', 'area_m2')).map((r: { id: number; area_m2: number }) => [r.id, r.area_m2]),
    )
    for (const f of features.slice(0, 50)) expect(f.properties.DIENTICH).toBeCloseTo(areas[f.properties.THUAID as number]!, 0)
    // GDAL uses the spatial index when asked for a window.
    const spatial = await gdal('ogrinfo', ['-ro', '-so', '-spat', '0', '0', '1', '1', file, `parcels_${A}`])
    expect(featureCount(spatial)).toBe(0)
  })

  it.skipIf(!gdalAvailable)('a selection (one sheet) and WGS 84 on request', async () => {
    const sheet = (await db.knex('parcels').where({ commune_code: A }).first('sheet_number')).sheet_number
    const { file } = await download(`format=gpkg&crs=wgs84&sheet=${sheet}`, 'sheet.gpkg')
    const report = await gdal('ogrinfo', ['-ro', '-so', file, `parcels_${A}`])
    expect(featureCount(report)).toBe(await count('parcels', { commune_code: A, sheet_number: sheet }))
    expect(report).toContain('WGS 84')
  })
})

describe('tables', () => {
  it('CSV of attribute records: UTF-8 with BOM, headers the records import recognises, every record', async () => {
    const { file, res } = await download('format=csv&what=records', 'records.csv')
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toContain('text/csv')
    const bytes = fs.readFileSync(file)
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const rows = parse(bytes, { bom: true }) as string[][]
    const [header, ...data] = rows
    expect(data).toHaveLength(await count('attribute_records', { commune_code: A }))
    const columns = resolveRecordColumns(header!, 'records.csv')
    expect(Object.keys(columns.index)).toEqual(expect.arrayContaining(['commune', 'sheet', 'parcel', 'owner', 'legalArea', 'landUse', 'serial']))
    const storedOwners = new Set(await db.knex('attribute_records').where({ commune_code: A }).pluck('owner_name'))
    for (const row of data.slice(0, 50)) if (row[columns.index.owner!]) expect(storedOwners).toContain(row[columns.index.owner!])
  })

  it('XLSX discrepancy report: every link but matched, with the tolerance rule', async () => {
    const { file, res } = await download('format=xlsx&what=discrepancies', 'report.xlsx')
    expect(res.status).toBe(200)
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.readFile(file)
    const sheet = workbook.worksheets[0]!
    const header = (sheet.getRow(1).values as unknown[]).slice(1)
    expect(header).toEqual(expect.arrayContaining(['Loại sai lệch', 'Số tờ', 'Số thửa', 'Chênh lệch (m²)', 'Sai số cho phép (m²)', 'Quy tắc sai số']))
    const stored = Number((await db.knex('matches').where({ commune_code: A }).whereNot({ category: 'matched' }).count({ n: '*' }))[0]!.n)
    expect(sheet.actualRowCount - 1).toBe(stored)
    const categories = new Set<string>()
    sheet.eachRow((row, n) => n > 1 && categories.add(String(row.getCell(1).value)))
    expect(categories.has('matched')).toBe(false)
    expect(categories.has('area_mismatch')).toBe(true)
  })

  it('CSV of one category of the report', async () => {
    const { file } = await download('format=csv&what=discrepancies&category=record_only', 'record-only.csv')
    const data = (parse(fs.readFileSync(file), { bom: true }) as string[][]).slice(1)
    expect(data).toHaveLength(await count('matches', { commune_code: A, category: 'record_only' }))
    expect(data.every((r) => r[0] === 'record_only')).toBe(true)
  })

  it('XLSX of parcel attributes', async () => {
    const { file } = await download('format=xlsx&what=parcels', 'parcels.xlsx')
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.readFile(file)
    expect(workbook.worksheets[0]!.actualRowCount - 1).toBe(await count('parcels', { commune_code: A }))
  })
})

describe('access and parameters', () => {
  it('needs a reader (401), the commune (403 for another), an existing commune (404)', async () => {
    await request(app).get(`/api/communes/${A}/export?format=csv`).expect(401)
    await gis.agent.get(`/api/communes/${B}/export?format=csv`).expect(403)
    const missing = await admin.agent.get('/api/communes/43039/export?format=csv').expect(404)
    expect(missing.body.detail).toContain('43039')
  })

  it('a bearer API token may export (GIS programs)', async () => {
    const { token } = await createApiToken(db.knex, { userId: gis.user.id, name: 'ogr2ogr' })
    const res = await request(app).get(`/api/communes/${A}/export?format=csv&what=records`).set('authorization', `Bearer ${token}`).expect(200)
    expect(res.text.split('\n').length).toBeGreaterThan(10)
    await request(app).get(`/api/communes/${B}/export?format=csv`).set('authorization', `Bearer ${token}`).expect(403)
  })

  it.each([
    ['format=pdf', 'format'],
    ['format=gpkg&what=records', 'what'],
    ['format=csv&what=owners', 'what'],
    ['format=csv&category=odd', 'category'],
    ['format=geojson&crs=3857', 'crs'],
  ])('%s is 400 naming %s', async (query, field) => {
    const res = await gis.agent.get(`/api/communes/${A}/export?${query}`).expect(400)
    expect(res.headers['content-type']).toContain('application/problem+json')
    expect(JSON.stringify(res.body)).toContain(field)
  })

  it('without a format the request is not an export of this route (it goes on to the next one)', async () => {
    const res = await gis.agent.get(`/api/communes/${A}/export`)
    expect(res.headers['content-disposition'] ?? '').not.toContain('landbook-')
  })
})

describe.skipIf(!gdalAvailable)('npm run export:data', () => {
  it('writes the same GeoPackage from the command line', async () => {
    const out = path.join(dir, 'cli.gpkg')
    const { stdout } = await promisify(execFile)('npx', ['tsx', 'scripts/export-data.ts', '--commune', A, '--format', 'gpkg', '--out', out], {
      env: { ...process.env, DATABASE_URL: inject('databaseUrl'), LOG_LEVEL: 'silent' },
      timeout: 120_000,
    })
    expect(JSON.parse(stdout.trim().split('\n').pop()!)).toMatchObject({ format: 'gpkg', rows: await count('parcels', { commune_code: A }) })
    expect(featureCount(await gdal('ogrinfo', ['-ro', '-so', out, `parcels_${A}`]))).toBe(await count('parcels', { commune_code: A }))
  })
})
