/**
 * Reading a shapefile set (.shp + .dbf, optional .shx .prj .cpg) as delivered by contractors.
 * Geometry is read by the `shapefile` package; attributes by our byte-level DBF reader so the
 * text encoding (UTF-8, TCVN3, VNI, cp1258) can be detected before decoding. Structural damage
 * (truncated files, record counts that disagree) is an error that names the file, so nothing
 * half-read is ever loaded.
 */
import fs from 'node:fs'
import path from 'node:path'
import * as shapefile from 'shapefile'
import type { Feature, Geometry } from 'geojson'
import { Invalid } from '../../errors.js'
import { decode, detectEncoding, normalizeCpg, repairResidue, type VietEncoding } from '../encoding/index.js'
import { fieldBytes, fieldLatin1, parseNonText, readDbfHeader, readDbfRecords, type DbfHeader } from '../dbf-reader.js'
import type { Finding } from '../findings.js'
import type { PolygonCoordinates } from '../wkb.js'
import type { FeatureSource, SourceFeature } from './types.js'

export interface ShapefileSet {
  shp: string
  dbf?: string
  shx?: string
  prj?: string
  cpg?: string
}

const POLYGON_TYPES = new Set([0, 5, 15, 25])
const SHAPE_TYPE_NAMES: Record<number, string> = { 1: 'Point', 3: 'PolyLine', 8: 'MultiPoint', 11: 'PointZ', 13: 'PolyLineZ', 18: 'MultiPointZ', 21: 'PointM', 23: 'PolyLineM', 28: 'MultiPointM', 31: 'MultiPatch' }
const SAMPLE_RECORDS = 1000
// Residue is text made only of cp1252 characters with some beyond ASCII; text holding any
// other letter (ư, ơ, đ, ạ ...) is real Unicode Vietnamese and is not re-examined.
const BEYOND_ASCII = /[\u0080-\u00ff]/
const NOT_CP1252 = /[^\u0000-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]/
const mayCarryResidue = (text: string) => BEYOND_ASCII.test(text) && !NOT_CP1252.test(text)

export async function openShapefileSource(set: ShapefileSet): Promise<FeatureSource> {
  const file = path.basename(set.shp)
  const findings: Finding[] = []
  const header = readShpHeader(set.shp, file)
  if (!set.dbf) throw new Invalid(`Bộ tệp ${file}: thiếu tệp thuộc tính .dbf (the .dbf file is missing).`, { file })
  const dbfName = path.basename(set.dbf)
  const dbf = await readDbfHeader(set.dbf)

  let shpCount: number | null = null
  if (set.shx) {
    const shxCount = Math.max(0, Math.floor((fs.statSync(set.shx).size - 100) / 8))
    if (shxCount === dbf.recordCount) shpCount = shxCount
    else {
      // The .shx is only an index: the .shp's own records say whether the .dbf or the .shx is off.
      const shpRecords = countShpRecords(set.shp, file)
      if (shpRecords !== dbf.recordCount) {
        throw new Invalid(
          `Bộ tệp ${file}: tệp .shp có ${shpRecords} đối tượng nhưng tệp ${dbfName} có ${dbf.recordCount} bản ghi; hai tệp không khớp nhau (record counts differ).`,
          { file: dbfName },
        )
      }
      // A stale .shx (left from an earlier version of the set) is treated like a missing one.
      findings.push({ code: 'shx_mismatch', severity: 'warning', file, message: `Tệp .shx của ${file} ghi ${shxCount} đối tượng nhưng tệp .shp và ${dbfName} có ${shpRecords}; tệp .shx cũ hoặc hỏng đã bị bỏ qua, đọc tệp .shp tuần tự (stale .shx ignored; .shp read sequentially).` })
    }
  } else {
    findings.push({ code: 'shx_missing', severity: 'info', file, message: `Bộ tệp ${file} không có tệp .shx; đã đọc tệp .shp tuần tự (no .shx: read sequentially).` })
  }

  const { encoding, report: encodingReport } = await chooseEncoding(set, dbf, findings, file)
  const prjText = set.prj ? fs.readFileSync(set.prj, 'utf8') : null

  return {
    file,
    columns: dbf.fields.map((f) => f.name),
    total: dbf.recordCount,
    bbox: header.bbox,
    prjText,
    crsName: null,
    findings,
    report: { format: 'shapefile', shapeType: header.shapeType, records: dbf.recordCount, ...encodingReport },
    features: () => readFeatures(set, dbf, encoding, file, dbfName, shpCount),
  }
}

function readShpHeader(shpPath: string, file: string): { shapeType: number; bbox: [number, number, number, number] } {
  const size = fs.statSync(shpPath).size
  const fd = fs.openSync(shpPath, 'r')
  const head = Buffer.alloc(100)
  try {
    fs.readSync(fd, head, 0, 100, 0)
  } finally {
    fs.closeSync(fd)
  }
  if (size < 100 || head.readInt32BE(0) !== 9994) throw new Invalid(`Tệp ${file} không phải tệp shapefile hợp lệ (not a shapefile: bad header).`, { file })
  const declared = head.readInt32BE(24) * 2
  if (declared > size) {
    throw new Invalid(`Tệp ${file} bị cắt cụt: phần đầu khai báo ${declared} byte nhưng tệp chỉ có ${size} byte (truncated .shp). Hãy xin lại tệp gốc.`, { file })
  }
  const shapeType = head.readInt32LE(32)
  if (!POLYGON_TYPES.has(shapeType)) {
    throw new Invalid(`Tệp ${file} chứa đối tượng kiểu ${SHAPE_TYPE_NAMES[shapeType] ?? shapeType}, không phải vùng thửa đất (expected Polygon shapes).`, { file })
  }
  return { shapeType, bbox: [head.readDoubleLE(36), head.readDoubleLE(44), head.readDoubleLE(52), head.readDoubleLE(60)] }
}

/** Counts the .shp's records by walking their headers; a record running past the end is damage. */
function countShpRecords(shpPath: string, file: string): number {
  const size = fs.statSync(shpPath).size
  const fd = fs.openSync(shpPath, 'r')
  const head = Buffer.alloc(8)
  let count = 0
  try {
    for (let at = 100; at < size; count++) {
      const read = fs.readSync(fd, head, 0, 8, at)
      const next = at + 8 + head.readInt32BE(4) * 2
      if (read < 8 || head.readInt32BE(4) < 2 || next > size) {
        throw new Invalid(`Tệp ${file} bị hỏng ở đối tượng ${count + 1} (damaged .shp).`, { file, row: count + 1 })
      }
      at = next
    }
  } finally {
    fs.closeSync(fd)
  }
  return count
}

/** .cpg when it is trustworthy, otherwise detection from the text bytes of the first records. */
async function chooseEncoding(set: ShapefileSet, dbf: DbfHeader, findings: Finding[], file: string): Promise<{ encoding: VietEncoding; report: Record<string, unknown> }> {
  const textFields = dbf.fields.filter((f) => f.type === 'C')
  // Distinct values only: addresses and land-use names repeat on every row.
  const samples = new Map<string, Buffer>()
  let n = 0
  for await (const record of readDbfRecords(set.dbf!, dbf)) {
    for (const field of textFields) {
      const bytes = fieldBytes(record.bytes, field)
      if (hasHighByte(bytes)) samples.set(bytes.toString('latin1'), Buffer.from(bytes))
    }
    if (++n >= SAMPLE_RECORDS) break
  }
  const detected = detectEncoding([...samples.values()])
  const cpgText = set.cpg ? fs.readFileSync(set.cpg, 'latin1').trim() : null
  const declared = cpgText === null ? null : normalizeCpg(cpgText)
  if (cpgText !== null && declared === null) {
    findings.push({ code: 'cpg_unrecognised', severity: 'warning', file, message: `Tệp .cpg của ${file} ghi "${printable(cpgText.slice(0, 40))}", không nhận ra bảng mã; đã tự nhận dạng là ${detected.encoding} (unrecognised .cpg; encoding detected).` })
  }
  let encoding = detected.encoding
  if (declared && (detected.asciiOnly || declared === detected.encoding || detected.confidence === 0)) encoding = declared
  else if (declared && declared !== detected.encoding) {
    findings.push({ code: 'cpg_contradicted', severity: 'warning', file, message: `Tệp .cpg của ${file} ghi ${declared} nhưng nội dung là ${detected.encoding}; đã dùng ${detected.encoding} (.cpg contradicts the text).` })
  }
  if (encoding !== 'utf8') {
    findings.push({ code: 'encoding_converted', severity: 'info', file, message: `Văn bản trong ${file} dùng bảng mã ${encoding.toUpperCase()}, đã chuyển sang Unicode (converted from ${encoding} to Unicode NFC).` })
  }
  return { encoding, report: { encoding, encodingDeclared: declared, encodingConfidence: detected.confidence } }
}

async function* readFeatures(set: ShapefileSet, dbf: DbfHeader, encoding: VietEncoding, file: string, dbfName: string, shxCount: number | null): AsyncGenerator<SourceFeature> {
  // Large reads: the reader asks its stream for every record, and 64 KiB chunks mean many more trips.
  const shapes = await shapefile.openShp(set.shp, { highWaterMark: 1 << 20 })
  const records = readDbfRecords(set.dbf!, dbf)
  // Decoding and residue repair are pure functions of the bytes; values repeat a lot.
  const decoded = new Map<string, { text: string; repair: ReturnType<typeof repairResidue> | null }>()
  let row = 0
  for (;;) {
    const shape = await shapes.read().catch((error: Error) => {
      throw new Invalid(`Tệp ${file} bị hỏng ở đối tượng ${row + 1}: ${error.message} (damaged .shp).`, { file, row: row + 1 })
    })
    const record = await records.next()
    if (shape.done || record.done) {
      // The .shx agreed with the .dbf at opening: shapes ending early mean the .shp is damaged.
      if (shape.done && !record.done && shxCount !== null) {
        throw new Invalid(`Tệp ${file} bị hỏng ở đối tượng ${row + 1}: chỉ đọc được ${row} trong ${shxCount} đối tượng mà tệp .shx và ${dbfName} ghi (damaged .shp: records unreadable from ${row + 1}).`, { file, row: row + 1 })
      }
      if (shape.done !== Boolean(record.done)) {
        const shpRecords = shape.done ? row : `hơn ${row}`
        const dbfRecords = record.done ? row : dbf.recordCount
        throw new Invalid(`Bộ tệp ${file}: tệp .shp có ${shpRecords} đối tượng nhưng tệp ${dbfName} có ${dbfRecords} bản ghi (record counts differ).`, { file: dbfName, row: row + 1 })
      }
      break
    }
    row++
    const bytes = record.value.bytes
    const attributes: Record<string, unknown> = {}
    const rawText: Record<string, string> = {}
    let textRepairs: SourceFeature['textRepairs']
    for (const field of dbf.fields) {
      // Latin1 text is the field's bytes one for one: a key for the cache, and what numbers are read from.
      const latin1 = fieldLatin1(bytes, field)
      if (field.type !== 'C') {
        attributes[field.name] = parseNonText(latin1, field)
        rawText[field.name] = latin1
        continue
      }
      let cached = decoded.get(latin1)
      if (!cached) {
        const text = decode(fieldBytes(bytes, field), encoding)
        cached = { text, repair: mayCarryResidue(text) ? repairResidue(text) : null }
        if (decoded.size < 100_000) decoded.set(latin1, cached)
      }
      // The text as decoded is what is kept as raw; the repaired text is the value.
      const text = cached.text
      const repair = cached.repair
      attributes[field.name] = text
      rawText[field.name] = text
      if (repair?.changed) {
        ;(textRepairs ??= []).push({ field: field.name, before: text, after: repair.text })
        attributes[field.name] = repair.text
      } else if (repair?.ambiguous) {
        ;(textRepairs ??= []).push({ field: field.name, before: text, after: null })
      }
    }
    const geometry = shape.value as Geometry | null
    // A record marked deleted in the .dbf is gone for every GIS (GDAL, QGIS, ArcGIS skip it):
    // loading it would bring back a parcel the contractor removed. It is skipped, with its row.
    const polygons = record.value.deleted ? null : polygonsOf(geometry)
    const nullReason = record.value.deleted ? 'bản ghi đã bị đánh dấu xóa trong tệp .dbf — record marked deleted' : 'null shape'
    yield { row, polygons, nullReason: polygons ? undefined : nullReason, deleted: record.value.deleted, attributes, rawText, textRepairs }
  }
  if (shxCount !== null && row !== shxCount) {
    throw new Invalid(`Bộ tệp ${file}: tệp .shx khai báo ${shxCount} đối tượng nhưng đọc được ${row} (the .shx does not match the .shp).`, { file })
  }
}

function hasHighByte(bytes: Buffer): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! >= 0x80) return true
  return false
}

/** File bytes quoted in a message: control characters (a NUL cannot be stored in text) shown as U+FFFD. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '\uFFFD')
}

function polygonsOf(geometry: Geometry | null | Feature): PolygonCoordinates[] | null {
  if (!geometry || !('type' in geometry)) return null
  if (geometry.type === 'Polygon') return geometry.coordinates.length ? [geometry.coordinates] : null
  if (geometry.type === 'MultiPolygon') return geometry.coordinates.length ? geometry.coordinates : null
  return null
}

/** The shapefile set around a .shp path: its .dbf/.shx/.prj/.cpg siblings, in either letter case. */
export function shapefileSetAt(shpPath: string): { kind: 'shapefile'; name: string; shp: string; dbf?: string; shx?: string; prj?: string; cpg?: string } {
  const base = shpPath.slice(0, -path.extname(shpPath).length)
  const part = (ext: string) => [base + ext, base + ext.toUpperCase()].find((p) => fs.existsSync(p))
  return { kind: 'shapefile', name: path.basename(base), shp: shpPath, dbf: part('.dbf'), shx: part('.shx'), prj: part('.prj'), cpg: part('.cpg') }
}
