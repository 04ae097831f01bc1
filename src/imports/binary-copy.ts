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
  private at = 0
  private readonly ready: Buffer[] = []

  constructor() {
    this.reserve(SIGNATURE.length + 8)
    this.at += SIGNATURE.copy(this.buffer, this.at)
    this.at = this.buffer.writeInt32BE(0, this.at) // flags
    this.at = this.buffer.writeInt32BE(0, this.at) // header extension length
  }

  /** Starts a tuple of `fields` fields. */
  row(fields: number): void {
    this.reserve(2)
    this.at = this.buffer.writeInt16BE(fields, this.at)
  }

  null(): void {
    this.reserve(4)
    this.at = this.buffer.writeInt32BE(-1, this.at)
  }

  text(value: string | null): void {
    if (value === null) return this.null()
    this.reserve(4 + 3 * value.length)
    const length = this.buffer.write(value, this.at + 4, 'utf8')
    this.buffer.writeInt32BE(length, this.at)
    this.at += 4 + length
  }

  int4(value: number | null): void {
    if (value === null) return this.null()
    this.reserve(8)
    this.at = this.buffer.writeInt32BE(4, this.at)
    this.at = this.buffer.writeInt32BE(value, this.at)
  }

  int8(value: number | null): void {
    if (value === null) return this.null()
    this.reserve(12)
    const high = Math.floor(value / 4294967296)
    this.at = this.buffer.writeInt32BE(8, this.at)
    this.at = this.buffer.writeInt32BE(high, this.at)
    this.at = this.buffer.writeUInt32BE(value - high * 4294967296, this.at)
  }

  float8(value: number | null): void {
    if (value === null) return this.null()
    this.reserve(12)
    this.at = this.buffer.writeInt32BE(8, this.at)
    this.at = this.buffer.writeDoubleBE(value, this.at)
  }

  /** A numeric: the decimal the number prints as, so a column's scale rounds it as it rounds text. */
  numeric(value: number | null): void {
    if (value === null) return this.null()
    const { digits, weight, negative, scale } = base10000(value)
    this.reserve(4 + 8 + 2 * digits.length)
    this.at = this.buffer.writeInt32BE(8 + 2 * digits.length, this.at)
    this.at = this.buffer.writeInt16BE(digits.length, this.at)
    this.at = this.buffer.writeInt16BE(weight, this.at)
    this.at = this.buffer.writeUInt16BE(negative ? 0x4000 : 0, this.at)
    this.at = this.buffer.writeInt16BE(scale, this.at)
    for (const digit of digits) this.at = this.buffer.writeInt16BE(digit, this.at)
  }

  /** A one-dimensional text[] without NULL elements. */
  textArray(values: string[]): void {
    let size = values.length === 0 ? 12 : 20
    for (const v of values) size += 4 + 3 * v.length
    this.reserve(4 + size)
    const start = this.at
    this.at += 4
    this.at = this.buffer.writeInt32BE(values.length === 0 ? 0 : 1, this.at) // dimensions
    this.at = this.buffer.writeInt32BE(0, this.at) // no NULL elements
    this.at = this.buffer.writeInt32BE(TEXT_OID, this.at)
    if (values.length > 0) {
      this.at = this.buffer.writeInt32BE(values.length, this.at)
      this.at = this.buffer.writeInt32BE(1, this.at) // lower bound
      for (const v of values) {
        const length = this.buffer.write(v, this.at + 4, 'utf8')
        this.buffer.writeInt32BE(length, this.at)
        this.at += 4 + length
      }
    }
    this.buffer.writeInt32BE(this.at - start - 4, start)
  }

  /** jsonb: a version byte, then the JSON text. */
  jsonb(value: unknown): void {
    const json = JSON.stringify(value)
    this.reserve(5 + 3 * json.length)
    const length = this.buffer.write(json, this.at + 5, 'utf8')
    this.at = this.buffer.writeInt32BE(1 + length, this.at)
    this.buffer[this.at++] = 1
    this.at += length
  }

  /** A field of exactly `size` bytes that `write` puts at the offset it is given (returning the end). */
  bytes(size: number, write: (out: Buffer, at: number) => number): void {
    this.reserve(4 + size)
    this.at = this.buffer.writeInt32BE(size, this.at)
    this.at = write(this.buffer, this.at)
  }

  /** Chunks filled so far (none until a chunk is full), to send while more rows are written. */
  take(): Buffer[] {
    return this.ready.splice(0)
  }

  /** The rest, with the end-of-data marker. */
  finish(): Buffer[] {
    this.reserve(2)
    this.at = this.buffer.writeInt16BE(-1, this.at)
    this.ready.push(this.buffer.subarray(0, this.at))
    this.at = 0
    return this.take()
  }

  /** Room for `n` more bytes of one field: a field never straddles two chunks. */
  private reserve(n: number): void {
    if (this.at + n <= this.buffer.length) return
    if (this.at > 0) this.ready.push(this.buffer.subarray(0, this.at))
    this.buffer = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, n))
    this.at = 0
  }
}

/** The decimal text of the number as numeric's base-10000 digits, weight and display scale. */
function base10000(value: number): { digits: number[]; weight: number; negative: boolean; scale: number } {
  const [mantissa, exponent] = String(value).split('e') as [string, string | undefined]
  const negative = mantissa.startsWith('-')
  const unsigned = negative ? mantissa.slice(1) : mantissa
  const dot = unsigned.indexOf('.')
  const decimal = dot < 0 ? unsigned : unsigned.slice(0, dot) + unsigned.slice(dot + 1)
  // value = 0.decimal × 10^point
  const point = (dot < 0 ? unsigned.length : dot) + Number(exponent ?? 0)
  const scale = Math.max(0, decimal.length - point)
  // Pad so the decimal point falls on a group boundary, and the last group is whole.
  const lead = ((4 - (point % 4)) % 4 + 4) % 4
  let text = '0'.repeat(lead) + decimal
  text += '0'.repeat((4 - (text.length % 4)) % 4)
  let weight = (point + lead) / 4 - 1
  let digits: number[] = []
  for (let i = 0; i < text.length; i += 4) digits.push(Number(text.slice(i, i + 4)))
  while (digits.length > 0 && digits[0] === 0) {
    digits.shift()
    weight--
  }
  while (digits.length > 0 && digits[digits.length - 1] === 0) digits.pop()
  if (digits.length === 0) {
    digits = []
    weight = 0
  }
  return { digits, weight, negative: negative && digits.length > 0, scale }
}

/**
 * Streams binary COPY chunks into `table (columns)` on the transaction's own connection, so
 * the COPY is part of the caller's transaction.
 */
export async function copyBinary(trx: Knex.Transaction, table: string, columns: string[], chunks: AsyncIterable<Buffer>): Promise<void> {
  const connection = await trx.client.acquireConnection()
  try {
    const columnList = columns.map((c) => `"${c}"`).join(', ')
    await pipeline(Readable.from(chunks), connection.query(copyFrom(`COPY ${table} (${columnList}) FROM STDIN (FORMAT binary)`)))
  } finally {
    await trx.client.releaseConnection(connection)
  }
}
