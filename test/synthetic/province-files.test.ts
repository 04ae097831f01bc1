/**
 * The province-level files and conventions: communes.csv, sheets.csv, .prj, record CSV
 * headers with BOM, truth.json totals, and coordinates where Gia Lai is.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tm3PrjWkt } from '../../src/formats/index.js'
import { RECORDS_HEADERS } from '../../src/synthetic/index.js'
import { generateIntoTemp, readCsv, readParcels, readRecordRows, readTruth, SMALL_OPTIONS } from './load-province.js'

describe('synthetic province files', () => {
  let directory: string
  let cleanup: () => Promise<void>
  beforeAll(async () => ({ directory, cleanup } = await generateIntoTemp()))
  afterAll(async () => cleanup())
  const codes = Array.from({ length: SMALL_OPTIONS.communes }, (_, index) => String(SMALL_OPTIONS.firstCode + index))

  it('lists communes with code, Vietnamese name, province 64, VN-2000 TM-3 108°30′ and boundary', async () => {
    const text = await readFile(join(directory, 'communes.csv'), 'utf8')
    expect(text.split('\r\n')[0]).toBe('code,name,province_code,srid,central_meridian,boundary_wkt')
    const rows = await readCsv(join(directory, 'communes.csv'))
    expect(rows.map((row) => row.code)).toEqual(codes)
    for (const row of rows) {
      expect(row.name).toMatch(/^Xã \S/)
      expect([row.province_code, row.srid, row.central_meridian]).toEqual(['64', '9218', '108.5'])
      const [minX, minY, , , maxX, maxY] = row.boundary_wkt!.match(/[\d.]+/g)!.map(Number) as number[]
      expect(row.boundary_wkt).toMatch(/^POLYGON\(\(/)
      // Every parcel of the commune lies inside its boundary, and the boundary in Gia Lai.
      for (const feature of await readParcels(directory, row.code!)) {
        for (const [x, y] of feature.rings[0]!) {
          expect(x! > minX! && x! < maxX! && y! > minY! && y! < maxY!).toBe(true)
        }
      }
      expect(minX).toBeGreaterThanOrEqual(390_000)
      expect(maxY).toBeLessThanOrEqual(1_620_000)
    }
  })

  it('writes the VN-2000 TM-3 108°30′ .prj and a UTF-8 .cpg for every commune', async () => {
    for (const code of codes) {
      expect(await readFile(join(directory, 'parcels', `${code}.prj`), 'utf8')).toBe(tm3PrjWkt(108.5))
      expect(await readFile(join(directory, 'parcels', `${code}.cpg`), 'utf8')).toBe('UTF-8')
    }
  })

  it('writes record CSVs with a BOM and the header spelling the truth names', async () => {
    const layouts = new Set<string>()
    const headers = new Set<string>()
    for (const code of codes) {
      const bytes = await readFile(join(directory, 'records', `${code}.csv`))
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
      const truth = await readTruth(directory, code)
      const { header } = await readRecordRows(directory, code)
      expect(header).toEqual(RECORDS_HEADERS[truth.recordsCsv.header as keyof typeof RECORDS_HEADERS])
      expect(header).toEqual(truth.recordsCsv.columns)
      layouts.add(truth.dbf.schema)
      headers.add(truth.recordsCsv.header)
    }
    // The small test province is chosen to cover every DBF layout (see SMALL_OPTIONS).
    expect(layouts).toEqual(new Set(['full', 'maxa', 'madvhc']))
    expect(headers.size).toBeGreaterThanOrEqual(2)
  })

  it('writes "12.0"-style numbers where the layout stores them with a decimal', async () => {
    for (const code of codes) {
      const truth = await readTruth(directory, code)
      if (truth.dbf.schema !== 'madvhc') continue
      const dbf = await readFile(join(directory, 'parcels', `${code}.dbf`))
      const headerLength = dbf.readUInt16LE(8)
      // MADVHC C5, then TOBANDO N(6,1): first record's sheet reads "   1.0".
      expect(dbf.toString('latin1', headerLength + 1 + 5, headerLength + 1 + 5 + 6)).toBe('   1.0')
    }
  })

  it('describes sheets with their scale and rectangle', async () => {
    const sheets = await readCsv(join(directory, 'sheets.csv'))
    expect(Object.keys(sheets[0]!)).toEqual(['commune_code', 'sheet', 'scale_denominator', 'parcels', 'min_x', 'min_y', 'max_x', 'max_y'])
    for (const sheet of sheets) expect(['500', '1000', '2000', '5000']).toContain(sheet.scale_denominator)
  })

  it('sums commune truths into truth.json and manifest.json', async () => {
    const province = JSON.parse(await readFile(join(directory, 'truth.json'), 'utf8'))
    const manifest = JSON.parse(await readFile(join(directory, 'manifest.json'), 'utf8'))
    let parcels = 0
    let planted = 0
    for (const code of codes) {
      const truth = await readTruth(directory, code)
      parcels += truth.parcels
      planted += truth.planted.length
    }
    expect(province.counts.parcels).toBe(parcels)
    expect(Object.values(province.counts.planted as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(planted)
    expect(manifest.counts).toEqual(province.counts)
    expect(manifest.options).toEqual(SMALL_OPTIONS)
    expect(parcels).toBe(SMALL_OPTIONS.communes * SMALL_OPTIONS.parcelsPerCommune)
  })
})
