/**
 * Streaming dBASE III (.dbf) writer: the attribute table of a shapefile.
 *
 * Records are appended as they come; the record count in the header is patched on close, so
 * memory stays bounded by the write buffer whatever the number of records.
 */
import { BufferedFile } from './buffered-file.js'
import { resolveFields, writeValue, type DbfField, type DbfValue, type EncodeText, type ResolvedDbfField } from './dbf-fields.js'

export interface DbfWriterOptions {
  /** Encoder for C fields; omit for UTF-8. */
  encodeText?: EncodeText
  /**
   * "Last update" date stored in the header (UTC day). Defaults to today, as dBASE does;
   * pass a fixed date when output must be reproducible byte for byte.
   */
  date?: Date
}

export interface DbfSummary {
  records: number
  /** Text values cut to their field's byte width. */
  truncatedValues: number
}

const HEADER_BYTES = 32
const FIELD_DESCRIPTOR_BYTES = 32
const HEADER_TERMINATOR = 0x0d
const END_OF_FILE = 0x1a
const DELETION_FLAG_ACTIVE = 0x20

export class DbfWriter {
  private records = 0
  private truncatedValues = 0

  private constructor(
    private readonly file: BufferedFile,
    private readonly fields: ResolvedDbfField[],
    private readonly recordLength: number,
    private readonly encodeText: EncodeText | null,
  ) {}

  static async create(path: string, fields: readonly DbfField[], options: DbfWriterOptions = {}): Promise<DbfWriter> {
    const resolved = resolveFields(fields)
    const last = resolved[resolved.length - 1]!
    const recordLength = last.offset + last.length
    if (recordLength > 0xffff) throw new RangeError(`DBF record length ${recordLength} exceeds 65535 bytes`)
    const file = await BufferedFile.create(path)
    await file.append(buildHeader(resolved, recordLength, options.date ?? new Date()))
    return new DbfWriter(file, resolved, recordLength, options.encodeText ?? null)
  }

  /** Appends one record; `values` are in field order (missing trailing values are blank). */
  async write(values: readonly DbfValue[]): Promise<void> {
    if (values.length > this.fields.length) {
      throw new RangeError(`DBF record has ${values.length} values for ${this.fields.length} fields`)
    }
    const record = await this.file.reserve(this.recordLength)
    record.fill(0x20)
    record[0] = DELETION_FLAG_ACTIVE
    for (let index = 0; index < this.fields.length; index++) {
      if (writeValue(record, this.fields[index]!, values[index], this.encodeText)) this.truncatedValues++
    }
    this.records++
  }

  async close(): Promise<DbfSummary> {
    await this.file.append(Uint8Array.of(END_OF_FILE))
    const count = Buffer.alloc(4)
    count.writeUInt32LE(this.records, 0)
    await this.file.patch(4, count)
    await this.file.close()
    return { records: this.records, truncatedValues: this.truncatedValues }
  }

  async abort(): Promise<void> {
    await this.file.abort()
  }
}

function buildHeader(fields: ResolvedDbfField[], recordLength: number, date: Date): Buffer {
  const headerLength = HEADER_BYTES + FIELD_DESCRIPTOR_BYTES * fields.length + 1
  const header = Buffer.alloc(headerLength)
  header[0] = 0x03 // dBASE III without memo
  header[1] = date.getUTCFullYear() - 1900
  header[2] = date.getUTCMonth() + 1
  header[3] = date.getUTCDate()
  header.writeUInt32LE(0, 4) // record count, patched on close
  header.writeUInt16LE(headerLength, 8)
  header.writeUInt16LE(recordLength, 10)
  fields.forEach((field, index) => {
    const at = HEADER_BYTES + FIELD_DESCRIPTOR_BYTES * index
    header.write(field.name, at, 10, 'latin1')
    header.write(field.type, at + 11, 1, 'latin1')
    header[at + 16] = field.length
    header[at + 17] = field.decimals
  })
  header[headerLength - 1] = HEADER_TERMINATOR
  return header
}
