// The import page (nhập bản đồ địa chính): upload map files, follow each import job as it
// runs, and read a job's report. `import.html?job=12&code=overlap&page=2` opens job 12's
// report at that page of that kind of finding, so a report can be bookmarked and shared. After a
// commune's import has succeeded, its report offers to match that commune (gis, admin).
import { messageOf } from './api.js'
import { byId, h, targetElement } from './dom.js'
import { formatNumber, formatPercent, startI18n, t } from './i18n.js'
import { ApiError, getJson } from './import/api.js'
import { fraction, jobFromRow, jobFromUpload, renderJobs, type Job } from './import/jobs.js'
import { renderReport, type Report, type ReportView } from './import/report.js'
import { setupUploadForm, type UploadAnswer } from './import/upload-form.js'
import { follow, isActive } from './import/watch.js'
import { matchControl, mayRunMatching } from './matching/run.js'
import { mayUseThisPage } from './nav.js'
import { renderSession, startSession } from './session.js'
import type { FindingGroup, FindingsPage, ImportJobRow, ImportProgress, User } from './types.js'

const PAGE_SIZE = 50

/** Everything the page shows; the DOM is redrawn from it. */
interface Store {
  jobs: Map<number, Job>
  recentLoaded: boolean
  recentError: string | null
  orphans: UploadAnswer['orphans']
  view: ReportView
  report: Report
  user: User | null
}
const store: Store = {
  jobs: new Map(), // id → job (see jobs.js), the recent ones and those uploaded or opened here
  recentLoaded: false, // whether GET /api/imports has answered once
  recentError: null, // why it failed, the last time it did
  orphans: [], // files of the last upload that belong to no dataset
  view: viewFromUrl(), // the report asked for: { job, code, page }
  report: null, // see renderReport
  user: null,
}

function viewFromUrl(): ReportView {
  const q = new URLSearchParams(location.search)
  return { job: q.get('job'), code: q.get('code') ?? '', page: Math.max(1, Number.parseInt(q.get('page') ?? '1', 10) || 1) }
}

function urlOf(view: ReportView): string {
  const q = new URLSearchParams()
  if (view.job) q.set('job', view.job)
  if (view.code) q.set('code', view.code)
  if (view.page > 1) q.set('page', String(view.page))
  const search = q.toString()
  return `${location.pathname}${search ? `?${search}` : ''}`
}

const selectedId = (): number | null => (/^\d+$/.test(store.view.job ?? '') ? Number(store.view.job) : null)

function render(): void {
  renderSession()
  form.render()
  renderJobList()
  renderOrphans()
  renderReportSection()
}

function renderJobList(): void {
  renderJobs(byId('jobs', HTMLTableElement), byId('jobs-empty'), store.jobs, { selectedId: selectedId(), loading: !store.recentLoaded })
  const jobsError = byId('jobs-error')
  jobsError.hidden = !store.recentError
  jobsError.textContent = store.recentError ? t('jobs.loadFailed', { detail: store.recentError }) : ''
}

function renderReportSection(): void {
  renderReport(store.report, store.view, { filter: (code) => void show({ ...store.view, code, page: 1 }), page: (page) => void show({ ...store.view, page }) })
  // Matching is offered once the commune's data is in: after an import that succeeded.
  const job = store.report && 'job' in store.report ? store.report.job : null
  matching.setCommune(job?.state === 'succeeded' && job.communeCode && mayRunMatching(store.user) ? job.communeCode : null)
  matching.render()
}

const matching = matchControl(byId('report-match'), byId('report-match-run', HTMLButtonElement), byId('report-match-status'), () => undefined)

/** After a job's update: its row, and the report if it is the job shown there. */
function renderJob(job: Job): void {
  renderJobList()
  if (selectedId() === job.id) renderReportSection()
}

function renderOrphans(): void {
  byId('orphans-section').hidden = store.orphans.length === 0
  byId('orphans').replaceChildren(...store.orphans.map((o) => h('tr', {}, h('td', { class: 'file' }, o.file), h('td', {}, o.reason))))
}

/** Says something to screen-reader users without moving their focus. */
function announce(text: string): void {
  byId('announcer').textContent = text
}

/** Shows the report `view` asks for, and records it in the address bar and history. */
async function show(view: ReportView): Promise<void> {
  const jobChanged = view.job !== store.view.job
  store.view = view
  // Another job is another page in the history; another kind or page of findings is not.
  history[jobChanged ? 'pushState' : 'replaceState'](null, '', urlOf(view))
  await loadReport()
  if (jobChanged) byId('report').focus()
}

let reportRequest = 0
/** Loads the chosen job and, once it has ended, the page of findings asked for. */
async function loadReport(): Promise<void> {
  const request = ++reportRequest
  const id = selectedId()
  let report: Report = null
  if (store.view.job && id === null) report = { error: { key: 'report.badId', params: { id: store.view.job } } }
  else if (id !== null) {
    try {
      const { job: row, progress, findingsByCode } = await getJson<{ job: ImportJobRow; progress: ImportProgress | null; findingsByCode: FindingGroup[] }>(`/api/imports/${id}`)
      const job = remember(jobFromRow(row))
      job.progress = progress
      const findings = isActive(job.state) ? null : await loadFindings(id)
      if (isActive(job.state)) watch(job)
      report = { job, byCode: findingsByCode, findings }
    } catch (error) {
      const notFound = error instanceof ApiError && error.status === 404
      report = { error: notFound ? { key: 'report.notFound', params: { id } } : { key: 'report.loadFailed', params: { detail: messageOf(error) } } }
    }
  }
  if (request !== reportRequest) return // a later choice won
  store.report = report
  render()
}

function loadFindings(id: number): Promise<FindingsPage> {
  const q = new URLSearchParams({ page: String(store.view.page), limit: String(PAGE_SIZE) })
  if (store.view.code) q.set('code', store.view.code)
  return getJson<FindingsPage>(`/api/imports/${id}/findings?${q}`)
}

/** Keeps one object per job id, so the table and the report show the same job. */
function remember(job: Job): Job {
  const known = store.jobs.get(job.id)
  if (!known) {
    store.jobs.set(job.id, job)
    return job
  }
  return Object.assign(known, { ...job, progress: job.progress ?? known.progress })
}

/** Follows a queued or running job until it ends, then loads its final row (and report). */
function watch(job: Job): void {
  let announced = -1
  follow(job.id, {
    onUpdate({ state, progress, counts }) {
      Object.assign(job, { state, progress, counts: counts ?? job.counts, trouble: false } satisfies Partial<Job>)
      // Spoken in quarters, not every second.
      const f = fraction(job)
      const quarter = state === 'running' && f !== null ? Math.floor(f * 4) : -1
      if (quarter > announced) {
        announced = quarter
        announce(t('announce.progress', { id: job.id, percent: formatPercent(quarter / 4) }))
      }
      renderJob(job)
    },
    onTrouble() {
      job.trouble = true
      renderJob(job)
    },
    async onEnd() {
      try {
        const { job: row } = await getJson<{ job: ImportJobRow }>(`/api/imports/${job.id}`)
        remember(jobFromRow(row))
      } catch {
        job.trouble = true
      }
      announce(t('announce.ended', { id: job.id, name: job.name, state: t(`job.state.${job.state}`), parcels: formatNumber(job.counts?.parcels ?? 0) }))
      if (selectedId() === job.id) await loadReport()
      else renderJobList()
    },
  })
}

async function loadRecent(): Promise<void> {
  try {
    const { jobs } = await getJson<{ jobs: ImportJobRow[] }>('/api/imports')
    for (const row of jobs) {
      const job = remember(jobFromRow(row))
      if (isActive(job.state)) watch(job)
    }
    store.recentError = null
  } catch (error) {
    store.recentError = messageOf(error)
  }
  store.recentLoaded = true
  renderJobList()
}

function uploaded({ jobs, orphans }: UploadAnswer): void {
  store.orphans = orphans
  for (const j of jobs) {
    const job = remember(jobFromUpload(j))
    if (isActive(job.state)) watch(job)
  }
  render()
  void loadRecent() // fills in what the upload's answer leaves out (commune, error text, time)
  const first = jobs[0]
  if (first) void show({ job: String(first.id), code: '', page: 1 })
}

const form = setupUploadForm({ onUploaded: uploaded })

// Links to a report open it here, without reloading the page (unless opened in a new tab).
document.addEventListener('click', (event) => {
  const link = targetElement(event)?.closest<HTMLElement>('a[data-job]')
  if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return
  event.preventDefault()
  void show({ job: link.dataset.job ?? null, code: '', page: 1 })
})
window.addEventListener('popstate', () => {
  store.view = viewFromUrl()
  void loadReport()
})

store.user = await startSession()
if (mayUseThisPage(store.user)) {
  await startI18n(render)
  await Promise.all([loadRecent(), loadReport()])
} else await startI18n(renderSession)
