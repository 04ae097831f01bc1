/**
 * Starting parcel imports from a folder of delivered files (an upload, or the CLI's
 * arguments): one job per dataset found, run in the background queue.
 */
import fs from 'node:fs/promises'
import type { Knex } from 'knex'
import { assertCommuneAccess, canSeeAllCommunes, type SessionUser } from '../auth/index.js'
import { Forbidden } from '../errors.js'
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
  input: { dir: string; limits: UploadLimits; communeCode?: string; mapping?: FieldMapping; user?: SessionUser; removeDirWhenDone?: boolean },
): Promise<StartedImport> {
  const { user } = input
  // A commune chosen up front is checked now; one read from the file, when the load finds it.
  if (user && input.communeCode) assertCommuneAccess(user, input.communeCode)
  const authorizeCommune = user ? (code: string) => assertCommuneAccess(user, code) : undefined
  const { datasets, orphans } = await collectDatasets(input.dir, input.limits)
  const jobs: JobRow[] = []
  for (const dataset of datasets) {
    const sha256 = await datasetSha256(dataset)
    const job = await createParcelJob(knex, { sourceName: dataset.name, sha256, communeCode: input.communeCode ?? null, createdBy: user?.id })
    jobs.push(job)
    if (job.state === 'queued') {
      queue.enqueue(`import ${job.id}`, () => runParcelJob(knex, job.id, dataset, { communeCode: input.communeCode, mapping: input.mapping, authorizeCommune }))
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

/** The latest jobs the user may see (see assertJobVisible). */
export async function listJobs(knex: Knex, user: SessionUser, limit = 50): Promise<JobRow[]> {
  const query = knex('import_jobs').orderBy('id', 'desc').limit(limit)
  if (!canSeeAllCommunes(user)) {
    query.where((q) => q.whereIn('commune_code', user.communes).orWhere((mine) => mine.whereNull('commune_code').andWhere('created_by', user.id)))
  }
  return query
}

/**
 * Throws Forbidden unless the user may read the job: every job for admin and manager; for a
 * GIS officer, the jobs of assigned communes, and their own jobs whose commune is not known
 * (not yet read from the file, or the file failed before it was).
 */
export function assertJobVisible(user: SessionUser, job: JobRow): void {
  if (canSeeAllCommunes(user)) return
  if (job.commune_code) return assertCommuneAccess(user, job.commune_code)
  if (job.created_by === user.id) return
  throw new Forbidden(`Lượt nhập số ${job.id} không thuộc xã nào được phân công cho bạn (import job ${job.id} is not in your communes).`, { field: 'id' })
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
