/**
 * dBASE III field definitions and how one value is laid out in a fixed-width record slot.
 *
 * Types: C (text, a byte-length limit, left-aligned, space-padded), N (number with a fixed
 * count of decimals, right-aligned as dBASE writes it), L (logical T/F, `?` for unknown),
 * D (date as YYYYMMDD). Text goes through a caller-given encoder so that legacy Vietnamese
 * 8-bit encodings (TCVN3, VNI) can be written; UTF-8 takes a fast path with no allocation.
 */

export type DbfFieldType = 'C' | 'N' | 'L' | 'D'

export interface DbfField {
  /** At most 10 ASCII characters (dBASE limit), unique ignoring case. */
  name: string
  type: DbfFieldType
  /** Width in bytes; ignored for L (1) and D (8). */
  length?: number
  /** Digits after the decimal point, N only. */
  decimals?: number
}

/** A field after validation, with its offset inside the record (after the deletion flag). */
export interface ResolvedDbfField {
  name: string
  type: DbfFieldType
  length: number
  decimals: number
  offset: number
}

export type DbfValue = string | number | boolean | Date | null | undefined

/** Encodes text into the DBF's byte encoding (e.g. TCVN3); must not add a BOM. */
export type EncodeText = (text: string) => Buffer

const MAX_TEXT_BYTES = 254
const MAX_NUMBER_WIDTH = 20

/** Validates field definitions and computes each field's offset; throws RangeError. */
export function resolveFields(fields: readonly DbfField[]): ResolvedDbfField[] {
  if (fields.length === 0) throw new RangeError('A DBF needs at least one field')
  const seen = new Set<string>()
  let offset = 1 // byte 0 of every record is the deletion flag
  return fields.map((field) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,9}$/.test(field.name)) {
      throw new RangeError(`DBF field name "${field.name}" must be 1–10 ASCII letters, digits or _`)
    }
    const key = field.name.toUpperCase()
    if (seen.has(key)) throw new RangeError(`DBF field name "${field.name}" is repeated`)
    seen.add(key)
    const length = fieldLength(field)
    const decimals = field.type === 'N' ? field.decimals ?? 0 : 0
    if (decimals < 0 || (decimals > 0 && decimals > length - 2)) {
      throw new RangeError(`DBF field ${field.name}: ${decimals} decimals do not fit in width ${length}`)
    }
    const resolved = { name: field.name, type: field.type, length, decimals, offset }
    offset += length
    return resolved
  })
}

function fieldLength(field: DbfField): number {
  switch (field.type) {
    case 'L':
      return 1
    case 'D':
      return 8
    case 'C':
    case 'N': {
      const max = field.type === 'C' ? MAX_TEXT_BYTES : MAX_NUMBER_WIDTH
      const length = field.length ?? 0
      if (!Number.isInteger(length) || length < 1 || length > max) {
        throw new RangeError(`DBF field ${field.name} (${field.type}) needs a width of 1–${max}, got ${field.length}`)
      }
      return length
    }
    default:
      throw new RangeError(`DBF field ${(field as DbfField).name}: unsupported type ${(field as DbfField).type}`)
  }
}

/**
 * Writes `value` into `record` (pre-filled with spaces) at the field's slot.
 * Returns true when text had to be truncated to fit the byte width.
 */
export function writeValue(
  record: Buffer,
  field: ResolvedDbfField,
  value: DbfValue,
  encodeText: EncodeText | null,
): boolean {
  if (value === null || value === undefined) {
    // Blank is dBASE's "no value" for every type except L, whose unknown is '?'.
    if (field.type === 'L') record[field.offset] = 0x3f
    return false
  }
  switch (field.type) {
    case 'C':
      return writeText(record, field, String(value), encodeText)
    case 'N':
      writeNumber(record, field, value)
      return false
    case 'L':
      record[field.offset] = value === true || value === 'T' || value === 'Y' ? 0x54 : 0x46
      return false
    case 'D':
      record.write(formatDate(value, field.name), field.offset, 8, 'latin1')
      return false
  }
}

function writeText(record: Buffer, field: ResolvedDbfField, text: string, encodeText: EncodeText | null): boolean {
  if (encodeText === null) {
    // Buffer#write never writes a partial UTF-8 sequence, so truncation stays valid UTF-8.
    const written = record.write(text, field.offset, field.length, 'utf8')
    return written < Buffer.byteLength(text, 'utf8')
  }
  const bytes = encodeText(text)
  if (bytes.length <= field.length) {
    bytes.copy(record, field.offset)
    return false
  }
  truncateEncoded(text, field.length, encodeText).copy(record, field.offset)
  return true
}

/**
 * Longest prefix of `text` (whole code points) whose encoding fits `maxBytes`. Cutting the
 * encoded bytes instead could split a VNI letter from its tone-mark byte.
 */
function truncateEncoded(text: string, maxBytes: number, encodeText: EncodeText): Buffer {
  const chars = Array.from(text)
  let low = 0
  let high = chars.length
  while (low < high) {
    const middle = Math.ceil((low + high) / 2)
    if (encodeText(chars.slice(0, middle).join('')).length <= maxBytes) low = middle
    else high = middle - 1
  }
  return encodeText(chars.slice(0, low).join(''))
}

function writeNumber(record: Buffer, field: ResolvedDbfField, value: DbfValue): void {
  const number = typeof value === 'number' ? value : Number(value)
  if (!Number.isFinite(number)) throw new RangeError(`DBF field ${field.name}: ${String(value)} is not a number`)
  const text = number.toFixed(field.decimals)
  if (text.length > field.length) {
    throw new RangeError(`DBF field ${field.name}: ${text} does not fit in width ${field.length}`)
  }
  record.write(text, field.offset + field.length - text.length, 'latin1')
}

function formatDate(value: DbfValue, fieldName: string): string {
  if (value instanceof Date) {
    // UTC so that the written day does not depend on the machine's time zone.
    const month = String(value.getUTCMonth() + 1).padStart(2, '0')
    const day = String(value.getUTCDate()).padStart(2, '0')
    return `${String(value.getUTCFullYear()).padStart(4, '0')}${month}${day}`
  }
  const compact = String(value).replaceAll('-', '')
  if (!/^\d{8}$/.test(compact)) throw new RangeError(`DBF field ${fieldName}: "${String(value)}" is not a date`)
  return compact
}
