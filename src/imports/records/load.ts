/**
 * Loading one records file (a commune's register export) into `attribute_records`, in one
 * transaction: read → check each row → COPY, then the file replaces the commune's records
 * from earlier imports, since a register export is the whole register. Rows with errors are
 * findings and are not loaded; a file with no loadable row, or one that cannot be read as a
 * table of records, loads nothing and leaves the commune's records as they were.
 */
import type { Knex } from 'knex'
import { normalizeCommuneCode } from '../../communes/index.js'
import { Conflict, Invalid } from '../../errors.js'
import { copyRows, type CopyValue } from '../copy.js'
import { FindingLog } from '../findings.js'
import { saveFindings } from '../parcels/report.js'
import type { RecordsMapping } from './headers.js'
import { normalizeCommuneText } from './keys.js'
import { findings } from './messages.js'
import { RECORD_COLUMNS, RecordRows } from './record-row.js'
import type { RecordSource, SourceRow } from './source.js'
import { cellText, openRecordTable } from './table.js'

/** Rows read before loading starts; enough for an unambiguous area in any real register. */
const LOOKAHEAD_ROWS = 500

export interface RecordsLoadOptions {
  /** The commune every row belongs to; else read from the file's commune column. */
  communeCode?: string
  mapping?: RecordsMapping
  /** Where findings go; the job passes its own, so a failed load's row errors are still reported. */
  log?: FindingLog
  onProgress?: (done: number, total: number | null) => void
  /** Runs inside the load transaction after the data, so the job's outcome commits with it. */
  onLoaded?: (trx: Knex.Transaction, result: RecordsLoadResult) => Promise<void>
}

export interface RecordsLoadResult {
  communeCode: string
  records: number
  rejected: number
  /** Records of earlier imports of the commune that this file replaced (deleted). */
  replaced: number
  sheets: string[]
  findingCounts: Record<string, number>
  report: Record<string, unknown>
}

export async function loadRecordSource(knex: Knex, jobId: number, source: RecordSource, options: RecordsLoadOptions = {}): Promise<RecordsLoadResult> {
  const file = source.file
  const log = options.log ?? new FindingLog()
  source.findings.forEach((f) => log.add(f))
  const given = options.communeCode ? normalizeCommuneCode(options.communeCode) : null
  const table = await openRecordTable(source, { mapping: options.mapping, communeGiven: given !== null }, log)

  // Rows read ahead: the commune most of them name says whose register this is (unless the
  // user chose: one mistyped code in the first row must not make the file another commune's),
  // and the first area that shows it says the file's decimal mark.
  const lookahead: SourceRow[] = []
  for (let next = await table.rows.next(); !next.done; next = await table.rows.next()) {
    lookahead.push(next.value)
    if (lookahead.length >= LOOKAHEAD_ROWS) break
  }
  const communeCode = given ?? mostNamedCommune(lookahead, table.columns.index.commune!)
  if (communeCode === null) {
    throw new Invalid(`Tệp ${file}: cột ${table.columns.mapping.commune} không có mã xã nào đọc được; hãy chọn xã khi nhập (commune code not found).`, { file, field: table.columns.mapping.commune })
  }
  const commune = await knex('communes').where({ code: communeCode }).first('code', 'srid')
  if (!commune) throw new Invalid(`Tệp ${file}: xã mã ${communeCode} chưa được khai báo trong hệ thống (commune not registered).`, { file, field: table.columns.mapping.commune })

  const builder = new RecordRows(file, communeCode, jobId, table.headers, table.columns, log, commune.srid)
  builder.learnDecimalMark(lookahead)
  let rejected = 0
  let done = 0
  async function* rows(): AsyncGenerator<CopyValue[]> {
    const pending = lookahead.splice(0)
    const all = (async function* () {
      yield* pending
      yield* table.rows
    })()
    for await (const row of all) {
      const copyRow = builder.toCopyRow(row)
      if (copyRow) yield copyRow
      else rejected++
      if (++done % 2000 === 0) options.onProgress?.(done, source.total)
    }
    options.onProgress?.(done, done)
  }

  return knex.transaction(async (trx) => {
    // Two loads of one commune at once would each keep their own rows: one at a time.
    await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`attribute_records:${communeCode}`])
    await refuseToEraseDecisions(trx, communeCode, file)
    const loaded = await copyRows(trx, 'attribute_records', RECORD_COLUMNS, rows())
    if (loaded === 0) throw new Invalid(findings.nothingLoaded(file, done), { file })
    if (builder.locations.read > 0) await locationsToCommuneCrs(trx, communeCode, jobId, commune.srid)
    const sheets = [...builder.sheets].sort((a, b) => a.localeCompare(b, 'vi', { numeric: true }))
    const dropped = await sheetsNotDelivered(trx, communeCode, jobId, sheets)
    if (dropped.sheets.length > 0) log.add(findings.sheetsDropped(file, communeCode, dropped.sheets, dropped.records))
    const replaced = await replaceEarlierRecords(trx, communeCode, jobId)
    sortByRow(log)
    await saveFindings(trx, jobId, communeCode, log)
    const report = {
      ...source.report,
      file,
      headerRow: table.headerRow,
      headers: table.headers,
      mapping: table.columns.mapping,
      mappingExplicit: table.columns.explicit,
      // As the user gave it: the same file with the same mapping is a duplicate (see jobs.ts).
      mappingRequested: options.mapping ?? {},
      unmapped: table.columns.unmapped,
      decimalMark: builder.decimalMark,
      locations: builder.locations,
      replacedJobs: replaced.jobs,
    }
    const result: RecordsLoadResult = { communeCode, records: loaded, rejected, replaced: replaced.count, sheets, findingCounts: log.counts(), report }
    await options.onLoaded?.(trx, result)
    return result
  })
}

/** The commune code most rows name (the first named on a tie); null when none names one. */
function mostNamedCommune(rows: SourceRow[], column: number): string | null {
  const counts = new Map<string, number>()
  for (const row of rows) {
    const code = normalizeCommuneText(cellText(row.cells[column] ?? null))
    if (code) counts.set(code, (counts.get(code) ?? 0) + 1)
  }
  let best: string | null = null
  for (const [code, n] of counts) if (best === null || n > counts.get(best)!) best = code
  return best
}

/** Findings in row order (file-wide ones first), as the clerk walks the spreadsheet. */
export function sortByRow(log: FindingLog): void {
  log.findings.sort((a, b) => (a.row ?? 0) - (b.row ?? 0))
}

/**
 * Replacing records deletes them, and `matches` cascades: a clerk's decided match would go
 * with them. Until replaced records are kept as history, such a commune is not replaced.
 */
async function refuseToEraseDecisions(trx: Knex.Transaction, communeCode: string, file: string): Promise<void> {
  const { rows } = await trx.raw<{ rows: Array<{ n: number }> }>(
    'SELECT count(*)::int AS n FROM matches WHERE commune_code = ? AND decided AND record_id IS NOT NULL',
    [communeCode],
  )
  const n = rows[0]?.n ?? 0
  if (n > 0) {
    throw new Conflict(
      `Tệp ${file}: xã ${communeCode} đã có ${n} quyết định đối soát gắn với hồ sơ hiện có; nhập lại sổ sẽ xóa các quyết định đó nên chưa được phép. Hãy báo quản trị viên (records with reconciliation decisions are not replaced).`,
      { file },
    )
  }
}

/** The sheets (and how many records) of the commune's current records that the new file does not have. */
async function sheetsNotDelivered(trx: Knex.Transaction, communeCode: string, jobId: number, sheets: string[]): Promise<{ sheets: string[]; records: number }> {
  const { rows } = await trx.raw<{ rows: Array<{ sheet_number: string; n: number }> }>(
    `SELECT sheet_number, count(*)::int AS n FROM attribute_records
     WHERE commune_code = ? AND import_job_id IS DISTINCT FROM ? AND sheet_number <> ALL(?::text[])
     GROUP BY sheet_number`,
    [communeCode, jobId, sheets],
  )
  const sorted = rows.map((r) => r.sheet_number).sort((a, b) => a.localeCompare(b, 'vi', { numeric: true }))
  return { sheets: sorted, records: rows.reduce((sum, r) => sum + r.n, 0) }
}

/** Deletes the commune's records loaded by other jobs; returns how many and from which jobs. */
async function replaceEarlierRecords(trx: Knex.Transaction, communeCode: string, jobId: number): Promise<{ count: number; jobs: number[] }> {
  const { rows } = await trx.raw<{ rows: Array<{ n: number; jobs: Array<number | string> }> }>(
    `WITH replaced AS (
       DELETE FROM attribute_records WHERE commune_code = ? AND import_job_id IS DISTINCT FROM ?
       RETURNING import_job_id
     )
     SELECT count(*)::int AS n, coalesce(array_agg(DISTINCT import_job_id) FILTER (WHERE import_job_id IS NOT NULL), '{}') AS jobs FROM replaced`,
    [communeCode, jobId],
  )
  return { count: rows[0]?.n ?? 0, jobs: (rows[0]?.jobs ?? []).map(Number) }
}

/** Points given in longitude/latitude, moved into the commune's TM-3 CRS like the parcels. */
async function locationsToCommuneCrs(trx: Knex.Transaction, communeCode: string, jobId: number, srid: number): Promise<void> {
  await trx.raw(
    `UPDATE attribute_records SET location = ST_Transform(location, ?::int)
     WHERE commune_code = ? AND import_job_id = ? AND location IS NOT NULL AND ST_SRID(location) <> ?::int`,
    [srid, communeCode, jobId, srid],
  )
}
