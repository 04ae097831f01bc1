/**
 * Bulk loading in PostgreSQL's binary COPY format (COPY ... FROM STDIN (FORMAT binary)).
 * Each field goes into one growing buffer as its bytes: geometry as EWKB rather than hex text,
 * numbers without printing and re-parsing them, text without escaping. Used for parcels, the
 * one table loaded at province scale; smaller loads use the text format of ./copy.ts.
 */
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { Knex } from 'knex'
import { from as copyFrom } from 'pg-copy-streams'

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1')
const TEXT_OID = 25
const CHUNK_BYTES = 1 << 20

/** Writes tuples field by field; full chunks are taken out with `take`. */
export class BinaryCopyWriter {
  private buffer = Buffer.allocUnsafe(CHUNK_BYTES)
  /** Numbers go through a DataView: Buffer's write methods check their arguments on every call. */
  private view = viewOf(this.buffer)
  private at = 0
  private readonly ready: Buffer[] = []

  constructor() {
    this.reserve(SIGNATURE.length + 8)
    this.at += SIGNATURE.copy(this.buffer, this.at)
    this.view.setInt32(this.at, 0) // flags
    this.view.setInt32(this.at + 4, 0) // header extension length
    this.at += 8
  }

  /** Starts a tuple of `fields` fields. */
  row(fields: number): void {
    this.reserve(2)
    this.view.setInt16(this.at, fields)
    this.at += 2
  }

  null(): void {
    this.reserve(4)
    this.view.setInt32(this.at, -1)
    this.at += 4
  }

  text(value: string | null): void {
    if (value === null) return this.null()
    this.reserve(4 + 3 * value.length)
    const length = this.buffer.write(value, this.at + 4, 'utf8')
    this.view.setInt32(this.at, length)
    this.at += 4 + length
  }

  int4(value: number | null): void {
    if (value === null) return this.null()
    this.reserve(8)
    this.view.setInt32(this.at, 4)
    this.view.setInt32(this.at + 4, value)
    this.at += 8
  }

  int8(value: number | null): void {
    if (value === null) return this.null()
    this.reserve(12)
    const high = Math.floor(value / 4294967296)
    this.view.setInt32(this.at, 8)
    this.view.setInt32(this.at + 4, high)
    this.view.setUint32(this.at + 8, value - high * 4294967296)
    this.at += 12
  }

  float8(value: number | null): void {
    if (value === null) return this.null()
    this.reserve(12)
    this.view.setInt32(this.at, 8)
    this.view.setFloat64(this.at + 4, value)
    this.at += 12
  }

  /** A numeric: the decimal the number prints as, so a column's scale rounds it as it rounds text. */
  numeric(value: number | null): void {
    if (value === null) return this.null()
    const { digits, weight, negative, scale } = base10000(value)
    this.reserve(4 + 8 + 2 * digits.length)
    const view = this.view
    view.setInt32(this.at, 8 + 2 * digits.length)
    view.setInt16(this.at + 4, digits.length)
    view.setInt16(this.at + 6, weight)
    view.setUint16(this.at + 8, negative ? 0x4000 : 0)
    view.setInt16(this.at + 10, scale)
    this.at += 12
    for (const digit of digits) {
      view.setInt16(this.at, digit)
      this.at += 2
    }
  }

  /** A one-dimensional text[] without NULL elements. */
  textArray(values: string[]): void {
    let size = values.length === 0 ? 12 : 20
    for (const v of values) size += 4 + 3 * v.length
    this.reserve(4 + size)
    const view = this.view
    const start = this.at
    view.setInt32(start + 4, values.length === 0 ? 0 : 1) // dimensions
    view.setInt32(start + 8, 0) // no NULL elements
    view.setInt32(start + 12, TEXT_OID)
    this.at = start + 16
    if (values.length > 0) {
      view.setInt32(this.at, values.length)
      view.setInt32(this.at + 4, 1) // lower bound
      this.at += 8
      for (const v of values) {
        const length = this.buffer.write(v, this.at + 4, 'utf8')
        view.setInt32(this.at, length)
        this.at += 4 + length
      }
    }
    view.setInt32(start, this.at - start - 4)
  }

  /** jsonb: a version byte, then the JSON text. */
  jsonb(value: unknown): void {
    const json = JSON.stringify(value)
    this.reserve(5 + 3 * json.length)
    const length = this.buffer.write(json, this.at + 5, 'utf8')
    this.view.setInt32(this.at, 1 + length)
    this.buffer[this.at + 4] = 1
    this.at += 5 + length
  }

  /** A field of exactly `size` bytes that `write` puts at the offset it is given (returning the end). */
  bytes(size: number, write: (out: DataView, at: number) => number): void {
    this.reserve(4 + size)
    this.view.setInt32(this.at, size)
    this.at = write(this.view, this.at + 4)
  }

  /** Chunks filled so far (none until a chunk is full), to send while more rows are written. */
  take(): Buffer[] {
    return this.ready.length === 0 ? NONE : this.ready.splice(0)
  }

  /** The rest, with the end-of-data marker. */
  finish(): Buffer[] {
    this.reserve(2)
    this.view.setInt16(this.at, -1)
    this.at += 2
    this.ready.push(this.buffer.subarray(0, this.at))
    this.at = 0
    return this.take()
  }

  /** Room for `n` more bytes of one field: a field never straddles two chunks. */
  private reserve(n: number): void {
    if (this.at + n <= this.buffer.length) return
    if (this.at > 0) this.ready.push(this.buffer.subarray(0, this.at))
    this.buffer = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, n))
    this.view = viewOf(this.buffer)
    this.at = 0
  }
}

const NONE: Buffer[] = []

function viewOf(buffer: Buffer): DataView {
  return new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength)
}

/**
 * The decimal text of the number (String(value), as the text format would send it) as
 * numeric's base-10000 digits, weight (of the first digit) and display scale.
 */
function base10000(value: number): { digits: number[]; weight: number; negative: boolean; scale: number } {
  const text = String(value)
  const negative = text.charCodeAt(0) === 45 // '-'
  const e = text.indexOf('e')
  const end = e < 0 ? text.length : e
  // The decimal digits, and where the point falls among them: value = 0.d1d2… × 10^point.
  const decimal: number[] = []
  let point = -1
  for (let k = negative ? 1 : 0; k < end; k++) {
    const c = text.charCodeAt(k)
    if (c === 46) point = decimal.length // '.'
    else decimal.push(c - 48)
  }
  if (point < 0) point = decimal.length
  if (e >= 0) point += Number(text.slice(e + 1))
  const scale = Math.max(0, decimal.length - point)
  // Groups of four digits aligned on the point: digit k of `decimal` sits at position
  // point - 1 - k above it; group g covers positions 4g .. 4g + 3.
  const lead = (((-point) % 4) + 4) % 4
  const digits: number[] = []
  for (let k = -lead; k < decimal.length; k += 4) {
    let group = 0
    for (let d = k; d < k + 4; d++) group = group * 10 + (d >= 0 && d < decimal.length ? decimal[d]! : 0)
    digits.push(group)
  }
  let weight = (point + lead) / 4 - 1
  let first = 0
  while (first < digits.length && digits[first] === 0) first++
  let last = digits.length
  while (last > first && digits[last - 1] === 0) last--
  weight -= first
  const kept = digits.slice(first, last)
  return { digits: kept, weight: kept.length === 0 ? 0 : weight, negative: negative && kept.length > 0, scale }
}

/**
 * Streams binary COPY chunks into `table (columns)` on the transaction's own connection, so
 * the COPY is part of the caller's transaction. `freeze` writes the rows already frozen, for
 * a table this transaction created: no hint bits to set when they are next read, no freezing
 * left for vacuum (PostgreSQL's COPY FREEZE).
 */
export async function copyBinary(trx: Knex.Transaction, table: string, columns: string[], chunks: AsyncIterable<Buffer>, options: { freeze?: boolean } = {}): Promise<void> {
  const connection = await trx.client.acquireConnection()
  try {
    const columnList = columns.map((c) => `"${c}"`).join(', ')
    const copy = `COPY ${trx.raw('??', [table]).toQuery()} (${columnList}) FROM STDIN (FORMAT binary${options.freeze ? ', FREEZE' : ''})`
    await pipeline(Readable.from(chunks), connection.query(copyFrom(copy)))
  } finally {
    await trx.client.releaseConnection(connection)
  }
}
