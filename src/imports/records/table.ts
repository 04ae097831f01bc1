/**
 * A records file as a table (bảng hồ sơ): finds the header row (the first row, within the
 * first twenty non-empty ones, whose headers name the key columns; title rows above it are
 * skipped), resolves the columns, and hands out the data rows with their text cleaned: NUL
 * characters replaced, legacy-font residue ("NguyÔn V¨n Thµnh") repaired, each with a finding.
 */
import { Invalid } from '../../errors.js'
import { repairResidue, type ResidueRepair } from '../encoding/index.js'
import type { FindingLog } from '../findings.js'
import { resolveRecordColumns, uniqueHeaders, type RecordsMapping, type ResolvedColumns } from './headers.js'
import { findings } from './messages.js'
import type { Cell, RecordSource, SourceRow } from './source.js'

const HEADER_SEARCH_ROWS = 20

export interface RecordTable {
  headers: string[]
  headerRow: number
  columns: ResolvedColumns
  /** Data rows after the header, blank rows left out. */
  rows: AsyncGenerator<SourceRow>
}

/** A cell as text: numbers as written by JavaScript ("12", "1694.5"), dates as ISO dates. */
export function cellText(cell: Cell | undefined): string {
  if (cell === null || cell === undefined) return ''
  if (cell instanceof Date) return isoDate(cell)
  if (typeof cell === 'boolean') return cell ? 'TRUE' : 'FALSE'
  return String(cell)
}

/** Excel dates carry no zone: exceljs gives them as UTC midnight. */
export function isoDate(date: Date): string {
  const iso = date.toISOString()
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso
}

function isBlank(row: SourceRow): boolean {
  return row.cells.every((cell) => cellText(cell).trim() === '')
}

export async function openRecordTable(source: RecordSource, options: { mapping?: RecordsMapping; communeGiven: boolean }, log: FindingLog): Promise<RecordTable> {
  const file = source.file
  const iterator = source.rows()[Symbol.asyncIterator]()
  let firstFailure: unknown = null
  let firstRow: number | null = null
  for (let searched = 0; searched < HEADER_SEARCH_ROWS; ) {
    const next = await iterator.next()
    if (next.done) break
    if (isBlank(next.value)) continue
    searched++
    firstRow ??= next.value.row
    // Headers typed in a legacy font (".VnTime") are residue too: "M· x·" is "Mã xã".
    const headers = uniqueHeaders(next.value.cells.map(cellText).map((text) => (mayCarryResidue(text) ? repairResidue(text).text : text)))
    try {
      const columns = resolveRecordColumns(headers, file, options)
      if (next.value.row > firstRow) log.add(findings.headerSkipped(file, firstRow, next.value.row))
      return { headers, headerRow: next.value.row, columns, rows: dataRows(iterator, headers, file, log) }
    } catch (error) {
      if (!(error instanceof Invalid)) throw error
      firstFailure ??= error
    }
  }
  throw firstFailure ?? new Invalid(findings.noHeader(file), { file })
}

/** Every cell of a column-number row is "1", "2", … or "(1)", "(2)", … in order. */
function isColumnNumbers(row: SourceRow): boolean {
  const numbers = row.cells.map(cellText).map((t) => t.trim()).filter((t) => t !== '').map((t) => /^\(?\s*(\d+)\s*\)?$/.exec(t)?.[1])
  return numbers.length >= 3 && numbers.every((n, i) => n !== undefined && Number(n) === Number(numbers[0]) + i)
}

async function* dataRows(iterator: AsyncIterator<SourceRow>, headers: string[], file: string, log: FindingLog): AsyncGenerator<SourceRow> {
  const repairs = new Map<string, ResidueRepair>()
  let first = true
  for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
    const row = next.value
    if (isBlank(row)) continue
    if (first) {
      first = false
      if (isColumnNumbers(row)) {
        log.add(findings.columnNumbersRow({ file, row: row.row }))
        continue
      }
    }
    yield { row: row.row, cells: row.cells.map((cell, i) => (typeof cell === 'string' ? cleanText(cell, headers[i] ?? `Cột ${i + 1}`, { file, row: row.row }, repairs, log) : cell)) }
  }
}

// Residue is text made only of cp1252 characters with some beyond ASCII (as in the shapefile
// reader); text holding any other letter (ư, ơ, đ, ạ …) is real Unicode Vietnamese.
const BEYOND_ASCII = /[\u0080-\u00ff]/
const NOT_CP1252 = /[^\u0000-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]/
const mayCarryResidue = (text: string) => BEYOND_ASCII.test(text) && !NOT_CP1252.test(text)

function cleanText(text: string, column: string, at: { file: string; row: number }, repairs: Map<string, ResidueRepair>, log: FindingLog): string {
  let clean = text
  if (clean.includes('\ufffd')) log.add(findings.undecodable(at, column, clean))
  if (clean.includes('\u0000')) {
    clean = clean.replaceAll('\u0000', '\ufffd')
    log.add(findings.nulReplaced(at, column))
  }
  if (!mayCarryResidue(clean)) return clean
  let repair = repairs.get(clean)
  if (!repair) {
    repair = repairResidue(clean)
    if (repairs.size < 100_000) repairs.set(clean, repair)
  }
  if (repair.changed) {
    log.add(findings.residue(at, column, clean, repair.text))
    return repair.text
  }
  if (repair.ambiguous) log.add(findings.residue(at, column, clean, null))
  return clean
}
