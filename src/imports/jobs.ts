/**
 * Import jobs (lượt nhập dữ liệu): one per dataset (a commune's shapefile set or GeoJSON).
 * A job is recorded before it runs; its outcome commits in the same transaction as its data,
 * so a job is never "succeeded" without its parcels nor its parcels without the job. Live
 * progress is kept in memory (writing it to the database from inside the load would wait on
 * the load's own transaction); a job left running by a stopped process is marked interrupted.
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import type { Knex } from 'knex'
import { AppError, NotFound } from '../errors.js'
import type { Dataset } from './upload/index.js'
import { openGeoJsonSource } from './sources/geojson-source.js'
import { openShapefileSource } from './sources/shapefile-source.js'
import type { FeatureSource } from './sources/types.js'
import { loadParcelSource, type ParcelLoadOptions, type ParcelLoadResult } from './parcels/load.js'

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'interrupted' | 'duplicate'

export interface JobProgress {
  done: number
  total: number | null
}

const liveProgress = new Map<number, JobProgress>()
/** The row of each running job as it was when it started: on the embedded database the
 * load's transaction holds the only session, so status requests are answered from here. */
const liveJobs = new Map<number, JobRow>()

export function progressOf(jobId: number): JobProgress | undefined {
  return liveProgress.get(jobId)
}

export function runningJob(jobId: number): JobRow | undefined {
  return liveJobs.get(jobId)
}

/** SHA-256 over the dataset's files in a fixed order: the same delivery hashes the same. */
export async function datasetSha256(dataset: Dataset): Promise<string> {
  const hash = createHash('sha256')
  const files = dataset.kind === 'geojson' ? [dataset.path] : [dataset.shp, dataset.dbf, dataset.shx, dataset.prj, dataset.cpg]
  for (const file of files) {
    hash.update(file ? '\u0001' : '\u0000')
    if (!file) continue
    for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer)
  }
  return hash.digest('hex')
}

export interface JobRow {
  id: number
  kind: 'parcels' | 'records'
  state: JobState
  commune_code: string | null
  source_name: string
  source_sha256: string | null
  duplicate_of: number | null
  progress: number
  counts: Record<string, unknown>
  report: Record<string, unknown> | null
  error: string | null
  created_by: number | null
  created_at: string
  started_at: string | null
  finished_at: string | null
}

/** Records a job; a dataset already loaded successfully is recorded as a duplicate and not run. */
export async function createParcelJob(knex: Knex, input: { sourceName: string; sha256: string; communeCode?: string | null; createdBy?: number | null }): Promise<JobRow> {
  // The same delivery is refused while its parcels are current; once a later delivery has
  // replaced them, loading it again is how an office goes back to it.
  const earlier = await currentLoadOf(knex, input.sha256)
  return insertJob(knex, 'parcels', input, earlier)
}

/** The job row: queued, or a duplicate of `earlier` (finished at once, saying which job). */
export async function insertJob(knex: Knex, kind: JobRow['kind'], input: { sourceName: string; sha256: string; communeCode?: string | null; createdBy?: number | null }, earlier: { id: number } | undefined): Promise<JobRow> {
  const [job] = await knex('import_jobs')
    .insert({
      kind,
      state: earlier ? 'duplicate' : 'queued',
      duplicate_of: earlier?.id ?? null,
      commune_code: input.communeCode ?? null,
      source_name: input.sourceName,
      source_sha256: input.sha256,
      created_by: input.createdBy ?? null,
      finished_at: earlier ? knex.fn.now() : null,
      error: earlier ? `Tệp này đã được nhập ở lượt nhập số ${earlier.id}; không nhập lại (same file already loaded by job ${earlier.id}).` : null,
    })
    .returning('*')
  return job as JobRow
}

/**
 * The latest succeeded load of these bytes whose parcels are still current. Two steps rather
 * than one correlated query: the parcels lookup then names its commune, so PostgreSQL plans it
 * on that commune's partition alone instead of on every partition (50 ms at 220 communes).
 */
async function currentLoadOf(knex: Knex, sha256: string): Promise<{ id: number } | undefined> {
  const loads: Array<{ id: number; commune_code: string | null }> = await knex('import_jobs')
    .where({ source_sha256: sha256, state: 'succeeded', kind: 'parcels' })
    .whereNotNull('commune_code')
    .orderBy('id', 'desc')
    .select('id', 'commune_code')
  for (const load of loads) {
    if (await knex('parcels').where({ commune_code: load.commune_code, import_job_id: load.id }).first(knex.raw('1'))) return { id: load.id }
  }
  return undefined
}

export async function openDatasetSource(dataset: Dataset): Promise<FeatureSource> {
  return dataset.kind === 'geojson' ? openGeoJsonSource(dataset.path) : openShapefileSource(dataset)
}

/**
 * Runs a queued job of any kind to its end: claims it, keeps its live state while `work` runs,
 * and records a failure with `fail` instead of throwing. A duplicate or an ended job is
 * returned as it is.
 */
export async function runQueuedJob(
  knex: Knex,
  jobId: number,
  work: (progress: (done: number, total: number | null) => void) => Promise<void>,
  fail: (error: unknown) => Promise<void> = (error) => failJob(knex, jobId, error),
): Promise<JobRow> {
  const claimed = await knex('import_jobs').where({ id: jobId, state: 'queued' }).update({ state: 'running', started_at: knex.fn.now() })
  if (claimed === 0) return getJob(knex, jobId)
  liveJobs.set(jobId, await getJob(knex, jobId))
  liveProgress.set(jobId, { done: 0, total: null })
  try {
    await work((done, total) => liveProgress.set(jobId, { done, total }))
  } catch (error) {
    await fail(error)
  } finally {
    liveProgress.delete(jobId)
    liveJobs.delete(jobId)
  }
  return getJob(knex, jobId)
}

export interface ParcelJobOptions extends Omit<ParcelLoadOptions, 'onLoaded'> {
  /**
   * Throws when the commune found in the data may not be loaded by whoever started the job
   * (a GIS officer's unassigned commune); called inside the load transaction, so nothing of
   * the dataset is kept.
   */
  authorizeCommune?: (communeCode: string) => void
}

/** Runs a queued parcel job to its end; never throws for a bad file (the job records the failure). */
export async function runParcelJob(knex: Knex, jobId: number, dataset: Dataset, options: ParcelJobOptions = {}): Promise<JobRow> {
  const { authorizeCommune, ...loadOptions } = options
  return runQueuedJob(knex, jobId, async (progress) => {
    const source = await openDatasetSource(dataset)
    progress(0, source.total)
    await loadParcelSource(knex, jobId, source, {
      ...loadOptions,
      onProgress: (done, total) => {
        progress(done, total)
        options.onProgress?.(done, total)
      },
      onLoaded: async (trx, result) => {
        authorizeCommune?.(result.communeCode)
        await finishJob(trx, jobId, result)
      },
    })
  })
}

async function finishJob(trx: Knex.Transaction, jobId: number, result: ParcelLoadResult): Promise<void> {
  await trx('import_jobs').where({ id: jobId }).update({
    state: 'succeeded',
    progress: 1,
    commune_code: result.communeCode,
    finished_at: trx.fn.now(),
    counts: JSON.stringify({ parcels: result.parcels, rejected: result.rejected, sheets: result.sheets.length, replaced: result.replacedParcels, findings: result.findingCounts }),
    report: JSON.stringify({ ...result.report, sheets: result.sheets }),
  })
}

/** The failure is stored with the job, as a finding that names the file, row and field. */
async function failJob(knex: Knex, jobId: number, error: unknown): Promise<void> {
  const known = error instanceof AppError
  // An unexpected error's text is for engineers (it may quote SQL): the clerk gets a plain
  // sentence, the detail stays in the finding's details.
  const message = known ? error.message : 'Lỗi hệ thống khi nhập; dữ liệu cũ giữ nguyên. Hãy báo quản trị viên kèm số lượt nhập (internal error; nothing was changed).'
  const internal = known ? null : JSON.stringify({ internal: (error as Error)?.message ?? String(error) }).replaceAll('\\u0000', '\\ufffd')
  await knex.transaction(async (trx) => {
    await trx('import_jobs').where({ id: jobId }).update({ state: 'failed', error: message, finished_at: trx.fn.now() })
    const seq = ((await trx('import_findings').where({ job_id: jobId }).max<{ max: number | null }>({ max: 'seq' }).first())?.max ?? 0) + 1
    await trx('import_findings').insert({
      job_id: jobId, seq, severity: 'error', code: 'import_failed', message,
      file: known ? error.location.file ?? null : null, row: known ? error.location.row ?? null : null, field: known ? error.location.field ?? null : null,
      details: internal,
    })
  })
}

export async function getJob(knex: Knex, jobId: number): Promise<JobRow> {
  const job = await knex('import_jobs').where({ id: jobId }).first()
  if (!job) throw new NotFound(`Không có lượt nhập số ${jobId} (no such import job).`, { field: 'id' })
  return job as JobRow
}

/** Jobs a stopped process left queued or running never applied anything: say so. */
export async function markInterruptedJobs(knex: Knex): Promise<number> {
  return knex('import_jobs')
    .whereIn('state', ['queued', 'running'])
    .update({ state: 'interrupted', finished_at: knex.fn.now(), error: 'Máy chủ đã dừng khi đang nhập; dữ liệu cũ giữ nguyên, hãy nhập lại (the server stopped during the import; nothing was applied).' })
}
