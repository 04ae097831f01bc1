// Import jobs as the page shows them (lượt nhập): one shape whatever the API answer they came
// from, the table of jobs, and the words and progress bar for a job's state.
import { h } from '../dom.js'
import { formatNumber, formatPercent as percent, language, t } from '../i18n.js'
import type { ImportCounts, ImportJobRow, ImportProgress } from '../types.js'

/** A job as the page keeps it, whichever answer it came from. */
export interface Job {
  id: number
  name: string
  communeCode: string | null
  state: string
  progress: ImportProgress | null
  counts: ImportCounts
  error: string | null
  duplicateOf: number | null
  createdAt: string | null
  /** An update could not be had (following goes on). */
  trouble: boolean
}

/** A job of the upload's answer. */
export interface UploadedJob {
  id: number
  name: string
  state: string
  duplicateOf: number | null
}

/** A job row of the API (GET /api/imports, GET /api/imports/:id) in the page's shape. */
export function jobFromRow(row: ImportJobRow): Job {
  return {
    id: row.id,
    name: row.source_name,
    communeCode: row.commune_code,
    state: row.state,
    progress: null,
    counts: row.counts ?? {},
    error: row.error,
    duplicateOf: row.duplicate_of,
    createdAt: row.created_at,
    trouble: false,
  }
}

/** A job of the upload's answer (`{ id, name, state, duplicateOf }`) in the page's shape. */
export function jobFromUpload(j: UploadedJob): Job {
  return { id: j.id, name: j.name, communeCode: null, state: j.state, progress: null, counts: {}, error: null, duplicateOf: j.duplicateOf, createdAt: new Date().toISOString(), trouble: false }
}

export const reportHref = (id: number): string => `/import.html?job=${id}`

/** All findings of the job, including those beyond the stored cap per code. */
export function findingTotal(job: Job): number | null {
  const byCode = job.counts?.findings
  return byCode ? Object.values(byCode).reduce((sum, n) => sum + n, 0) : null
}

/** How far a running job is, 0..1, or null while its total is not known yet. */
export function fraction(job: Job): number | null {
  const p = job.progress
  return p && p.total ? Math.min(1, p.done / p.total) : null
}

/** The state in words, with a progress bar while running and the reason when it failed. */
export function stateView(job: Job, { linkDuplicate = true } = {}): HTMLElement {
  const badge = h('span', { class: `state state-${job.state}` }, t(`job.state.${job.state}`))
  const parts: (HTMLElement | string)[] = [badge]
  if (job.state === 'running') parts.push(...progressView(job))
  if (job.state === 'duplicate' && job.duplicateOf) {
    const earlier = linkDuplicate ? h('a', { href: reportHref(job.duplicateOf), 'data-job': job.duplicateOf }, `#${job.duplicateOf}`) : `#${job.duplicateOf}`
    parts.push(h('span', { class: 'state-note' }, t('job.duplicateOf'), ' ', earlier))
  }
  if ((job.state === 'failed' || job.state === 'interrupted') && job.error) parts.push(h('span', { class: 'state-note error-text' }, job.error))
  if (job.trouble) parts.push(h('span', { class: 'state-note' }, t('job.trouble')))
  return h('div', { class: 'state-view' }, parts)
}

/**
 * The bar and its words. Before the first parcel is read, and after the last one while the
 * load checks overlaps and gaps and writes, the bar has no value (it moves without a number):
 * a bar standing still at 0 % or 100 % would look stuck.
 */
function progressView(job: Job): HTMLElement[] {
  const f = fraction(job)
  const total = job.progress?.total ?? 0
  const label = t('job.progressOf', { id: job.id })
  if (f === null || f === 0) return [h('progress', { 'aria-label': label }), h('span', { class: 'progress-text' }, t('job.reading'))]
  if (f >= 1) return [h('progress', { 'aria-label': label }), h('span', { class: 'progress-text' }, t('job.checking', { total: formatNumber(total) }))]
  const words = t('job.progress', { done: formatNumber(job.progress?.done ?? 0), total: formatNumber(total), percent: percent(f) })
  return [h('progress', { max: 1, value: f, 'aria-label': label }), h('span', { class: 'progress-text' }, words)]
}

const dateTime = (iso: string): string => new Intl.DateTimeFormat(language(), { dateStyle: 'short', timeStyle: 'short' }).format(new Date(iso))

/**
 * Fills the jobs table, newest first; the selected job's row is marked. It is redrawn every
 * second while a job runs, so rows and cells that did not change are left in place: a link
 * the clerk has focused with the keyboard keeps its focus.
 */
export function renderJobs(table: HTMLTableElement, empty: HTMLElement, jobs: Map<number, Job>, { selectedId, loading }: { selectedId: number | null; loading: boolean }): void {
  const body = table.tBodies[0]
  if (!body) return
  const existing = new Map([...body.rows].map((tr) => [Number(tr.dataset.jobRow), tr]))
  const rows = [...jobs.values()].sort((a, b) => b.id - a.id).map((job) => {
    const fresh = jobRow(job, selectedId)
    const old = existing.get(job.id)
    if (!old) return fresh
    existing.delete(job.id)
    ;[...fresh.cells].forEach((cell, i) => {
      const before = old.cells[i]
      if (before && before.outerHTML !== cell.outerHTML) before.replaceWith(cell)
    })
    if (job.id === selectedId) old.setAttribute('aria-current', 'true')
    else old.removeAttribute('aria-current')
    return old
  })
  for (const gone of existing.values()) gone.remove()
  rows.forEach((tr, i) => {
    if (body.rows[i] !== tr) body.insertBefore(tr, body.rows[i] ?? null)
  })
  table.hidden = rows.length === 0
  empty.hidden = rows.length > 0
  empty.textContent = t(loading ? 'jobs.loading' : 'jobs.empty')
}

function jobRow(job: Job, selectedId: number | null): HTMLTableRowElement {
  const parcels = job.counts?.parcels
  const findings = findingTotal(job)
  return h(
    'tr',
    { 'aria-current': job.id === selectedId ? 'true' : false, 'data-job-row': job.id },
    h('td', { class: 'num' }, job.id),
    h('td', { class: 'name' }, h('a', { href: reportHref(job.id), 'data-job': job.id, 'aria-label': t('jobs.open', { id: job.id, name: job.name }) }, job.name)),
    h('td', {}, job.communeCode ?? ''),
    h('td', { class: 'state-col' }, stateView(job)),
    h('td', { class: 'num' }, parcels === undefined ? '' : formatNumber(parcels)),
    h('td', { class: 'num' }, findings === null ? '' : formatNumber(findings)),
    h('td', { class: 'when' }, job.createdAt ? dateTime(job.createdAt) : ''),
  )
}
