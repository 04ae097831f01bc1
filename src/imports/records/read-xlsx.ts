/**
 * Reading attribute records from an Excel workbook (.xlsx) with exceljs's streaming reader:
 * the first sheet in tab order that is not hidden, row by row, with the row numbers Excel
 * shows. Cells come back as text, numbers, booleans or dates; formulas as their result.
 */
import fs from 'node:fs'
import ExcelJS from 'exceljs'
import { Invalid } from '../../errors.js'
import type { Cell, RecordSource, RecordsFile, SourceRow } from './source.js'

export async function openXlsxSource(input: RecordsFile): Promise<RecordSource> {
  const report: Record<string, unknown> = { format: 'xlsx' }
  return {
    file: input.name,
    format: 'xlsx',
    total: null,
    findings: [],
    report,
    rows: () => readRows(input, report),
  }
}

interface SheetModel {
  id: number
  name: string
  state?: string
}

async function* readRows(input: RecordsFile, report: Record<string, unknown>): AsyncGenerator<SourceRow> {
  const file = input.name
  const stream = fs.createReadStream(input.path)
  // Styles are needed to tell a date from a number.
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(stream, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' })
  let found = false
  try {
    for await (const worksheet of workbook) {
      const sheets = ((workbook as unknown as { model?: { sheets?: SheetModel[] } }).model?.sheets ?? [])
      const first = sheets.find((s) => s.state !== 'hidden' && s.state !== 'veryHidden') ?? sheets[0]
      const reader = worksheet as unknown as { id: number; name: string }
      // Worksheets arrive in the order of the zip's entries, not of the tabs.
      if (first && Number(reader.id) !== Number(first.id)) continue
      found = true
      report.sheet = reader.name
      report.sheets = sheets.map((s) => s.name)
      for await (const row of worksheet) {
        const values = row.values as unknown[]
        const cells: Cell[] = []
        for (let i = 1; i < values.length; i++) cells.push(cellValue(values[i]))
        yield { row: row.number, cells }
      }
      break
    }
  } catch (error) {
    if (error instanceof Invalid) throw error
    throw new Invalid(`Tệp ${file} không đọc được như bảng tính .xlsx (${(error as Error).message}); hãy mở bằng Excel, lưu lại rồi nhập lại (unreadable workbook).`, { file })
  } finally {
    stream.destroy()
  }
  if (!found) throw new Invalid(`Tệp ${file} không có trang tính nào (workbook has no worksheet).`, { file })
}

/** An exceljs cell value as a plain value: rich text joined, hyperlinks as their text, formulas as their result. */
export function cellValue(value: unknown): Cell {
  if (value === null || value === undefined) return null
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value
  if (value instanceof Date) return value
  if (typeof value === 'object') {
    const v = value as { richText?: Array<{ text: string }>; formula?: string; sharedFormula?: string; result?: unknown; error?: string; text?: unknown }
    if (Array.isArray(v.richText)) return v.richText.map((part) => part.text).join('')
    if ('formula' in v || 'sharedFormula' in v) return cellValue(v.result)
    if (v.error !== undefined) return String(v.error)
    if (v.text !== undefined) return cellValue(v.text)
  }
  return String(value)
}
