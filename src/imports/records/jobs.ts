/**
 * Import jobs for attribute records (lượt nhập hồ sơ): one per file, recorded before it runs,
 * its outcome committed with its records, like the parcel jobs in ../jobs.ts (same table,
 * kind 'records'). A file whose records are current is a duplicate and is not run again;
 * once a later file has replaced them, loading it again is how an office goes back to it.
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import type { Knex } from 'knex'
import { AppError } from '../../errors.js'
import { FindingLog } from '../findings.js'
import { getJob, insertJob, runQueuedJob, type JobRow } from '../jobs.js'
import { saveFindings } from '../parcels/report.js'
import type { RecordsMapping } from './headers.js'
import { loadRecordSource, sortByRow, type RecordsLoadResult } from './load.js'
import { openRecordSource, type RecordsFile } from './source.js'

export async function fileSha256(filePath: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of fs.createReadStream(filePath)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/**
 * Records a job. The same file loaded with the same choices (commune, column mapping) whose
 * records are current is recorded as a duplicate and not run; with another mapping it runs,
 * since a wrong mapping is fixed by loading the same file again.
 */
export async function createRecordsJob(knex: Knex, input: { sourceName: string; sha256: string; communeCode?: string | null; mapping?: RecordsMapping; createdBy?: number | null }): Promise<JobRow> {
  const query = knex('import_jobs as j')
    .where({ 'j.source_sha256': input.sha256, 'j.state': 'succeeded', 'j.kind': 'records' })
    .whereRaw(`coalesce(j.report -> 'mappingRequested', '{}'::jsonb) = ?::jsonb`, [JSON.stringify(input.mapping ?? {})])
    .whereExists(knex('attribute_records as r').where('r.commune_code', knex.ref('j.commune_code')).andWhere('r.import_job_id', knex.ref('j.id')))
  if (input.communeCode) query.andWhere('j.commune_code', input.communeCode)
  const earlier = await query.orderBy('j.id', 'desc').first('j.id')
  return insertJob(knex, 'records', input, earlier)
}

export interface RecordsJobOptions {
  communeCode?: string
  mapping?: RecordsMapping
  onProgress?: (done: number, total: number | null) => void
  /** As for parcel jobs: throws, inside the load transaction, for a commune the starter may not load. */
  authorizeCommune?: (communeCode: string) => void
}

/** Runs a queued job to its end; never throws for a bad file (the job records the failure). */
export async function runRecordsJob(knex: Knex, jobId: number, file: RecordsFile, options: RecordsJobOptions = {}): Promise<JobRow> {
  const log = new FindingLog()
  return runQueuedJob(
    knex,
    jobId,
    async (progress) => {
      const source = await openRecordSource(file)
      progress(0, source.total)
      await loadRecordSource(knex, jobId, source, {
        communeCode: options.communeCode,
        mapping: options.mapping,
        log,
        onProgress: (done, total) => {
          progress(done, total)
          options.onProgress?.(done, total)
        },
        onLoaded: async (trx, result) => {
          options.authorizeCommune?.(result.communeCode)
          await finishJob(trx, jobId, result)
        },
      })
    },
    (error) => failJob(knex, jobId, error, log),
  )
}

async function finishJob(trx: Knex.Transaction, jobId: number, result: RecordsLoadResult): Promise<void> {
  await trx('import_jobs').where({ id: jobId }).update({
    state: 'succeeded',
    progress: 1,
    commune_code: result.communeCode,
    finished_at: trx.fn.now(),
    counts: JSON.stringify({ records: result.records, rejected: result.rejected, sheets: result.sheets.length, replaced: result.replaced, findings: result.findingCounts }),
    report: JSON.stringify({ ...result.report, sheets: result.sheets }),
  })
}

/**
 * The failure is stored with the job as a finding naming the file, row and column, followed
 * by what the load had noticed (its row errors: why a file with no usable row has none).
 * Mirrors `failJob` in ../jobs.ts, which is not exported.
 */
async function failJob(knex: Knex, jobId: number, error: unknown, noticed: FindingLog): Promise<void> {
  const known = error instanceof AppError
  const message = known ? error.message : 'Lỗi hệ thống khi nhập; dữ liệu cũ giữ nguyên. Hãy báo quản trị viên kèm số lượt nhập (internal error; nothing was changed).'
  const internal = known ? null : { internal: (error as Error)?.message ?? String(error) }
  const log = new FindingLog()
  log.add({
    code: 'import_failed', severity: 'error', message,
    file: known ? error.location.file : undefined, row: known ? error.location.row : undefined, field: known ? error.location.field : undefined,
    details: internal ?? undefined,
  })
  sortByRow(noticed)
  noticed.findings.forEach((f) => log.add(f))
  await knex.transaction(async (trx) => {
    await trx('import_jobs').where({ id: jobId }).update({ state: 'failed', error: message, finished_at: trx.fn.now() })
    await saveFindings(trx, jobId, null, log)
  })
}
