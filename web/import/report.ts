// The report of one import job (báo cáo lượt nhập): its outcome and counts, its findings
// (phát hiện) counted by kind, and the findings themselves a page at a time, by kind if chosen.
import { byId, h } from '../dom.js'
import { formatNumber, has, t, type Params } from '../i18n.js'
import type { FindingGroup, FindingsPage } from '../types.js'
import { isActive } from './watch.js'
import { stateView, type Job } from './jobs.js'

const $ = byId

/** The report asked for (in the address): a job, a kind of finding, a page. */
export interface ReportView {
  job: string | null
  code: string
  page: number
}

/** null (no job chosen), an error to show, or the job with its findings (null while it runs). */
export type Report = null | { error: { key: string; params: Params } } | { job: Job; byCode: FindingGroup[]; findings: FindingsPage | null }

export interface ReportActions {
  filter(code: string): void
  page(n: number): void
}

/** The words for a finding kind, or its code when the message files do not know it yet. */
const kindLabel = (code: string): string => (has(`code.${code}`) ? t(`code.${code}`) : code)
const severityBadge = (severity: string): HTMLElement => h('span', { class: `severity severity-${severity}` }, t(`severity.${severity}`))

/**
 * Draws the report section. `report` is null (no job chosen), `{ error: { key, params } }`, or
 * `{ job, byCode, findings }` with `findings` the API's page (null while the job runs).
 * `on.filter(code)` and `on.page(n)` are called when the clerk picks a kind or a page.
 */
export function renderReport(report: Report, view: ReportView, on: ReportActions): void {
  const section = $('report')
  section.hidden = report === null
  if (report === null) return
  if ('error' in report) {
    $('report-title').textContent = t('report.titleOf', { id: view.job })
    $('report-outcome').replaceChildren(h('p', { class: 'error', role: 'alert' }, t(report.error.key, report.error.params)))
    $('report-counts').replaceChildren()
    $('report-findings').hidden = true
    return
  }
  const { job } = report
  $('report-title').textContent = t('report.title', { id: job.id, name: job.name })
  $('report-outcome').replaceChildren(h('div', {}, stateView(job), isActive(job.state) && h('p', { class: 'hint' }, t('report.whenDone'))))
  renderCounts(job)
  // A duplicate was not run: its findings are those of the earlier job it links to.
  $('report-findings').hidden = isActive(job.state) || job.state === 'duplicate' || report.findings === null
  if (report.findings) {
    renderByCode(report.byCode, job.counts?.findings ?? {}, on)
    renderFindings(report.byCode, report.findings, view, on)
  }
}

function renderCounts(job: Job): void {
  const c = job.counts ?? {}
  const items: [string, string | number | null | undefined][] = [
    ['report.commune', job.communeCode],
    ['report.parcels', c.parcels],
    ['report.rejected', c.rejected],
    ['report.sheets', c.sheets],
    ['report.replaced', c.replaced],
  ]
  const shown = items.filter((item): item is [string, string | number] => item[1] !== undefined && item[1] !== null)
  $('report-counts').replaceChildren(
    ...shown.map(([key, value]) =>
      h('div', { 'data-count': key.split('.')[1] }, h('dt', {}, t(key)), h('dd', {}, typeof value === 'number' ? formatNumber(value) : value)),
    ),
  )
}

/** `counted` is the job's count per code; beyond a cap per code, findings are counted but not stored. */
function renderByCode(byCode: FindingGroup[], counted: Record<string, number>, on: ReportActions): void {
  // The job counts per code only; a code reported at two severities cannot be split.
  const countOf = (g: FindingGroup): number => (byCode.filter((x) => x.code === g.code).length === 1 ? Math.max(g.count, counted[g.code] ?? 0) : g.count)
  $('by-code', HTMLTableElement).tBodies[0]?.replaceChildren(
    ...byCode.map((g) =>
      h(
        'tr',
        {},
        h('td', {}, severityBadge(g.severity)),
        h('td', {}, h('button', { type: 'button', class: 'link', onclick: () => on.filter(g.code), 'aria-label': t('report.showKind', { kind: kindLabel(g.code) }) }, kindLabel(g.code)), ' ', h('code', {}, g.code)),
        h(
          'td',
          { class: 'num' },
          formatNumber(countOf(g)),
          countOf(g) > g.count && h('span', { class: 'hint capped' }, t('report.capped', { stored: formatNumber(g.count) })),
        ),
      ),
    ),
  )
  $('by-code').hidden = byCode.length === 0
  $('by-code-empty').hidden = byCode.length > 0
  $('findings-list').hidden = byCode.length === 0
}

function renderFindings(byCode: FindingGroup[], page: FindingsPage, view: ReportView, on: ReportActions): void {
  const filter = $('code-filter', HTMLSelectElement)
  const codes = [...new Set(byCode.map((g) => g.code))]
  const countOf = (code: string): number => byCode.filter((g) => g.code === code).reduce((n, g) => n + g.count, 0)
  filter.replaceChildren(
    h('option', { value: '' }, t('report.allKinds')),
    ...codes.map((code) => h('option', { value: code }, `${kindLabel(code)} (${formatNumber(countOf(code))})`)),
  )
  filter.value = view.code
  filter.onchange = () => on.filter(filter.value)

  $('findings', HTMLTableElement).tBodies[0]?.replaceChildren(
    ...page.findings.map((f) =>
      h(
        'tr',
        {},
        h('td', { class: 'num' }, f.seq),
        h('td', {}, severityBadge(f.severity)),
        h('td', { class: 'file' }, f.file ?? ''),
        h('td', { class: 'num' }, f.row ?? ''),
        h('td', {}, f.field ?? ''),
        h('td', {}, f.sheet_number ?? ''),
        h('td', {}, f.parcel_number ?? ''),
        h('td', { class: 'message' }, f.message),
      ),
    ),
  )
  const pages = Math.max(1, Math.ceil(page.total / page.limit))
  const info = page.total === 0 ? t('report.none') : t('report.page', { page: formatNumber(page.page), pages: formatNumber(pages), total: formatNumber(page.total) })
  for (const pager of document.querySelectorAll('#report .pager')) {
    const pageInfo = pager.querySelector('.page-info')
    const prev = pager.querySelector<HTMLButtonElement>('[data-page="prev"]')
    const next = pager.querySelector<HTMLButtonElement>('[data-page="next"]')
    if (!pageInfo || !prev || !next) continue
    pageInfo.textContent = info
    prev.disabled = page.page <= 1
    next.disabled = page.page >= pages
    prev.onclick = () => on.page(page.page - 1)
    next.onclick = () => on.page(page.page + 1)
  }
  // The lower pager is only needed when the page is long enough to hide the upper one.
  document.querySelector<HTMLElement>('#findings-list > .pager')?.toggleAttribute('hidden', page.findings.length < 15)
}
