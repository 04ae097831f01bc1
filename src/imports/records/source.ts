/**
 * What a spreadsheet reader (CSV, XLSX) hands the attribute-record import: the rows of one
 * table as cells, each row with the number a spreadsheet program shows for it, so a clerk
 * who reads "dòng 17" in the report finds the row by scrolling to 17.
 */
import { open } from 'node:fs/promises'
import path from 'node:path'
import { Invalid } from '../../errors.js'
import type { Finding } from '../findings.js'
import { openCsvSource } from './read-csv.js'
import { openXlsxSource } from './read-xlsx.js'

/** A cell as read: CSV gives text only; XLSX also numbers, booleans and dates. */
export type Cell = string | number | boolean | Date | null

export interface SourceRow {
  /** 1-based row number as a spreadsheet shows it (the header row counts). */
  row: number
  cells: Cell[]
}

export interface RecordSource {
  /** The name shown in reports. */
  file: string
  format: 'csv' | 'xlsx'
  /** Roughly how many rows (for progress); null when not known in advance. */
  total: number | null
  /** Findings about the file as a whole (encoding, sheet chosen). */
  findings: Finding[]
  /** Encoding, delimiter, sheet: goes into the job report. */
  report: Record<string, unknown>
  rows(): AsyncIterable<SourceRow>
}

/** A delivered records file. */
export interface RecordsFile {
  /** Shown in reports and as the job's source name. */
  name: string
  path: string
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04])
const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0])

/** Opens a records file by what its bytes are, not only by its name: a "csv" may be a workbook. */
export async function openRecordSource(input: RecordsFile): Promise<RecordSource> {
  const head = Buffer.alloc(4)
  const handle = await open(input.path, 'r')
  try {
    await handle.read(head, 0, 4, 0)
  } finally {
    await handle.close()
  }
  const ext = path.extname(input.name).toLowerCase()
  if (head.equals(OLE_MAGIC)) {
    throw new Invalid(`Tệp ${input.name} là bảng tính Excel 97–2003 (.xls), chưa đọc được; hãy mở bằng Excel và lưu thành .xlsx hoặc .csv (legacy .xls not supported).`, { file: input.name })
  }
  if (head.equals(ZIP_MAGIC)) return openXlsxSource(input)
  if (ext === '.xlsx') throw new Invalid(`Tệp ${input.name} không phải bảng tính .xlsx hợp lệ (not an .xlsx workbook).`, { file: input.name })
  return openCsvSource(input)
}
