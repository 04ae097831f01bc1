/**
 * Starting parcel imports from a folder of delivered files (an upload, or the CLI's
 * arguments): one job per dataset found, run in the background queue.
 */
import fs from 'node:fs/promises'
import type { Knex } from 'knex'
import type { FieldMapping } from './fields.js'
import { createParcelJob, datasetSha256, runParcelJob, type JobRow } from './jobs.js'
import type { JobQueue } from './queue.js'
import { collectDatasets, type Orphan, type UploadLimits } from './upload/index.js'

export interface StartedImport {
  jobs: JobRow[]
  orphans: Orphan[]
}

export async function startParcelImport(
  knex: Knex,
  queue: JobQueue,
  input: { dir: string; limits: UploadLimits; communeCode?: string; mapping?: FieldMapping; createdBy?: number | null; removeDirWhenDone?: boolean },
): Promise<StartedImport> {
  const { datasets, orphans } = await collectDatasets(input.dir, input.limits)
  const jobs: JobRow[] = []
  for (const dataset of datasets) {
    const sha256 = await datasetSha256(dataset)
    const job = await createParcelJob(knex, { sourceName: dataset.name, sha256, communeCode: input.communeCode ?? null, createdBy: input.createdBy })
    jobs.push(job)
    if (job.state === 'queued') {
      queue.enqueue(`import ${job.id}`, () => runParcelJob(knex, job.id, dataset, { communeCode: input.communeCode, mapping: input.mapping }))
    }
  }
  if (input.removeDirWhenDone) queue.enqueue('cleanup', () => fs.rm(input.dir, { recursive: true, force: true }))
  return { jobs, orphans }
}

export interface JobReport {
  job: JobRow
  progress: { done: number; total: number | null } | null
  findingsByCode: Array<{ code: string; severity: string; count: number }>
}

export async function listJobs(knex: Knex, limit = 50): Promise<JobRow[]> {
  return knex('import_jobs').orderBy('id', 'desc').limit(limit)
}

export async function listFindings(knex: Knex, jobId: number, filter: { code?: string; page: number; limit: number }) {
  const query = knex('import_findings').where({ job_id: jobId })
  if (filter.code) query.andWhere({ code: filter.code })
  const counted = (await query.clone().count({ total: '*' })) as Array<{ total: string | number }>
  const total = counted[0]?.total ?? 0
  const findings = await query.orderBy('seq').offset((filter.page - 1) * filter.limit).limit(filter.limit)
  return { total: Number(total), page: filter.page, limit: filter.limit, findings }
}

export async function findingsByCode(knex: Knex, jobId: number): Promise<JobReport['findingsByCode']> {
  const { rows } = await knex.raw<{ rows: Array<{ code: string; severity: string; count: number }> }>(
    'SELECT code, severity, count(*)::int AS count FROM import_findings WHERE job_id = ? GROUP BY code, severity ORDER BY code',
    [jobId],
  )
  return rows
}
