/**
 * The shapefile writer, read back with the independent `shapefile` package: geometry with
 * holes and multiple parts, attributes, counts, bbox, UTF-8 Vietnamese text, and the header
 * lengths byte by byte.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as shapefile from 'shapefile'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ShapefileWriter, fromGeoJson, tm3PrjWkt, type DbfField } from '../../src/formats/index.js'

const fields: DbfField[] = [
  { name: 'SHBANDO', type: 'N', length: 4 },
  { name: 'SHTHUA', type: 'N', length: 7, decimals: 1 },
  { name: 'DIENTICH', type: 'N', length: 12, decimals: 1 },
  { name: 'TENCHU', type: 'C', length: 40 },
  { name: 'DaCapGCN', type: 'L' },
  { name: 'NGAYCAP', type: 'D' },
]

// A square with a square hole, given counter-clockwise outer / clockwise hole (GeoJSON order),
// so the writer must turn both around.
const squareWithHole = fromGeoJson({
  type: 'Polygon',
  coordinates: [
    [[450000, 1500000], [450010, 1500000], [450010, 1500010], [450000, 1500010], [450000, 1500000]],
    [[450002, 1500002], [450002, 1500004], [450004, 1500004], [450004, 1500002], [450002, 1500002]],
  ],
})
// Two triangles as one multi-part feature, rings not closed.
const twoParts = [[[450020, 1500000, 450030, 1500000, 450020, 1500005]], [[450040, 1500020, 450050, 1500020, 450040, 1500030]]]

describe('ShapefileWriter', () => {
  let directory: string
  let base: string

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'landbook-shp-'))
    base = join(directory, 'parcels')
    const writer = await ShapefileWriter.create(base, { fields, prj: tm3PrjWkt(108.5), date: new Date(Date.UTC(2023, 11, 31)) })
    await writer.write(squareWithHole, [1, 12, 96, 'Nguyễn Văn Thành', true, new Date(Date.UTC(2020, 4, 17))])
    await writer.write(twoParts, [1, 13, 125.25, '', false, null])
    await writer.write([], [2, 1, null, 'Rơ Mah H\'Blưn', null, '2019-01-02'])
    const summary = await writer.close()
    expect(summary).toMatchObject({ features: 3, records: 3, truncatedValues: 0, bbox: [450000, 1500000, 450050, 1500030] })
    expect(summary.files.map((file) => file.slice(-3))).toEqual(['shp', 'shx', 'dbf', 'prj', 'cpg'])
  })

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true })
  })

  it('reads back geometry, holes and attributes with the shapefile package', async () => {
    const collection = await shapefile.read(`${base}.shp`, `${base}.dbf`, { encoding: 'utf-8' })
    expect(collection.bbox).toEqual([450000, 1500000, 450050, 1500030])
    expect(collection.features).toHaveLength(3)
    const [first, second, third] = collection.features
    expect(first!.geometry).toEqual({
      type: 'Polygon',
      coordinates: [
        // outer clockwise, hole counter-clockwise, as ESRI requires
        [[450000, 1500000], [450000, 1500010], [450010, 1500010], [450010, 1500000], [450000, 1500000]],
        [[450002, 1500002], [450004, 1500002], [450004, 1500004], [450002, 1500004], [450002, 1500002]],
      ],
    })
    expect(second!.geometry.type).toBe('MultiPolygon')
    expect((second!.geometry as { coordinates: number[][][][] }).coordinates).toHaveLength(2)
    expect(third!.geometry).toBeNull()
    expect(first!.properties).toEqual({
      SHBANDO: 1, SHTHUA: 12, DIENTICH: 96, TENCHU: 'Nguyễn Văn Thành', DaCapGCN: true,
      NGAYCAP: new Date(2020, 4, 17),
    })
    expect(second!.properties).toMatchObject({ SHTHUA: 13, DIENTICH: 125.3, TENCHU: null, DaCapGCN: false })
    expect(third!.properties).toMatchObject({ DIENTICH: null, TENCHU: 'Rơ Mah H\'Blưn', DaCapGCN: null })
  })

  it('writes header lengths and record offsets consistent with the file sizes', async () => {
    const shp = await readFile(`${base}.shp`)
    const shx = await readFile(`${base}.shx`)
    expect(shp.readInt32BE(0)).toBe(9994)
    expect(shp.readInt32BE(24) * 2).toBe(shp.length)
    expect(shx.readInt32BE(24) * 2).toBe(shx.length)
    expect(shx.length).toBe(100 + 3 * 8)
    expect(shp.readInt32LE(28)).toBe(1000)
    expect(shp.readInt32LE(32)).toBe(5)
    expect(shx.subarray(28, 100)).toEqual(shp.subarray(28, 100))
    // Each index entry points at a record whose header carries the same content length.
    let expectedOffset = 100
    for (let record = 0; record < 3; record++) {
      const offset = shx.readInt32BE(100 + record * 8) * 2
      const contentWords = shx.readInt32BE(104 + record * 8)
      expect(offset).toBe(expectedOffset)
      expect(shp.readInt32BE(offset)).toBe(record + 1)
      expect(shp.readInt32BE(offset + 4)).toBe(contentWords)
      expectedOffset = offset + 8 + contentWords * 2
    }
    expect(expectedOffset).toBe(shp.length)
    // Square with hole: 2 parts, 10 points → 44 + 2·4 + 10·16 = 212 bytes of content.
    expect(shx.readInt32BE(104)).toBe(212 / 2)
  })

  it('writes the DBF header: count, lengths, fixed date, terminators', async () => {
    const dbf = await readFile(`${base}.dbf`)
    expect(dbf[0]).toBe(0x03)
    expect([dbf[1], dbf[2], dbf[3]]).toEqual([123, 12, 31])
    expect(dbf.readUInt32LE(4)).toBe(3)
    const headerLength = dbf.readUInt16LE(8)
    const recordLength = dbf.readUInt16LE(10)
    expect(headerLength).toBe(32 + 32 * fields.length + 1)
    expect(recordLength).toBe(1 + 4 + 7 + 12 + 40 + 1 + 8)
    expect(dbf[headerLength - 1]).toBe(0x0d)
    expect(dbf.length).toBe(headerLength + 3 * recordLength + 1)
    expect(dbf[dbf.length - 1]).toBe(0x1a)
    // Numbers right-aligned with fixed decimals, as dBASE writes them.
    const second = dbf.subarray(headerLength + recordLength, headerLength + 2 * recordLength)
    expect(second.toString('latin1', 1, 1 + 4 + 7 + 12)).toBe('   1   13.0       125.3')
  })

  it('writes the .cpg and .prj side files', async () => {
    expect(await readFile(`${base}.cpg`, 'utf8')).toBe('UTF-8')
    expect(await readFile(`${base}.prj`, 'utf8')).toBe(tm3PrjWkt(108.5))
  })
})
