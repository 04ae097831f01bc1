/**
 * One spreadsheet row to one `attribute_records` row (hồ sơ): the key normalised with its raw
 * text kept, the values read, the unmapped columns kept as attributes. A row with an error
 * (no key, unreadable area, another commune) is reported and not loaded; a row that loads
 * may still carry warnings (duplicate key, ambiguous area, text that is not a code).
 */
import type { CopyValue } from '../copy.js'
import type { FindingLog } from '../findings.js'
import { cleanText } from '../values.js'
import type { RecordField, ResolvedColumns } from './headers.js'
import { normalizeCommuneText, recordKey } from './keys.js'
import { findings } from './messages.js'
import type { SourceRow } from './source.js'
import { cellText, isoDate } from './table.js'
import { landUseCodes, normalizeSerial, readArea, splitOwners, type DecimalMark } from './values.js'
import { readLocation, type RecordLocation } from './location.js'

export const RECORD_COLUMNS = [
  'commune_code', 'sheet_number', 'parcel_number', 'sheet_number_raw', 'parcel_number_raw', 'owner_name', 'owners',
  'certificate_serial', 'book_entry_number', 'legal_area_m2', 'land_use_codes', 'land_use_raw', 'address', 'attributes',
  'import_job_id', 'source_row', 'location', 'location_raw',
]

const cellOf = (cells: SourceRow['cells'], i: number) => cells[i] ?? null

export class RecordRows {
  /** The decimal mark the file's areas have shown so far. */
  decimalMark: DecimalMark | null = null
  readonly sheets = new Set<string>()
  /** Rows that carry a point, and those whose point could not be read. */
  readonly locations = { read: 0, unreadable: 0 }
  private readonly keys = new Map<string, number>()
  private readonly unmapped: Array<[number, string]>

  constructor(
    private readonly file: string,
    private readonly communeCode: string,
    private readonly jobId: number,
    private readonly headers: string[],
    private readonly columns: ResolvedColumns,
    private readonly log: FindingLog,
    /** The commune's TM-3 CRS: X/Y coordinates in the register are in it. */
    private readonly srid: number,
  ) {
    const used = new Set(Object.values(columns.index))
    this.unmapped = headers.map((h, i) => [i, h] as [number, string]).filter(([i]) => !used.has(i))
  }

  /**
   * Takes the decimal mark from the first of `rows` whose area shows it, so a "1.234" near the
   * top of the file is read the way the rest of the file writes its areas.
   */
  learnDecimalMark(rows: SourceRow[]): void {
    const column = this.columns.index.legalArea
    if (column === undefined) return
    for (const row of rows) {
      const value = row.cells[column]
      if (typeof value !== 'string') continue
      const reading = readArea(value)
      if (reading.ok && reading.mark) {
        this.decimalMark = reading.mark
        return
      }
    }
  }

  /** The COPY values of the row, or null when it has an error (reported). */
  toCopyRow(source: SourceRow): CopyValue[] | null {
    const { cells } = source
    const at = { file: this.file, row: source.row }
    const index = this.columns.index
    const cell = (field: RecordField) => (index[field] === undefined ? null : cells[index[field]!] ?? null)
    const text = (field: RecordField) => cellText(cell(field))
    const header = (field: RecordField) => this.columns.mapping[field]!

    const extra = cells.slice(this.headers.length)
    if (extra.some((c) => cellText(c).trim() !== '')) {
      this.log.add(findings.tooManyCells(at, cells.length, this.headers.length))
      return null
    }

    if (index.commune !== undefined) {
      const raw = text('commune').trim()
      const code = normalizeCommuneText(raw)
      if (code === null) return this.reject(findings.invalidCommune(at, header('commune'), raw))
      if (code !== '' && code !== this.communeCode) return this.reject(findings.otherCommune(at, header('commune'), raw, this.communeCode))
    }

    for (const field of ['sheet', 'parcel'] as const) {
      const value = cell(field)
      if (value instanceof Date) return this.reject(findings.keyIsDate(at, header(field), isoDate(value)))
    }
    const sheetRaw = text('sheet')
    const parcelRaw = text('parcel')
    const key = recordKey(sheetRaw, parcelRaw)
    if (key.sheet === '') return this.reject(findings.missingKey(at, header('sheet')))
    if (key.parcel === '') return this.reject(findings.missingKey(at, header('parcel')))

    let area: number | null = null
    if (index.legalArea !== undefined) {
      const value = cell('legalArea')
      const reading = readArea(typeof value === 'number' ? value : cellText(value), this.decimalMark)
      if (!reading.ok) return this.reject(findings.unreadableArea(at, header('legalArea'), cellText(value)))
      this.decimalMark ??= reading.mark
      if (reading.ambiguous && reading.value !== null) this.log.add(findings.ambiguousArea(at, header('legalArea'), cellText(value), reading.value))
      area = reading.value
    }

    // The row loads: from here on only warnings.
    if (key.slashConflict) this.log.add(findings.slashConflict(at, header('parcel'), parcelRaw.trim(), key.sheet))
    const keyText = `${key.sheet}\u0000${key.parcel}`
    const firstRow = this.keys.get(keyText)
    if (firstRow === undefined) this.keys.set(keyText, source.row)
    else this.log.add(findings.duplicateKey(at, key.sheet, key.parcel, firstRow))
    this.sheets.add(key.sheet)

    const owner = cleanText(text('owner'))
    const serial = normalizeSerial(text('serial'))
    if (!serial.recognised) this.log.add(findings.serialUnrecognised(at, header('serial'), serial.serial ?? ''))
    const landUse = cleanText(text('landUse'))
    const codes = landUseCodes(landUse)
    if (codes.notCodes.length > 0) this.log.add(findings.landUseNotCode(at, header('landUse'), landUse ?? '', codes.notCodes))

    const location = this.location(cell)
    if (location && !location.ok) this.log.add(findings.locationUnreadable(at, this.locationHeaders(), location.raw))

    return [
      this.communeCode, key.sheet, key.parcel, sheetRaw === '' ? null : sheetRaw, parcelRaw === '' ? null : parcelRaw,
      owner, JSON.stringify(splitOwners(owner)), serial.serial, cleanText(text('bookEntry')), area,
      codes.codes, landUse, cleanText(text('address')), this.attributes(cells), this.jobId, source.row,
      location?.ok ? location.ewkt : null, location?.raw ?? null,
    ]
  }

  /** The row's point from its X/Y columns, else its longitude/latitude columns. */
  private location(cell: (field: RecordField) => ReturnType<typeof cellOf>): RecordLocation {
    const index = this.columns.index
    const value = (field: RecordField) => {
      const v = cell(field)
      return v instanceof Date ? isoDate(v) : typeof v === 'number' ? v : v === null ? null : cellText(v)
    }
    let location: RecordLocation = null
    if (index.x !== undefined && index.y !== undefined) location = readLocation('xy', value('x'), value('y'), this.srid)
    if (location === null && index.longitude !== undefined && index.latitude !== undefined) location = readLocation('lonlat', value('longitude'), value('latitude'), this.srid)
    if (location?.ok) this.locations.read++
    else if (location) this.locations.unreadable++
    return location
  }

  private locationHeaders(): string {
    const m = this.columns.mapping
    return [m.x, m.y].every(Boolean) ? `${m.x}, ${m.y}` : `${m.longitude}, ${m.latitude}`
  }

  /** The unmapped columns' non-empty cells, by header; numbers stay numbers. */
  private attributes(cells: SourceRow['cells']): Record<string, unknown> {
    const attributes: Record<string, unknown> = {}
    for (const [i, name] of this.unmapped) {
      const value = cells[i]
      if (value === null || value === undefined || (typeof value === 'string' && value.trim() === '')) continue
      attributes[name] = value instanceof Date ? isoDate(value) : value
    }
    return attributes
  }

  private reject(finding: Parameters<FindingLog['add']>[0]): null {
    this.log.add(finding)
    return null
  }
}
