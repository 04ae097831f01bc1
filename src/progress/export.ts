/**
 * The dashboard table as a download (tải bảng tiến độ): CSV (UTF-8 with BOM, so Excel reads
 * the Vietnamese names) and XLSX (exceljs), one row per commune and a totals row, headers in
 * Vietnamese or English.
 */
import type { Writable } from 'node:stream'
import { stringify } from 'csv-stringify/sync'
import ExcelJS from 'exceljs'
import type { CommuneProgress, ProgressFigures } from './figures.js'
import type { ProvinceProgress } from './service.js'

export type ExportLanguage = 'vi' | 'en'

type Row = Partial<CommuneProgress> & ProgressFigures

interface Column {
  vi: string
  en: string
  value: (row: Row) => string | number | null
  kind?: 'percent' | 'date'
  width?: number
}

const COLUMNS: Column[] = [
  { vi: 'Mã xã', en: 'Commune code', value: (r) => r.code ?? null, width: 10 },
  { vi: 'Tên xã', en: 'Commune', value: (r) => r.name ?? null, width: 28 },
  { vi: 'Thửa bản đồ', en: 'Parcels', value: (r) => r.parcels },
  { vi: 'Hồ sơ', en: 'Records', value: (r) => r.records },
  { vi: 'Khớp', en: 'Matched', value: (r) => r.matched },
  { vi: 'Lệch diện tích', en: 'Area mismatch', value: (r) => r.areaMismatch },
  { vi: 'Lệch loại đất', en: 'Land-use mismatch', value: (r) => r.landuseMismatch },
  { vi: 'Chỉ có bản đồ', en: 'Spatial only', value: (r) => r.spatialOnly },
  { vi: 'Chỉ có hồ sơ', en: 'Record only', value: (r) => r.recordOnly },
  { vi: 'Trùng số hiệu', en: 'Duplicate key', value: (r) => r.duplicateKey },
  { vi: 'Cần xem xét', en: 'Needs review', value: (r) => r.needsReview },
  { vi: 'Đã đối soát', en: 'Reconciled', value: (r) => r.reconciled },
  { vi: 'Đã ký số', en: 'Signed', value: (r) => r.signed },
  { vi: 'Đã đồng bộ', en: 'Synced', value: (r) => r.synced },
  { vi: '% khớp', en: '% matched', value: (r) => r.percent.matched, kind: 'percent' },
  { vi: '% đối soát', en: '% reconciled', value: (r) => r.percent.reconciled, kind: 'percent' },
  { vi: '% ký số', en: '% signed', value: (r) => r.percent.signed, kind: 'percent' },
  { vi: '% đồng bộ', en: '% synced', value: (r) => r.percent.synced, kind: 'percent' },
  { vi: 'Hoạt động gần nhất', en: 'Last activity', value: (r) => r.lastActivity, kind: 'date', width: 22 },
]

const VIETNAM_OFFSET_MS = 7 * 3_600_000

const TOTAL_LABEL: Record<ExportLanguage, string> = { vi: 'Tổng cộng', en: 'Total' }

/** The rows of the table: the communes, then the totals. */
function tableRows(progress: ProvinceProgress, lang: ExportLanguage): Row[] {
  return [...progress.communes, { ...progress.totals, code: TOTAL_LABEL[lang], name: `${progress.totals.communes} ${lang === 'vi' ? 'xã' : 'communes'}` }]
}

export function progressCsv(progress: ProvinceProgress, lang: ExportLanguage): string {
  const header = COLUMNS.map((c) => c[lang])
  const rows = tableRows(progress, lang).map((row) => COLUMNS.map((c) => c.value(row) ?? ''))
  return `\uFEFF${stringify([header, ...rows], { record_delimiter: 'windows' })}`
}

/** Writes the workbook to the stream (one sheet, frozen header, filters, totals in bold). */
export async function writeProgressXlsx(progress: ProvinceProgress, lang: ExportLanguage, out: Writable): Promise<void> {
  const workbook = new ExcelJS.Workbook()
  workbook.creator = 'Landbook'
  workbook.created = new Date(progress.generatedAt)
  const sheet = workbook.addWorksheet(lang === 'vi' ? 'Tiến độ' : 'Progress', { views: [{ state: 'frozen', ySplit: 1 }] })
  sheet.columns = COLUMNS.map((c, i) => ({
    header: c[lang],
    key: `c${i}`,
    width: c.width ?? Math.max(12, c[lang].length + 2),
    style: c.kind === 'percent' ? { numFmt: '0.0' } : c.kind === 'date' ? { numFmt: 'yyyy-mm-dd hh:mm' } : {},
  }))
  sheet.getRow(1).font = { bold: true }
  for (const row of tableRows(progress, lang)) {
    sheet.addRow(COLUMNS.map((c) => {
      const value = c.value(row)
      // Excel cells carry no time zone: the office reads Vietnam time (UTC+7 all year).
      return c.kind === 'date' && typeof value === 'string' ? new Date(Date.parse(value) + VIETNAM_OFFSET_MS) : value
    }))
  }
  sheet.lastRow!.font = { bold: true }
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: COLUMNS.length } }
  await workbook.xlsx.write(out)
}
