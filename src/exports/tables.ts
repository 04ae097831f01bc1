/**
 * Table exports (CSV, XLSX) of parcels' attributes, attribute records and the discrepancy
 * report. CSV is UTF-8 with a byte-order mark (so Excel shows Vietnamese correctly) and
 * RFC 4180 quoting; XLSX is written by exceljs's streaming writer, a row at a time, with
 * numbers as numbers, a frozen header row and a filter on it.
 */
import type { Writable } from 'node:stream'
import ExcelJS from 'exceljs'
import type { Knex } from 'knex'
import { TABLE_COLUMNS, type TableColumn } from './fields.js'
import type { ExportRequest } from './options.js'
import { tableBatches } from './source.js'
import { finish, put } from './write.js'

const SHEET_NAMES = { parcels: 'Thửa đất', records: 'Hồ sơ', discrepancies: 'Sai lệch' } as const

function csvCell(value: string | number | boolean | null): string {
  if (value === null || value === undefined) return ''
  const text = String(value)
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

const csvLine = (values: Array<string | number | boolean | null>) => `${values.map(csvCell).join(',')}\r\n`

export async function writeCsv(knex: Knex, request: ExportRequest, out: Writable): Promise<number> {
  const columns = TABLE_COLUMNS[request.what]
  await put(out, `\uFEFF${csvLine(columns.map((c) => c.header))}`)
  let written = 0
  for await (const rows of tableBatches(knex, request)) {
    await put(out, rows.map((row) => csvLine(columns.map((c) => c.value(row)))).join(''))
    written += rows.length
  }
  await finish(out)
  return written
}

function cellValue(column: TableColumn, row: Record<string, any>): string | number | boolean | null {
  const value = column.value(row)
  return column.numeric && typeof value === 'string' && value !== '' ? Number(value) : value
}

export async function writeXlsx(knex: Knex, request: ExportRequest, out: Writable): Promise<number> {
  const columns = TABLE_COLUMNS[request.what]
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false })
  workbook.creator = 'Landbook'
  const sheet = workbook.addWorksheet(`${SHEET_NAMES[request.what]} ${request.commune}`, { views: [{ state: 'frozen', ySplit: 1 }] })
  sheet.columns = columns.map((c) => ({ header: c.header, width: c.width }))
  sheet.getRow(1).font = { bold: true }
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } }
  sheet.getRow(1).commit()
  let written = 0
  for await (const rows of tableBatches(knex, request)) {
    for (const row of rows) sheet.addRow(columns.map((c) => cellValue(c, row))).commit()
    written += rows.length
  }
  sheet.commit()
  await workbook.commit()
  return written
}
