/**
 * Starting attribute-record imports (nhập hồ sơ) from a folder of uploaded files: one job per
 * CSV or XLSX file, run in the background queue shared with the parcel imports.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import type { Knex } from 'knex'
import { assertCommuneAccess, type SessionUser } from '../../auth/index.js'
import { normalizeCommuneCode } from '../../communes/index.js'
import { Invalid } from '../../errors.js'
import type { JobRow } from '../jobs.js'
import type { JobQueue } from '../queue.js'
import type { Orphan } from '../upload/index.js'
import type { RecordsMapping } from './headers.js'
import { createRecordsJob, fileSha256, runRecordsJob } from './jobs.js'
import type { RecordsFile } from './source.js'

const RECORD_EXTENSIONS = new Set(['.csv', '.txt', '.tsv', '.xlsx'])
const IGNORED = new Set(['.ds_store', 'thumbs.db', 'desktop.ini'])

/** The records files under `dir` (any depth), sorted; anything else is an orphan with the reason. */
export async function collectRecordFiles(dir: string): Promise<{ files: RecordsFile[]; orphans: Orphan[] }> {
  const files: RecordsFile[] = []
  const orphans: Orphan[] = []
  const entries = (await fs.readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile())
  for (const entry of entries) {
    const abs = path.join(entry.parentPath, entry.name)
    const rel = path.relative(dir, abs).split(path.sep).join('/')
    const ext = path.extname(entry.name).toLowerCase()
    if (IGNORED.has(entry.name.toLowerCase()) || entry.name.startsWith('~$')) continue
    if (RECORD_EXTENSIONS.has(ext)) files.push({ name: rel, path: abs })
    else if (ext === '.xls') orphans.push({ file: rel, reason: 'Bảng tính Excel 97–2003 (.xls) chưa đọc được; hãy lưu thành .xlsx hoặc .csv (legacy .xls not supported)' })
    else orphans.push({ file: rel, reason: 'Không phải tệp hồ sơ được hỗ trợ (.csv, .xlsx) (not a records file)' })
  }
  const byName = (a: { name?: string; file?: string }, b: { name?: string; file?: string }) => (a.name ?? a.file ?? '').localeCompare(b.name ?? b.file ?? '', 'vi')
  return { files: files.sort(byName), orphans: orphans.sort(byName) }
}

/** The commune the user chose, with its leading zeros, checked to be registered. */
export async function chosenCommune(knex: Knex, code: string | undefined): Promise<string | undefined> {
  if (!code) return undefined
  const communeCode = normalizeCommuneCode(code)
  if (!(await knex('communes').where({ code: communeCode }).first('code'))) {
    throw new Invalid(`Xã mã ${communeCode} chưa được khai báo trong hệ thống (commune not registered).`, { field: 'commune' })
  }
  return communeCode
}

export interface StartedRecordsImport {
  jobs: JobRow[]
  orphans: Orphan[]
}

export async function startRecordsImport(
  knex: Knex,
  queue: JobQueue,
  input: { dir: string; communeCode?: string; mapping?: RecordsMapping; user?: SessionUser; removeDirWhenDone?: boolean },
): Promise<StartedRecordsImport> {
  const { user } = input
  // A commune chosen up front is checked now; one read from the file, when the load finds it.
  if (user && input.communeCode) assertCommuneAccess(user, input.communeCode)
  const authorizeCommune = user ? (code: string) => assertCommuneAccess(user, code) : undefined
  const communeCode = await chosenCommune(knex, input.communeCode)
  const { files, orphans } = await collectRecordFiles(input.dir)
  if (files.length === 0) {
    const why = orphans.map((o) => `${o.file}: ${o.reason}`).join('; ')
    throw new Invalid(`Không có tệp hồ sơ .csv hoặc .xlsx nào trong các tệp tải lên${why ? ` (${why})` : ''} (no records file uploaded).`, { field: 'files' }, { orphans })
  }
  const jobs: JobRow[] = []
  for (const file of files) {
    const job = await createRecordsJob(knex, { sourceName: file.name, sha256: await fileSha256(file.path), communeCode: communeCode ?? null, mapping: input.mapping, createdBy: user?.id })
    jobs.push(job)
    if (job.state === 'queued') {
      queue.enqueue(`import ${job.id}`, () => runRecordsJob(knex, job.id, file, { communeCode, mapping: input.mapping, authorizeCommune }))
    }
  }
  if (input.removeDirWhenDone) queue.enqueue('cleanup', () => fs.rm(input.dir, { recursive: true, force: true }))
  return { jobs, orphans }
}
