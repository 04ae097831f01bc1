/**
 * Streaming dBASE (.dbf) reader that hands out each field's raw bytes.
 *
 * The `shapefile` package decodes DBF text with one fixed encoding; Vietnamese deliveries come
 * in TCVN3, VNI or cp1258 without a reliable .cpg, so text must be decoded only after the
 * encoding has been detected from the bytes themselves (see ./encoding).
 */
import fs from 'node:fs'
import path from 'node:path'
import { Invalid } from '../errors.js'

export interface DbfField {
  name: string
  type: string
  length: number
  decimals: number
  offset: number
}

export interface DbfHeader {
  recordCount: number
  headerLength: number
  recordLength: number
  fields: DbfField[]
  /** Byte 29: the code page mark some writers set (0x57 = ANSI, 0x00 = none). */
  languageDriver: number
}

export async function readDbfHeader(file: string): Promise<DbfHeader> {
  const handle = await fs.promises.open(file, 'r')
  try {
    const head = Buffer.alloc(32)
    const { bytesRead } = await handle.read(head, 0, 32, 0)
    const name = path.basename(file)
    if (bytesRead < 32) throw new Invalid(`Tệp ${name} bị hỏng: phần đầu tệp DBF quá ngắn (DBF header truncated).`, { file: name })
    const recordCount = head.readUInt32LE(4)
    const headerLength = head.readUInt16LE(8)
    const recordLength = head.readUInt16LE(10)
    if (headerLength < 33 || recordLength < 1) throw new Invalid(`Tệp ${name} không phải tệp DBF hợp lệ (not a valid DBF file).`, { file: name })
    const descriptors = Buffer.alloc(headerLength - 32)
    await handle.read(descriptors, 0, descriptors.length, 32)
    const fields: DbfField[] = []
    let offset = 1 // byte 0 of each record is the deletion flag
    for (let at = 0; at + 32 <= descriptors.length && descriptors[at] !== 0x0d; at += 32) {
      const rawName = descriptors.subarray(at, at + 11)
      const end = rawName.indexOf(0)
      const field: DbfField = {
        name: rawName.subarray(0, end < 0 ? 11 : end).toString('latin1').trim(),
        type: String.fromCharCode(descriptors[at + 11]!),
        length: descriptors[at + 16]!,
        decimals: descriptors[at + 17]!,
        offset,
      }
      fields.push(field)
      offset += field.length
    }
    return { recordCount, headerLength, recordLength, fields, languageDriver: head[29]! }
  } finally {
    await handle.close()
  }
}

export interface DbfRecord {
  /** 1-based, counting deleted records too, so it matches the .shp record number. */
  row: number
  deleted: boolean
  bytes: Buffer
}

/** Streams the records; a file shorter than its header promises is an error naming the row. */
export async function* readDbfRecords(file: string, header: DbfHeader): AsyncGenerator<DbfRecord> {
  const stream = fs.createReadStream(file, { start: header.headerLength, highWaterMark: 1 << 20 })
  let pending: Buffer = Buffer.alloc(0)
  let row = 0
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let data = pending.length ? Buffer.concat([pending, chunk]) : chunk
    let at = 0
    while (row < header.recordCount && at + header.recordLength <= data.length) {
      const bytes = data.subarray(at, at + header.recordLength)
      row++
      yield { row, deleted: bytes[0] === 0x2a, bytes }
      at += header.recordLength
    }
    pending = row < header.recordCount ? Buffer.from(data.subarray(at)) : Buffer.alloc(0)
    if (row >= header.recordCount) break
  }
  stream.destroy()
  if (row < header.recordCount) {
    const name = path.basename(file)
    throw new Invalid(
      `Tệp ${name} bị cắt cụt: phần đầu ghi ${header.recordCount} bản ghi nhưng chỉ đọc được ${row} (DBF truncated at record ${row + 1}).`,
      { file: name, row: row + 1 },
    )
  }
}

/**
 * The field's bytes with dBASE padding (spaces, NULs) removed. Text ends at its first NUL, as
 * shapelib/GDAL read it: writers that store C strings leave stale bytes of an earlier value
 * after the NUL, and a NUL cannot be stored in PostgreSQL text anyway.
 */
export function fieldBytes(record: Buffer, field: DbfField): Buffer {
  const start = fieldStart(record, field)
  return record.subarray(start, fieldEnd(record, field, start))
}

/** The same bytes as latin1 text (one character per byte, no copy of the bytes first). */
export function fieldLatin1(record: Buffer, field: DbfField): string {
  const start = fieldStart(record, field)
  return record.toString('latin1', start, fieldEnd(record, field, start))
}

function fieldStart(record: Buffer, field: DbfField): number {
  let start = field.offset
  const end = field.offset + field.length
  if (field.type !== 'C') while (start < end && record[start] === 0x20) start++
  return start
}

function fieldEnd(record: Buffer, field: DbfField, start: number): number {
  let end = field.offset + field.length
  if (field.type === 'C') {
    const nul = record.indexOf(0x00, field.offset)
    if (nul >= 0 && nul < end) end = nul
  }
  while (end > start && (record[end - 1] === 0x20 || record[end - 1] === 0x00)) end--
  return end
}

/** Non-text fields are ASCII (given as their latin1 text): numbers, dates (YYYYMMDD) and logicals (T/F/Y/N/?). */
export function parseNonText(text: string, field: DbfField): string | number | boolean | null {
  if (text === '' || (text.charCodeAt(0) === 0x2a && /^\*+$/.test(text))) return null
  switch (field.type) {
    case 'N':
    case 'F': {
      const value = Number(text)
      return Number.isFinite(value) ? value : null
    }
    case 'L':
      return /^[TtYy]$/.test(text) ? true : /^[FfNn]$/.test(text) ? false : null
    case 'D':
      return /^\d{8}$/.test(text) ? `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}` : text
    default:
      return text
  }
}
