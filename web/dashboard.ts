// The dashboard (bảng theo dõi tiến độ): each commune's figures in a sortable table with the
// province totals and downloads, and progress over time for the province or one commune.
// The sort and the commune charted are kept in the address (?sort=-reconciled&commune=23500).
import { getJson, messageOf } from './api.js'
import { byId, h } from './dom.js'
import { formatDateTime, formatDay } from './format.js'
import { formatNumber, language, startI18n, t } from './i18n.js'
import { mayUseThisPage } from './nav.js'
import { renderSession, startSession } from './session.js'
import { readQuery, writeQuery } from './url.js'
import { BAR_COLOR, SERIES, timelineChart } from './dashboard/chart.js'
import { COLUMNS, renderTable } from './dashboard/table.js'
import type { Progress, TimelineDay, User } from './types.js'

const DEFAULTS = { sort: 'code', commune: '' }
const $ = byId
const view = readQuery(DEFAULTS)
if (!COLUMNS.some((c) => c.key === view.sort.replace(/^-/, ''))) view.sort = DEFAULTS.sort
interface Store {
  user: User | null
  progress: Progress | null
  timeline: { days: TimelineDay[] } | null
  error: string | null
  timelineError: string | null
}
const store: Store = { user: null, progress: null, timeline: null, error: null, timelineError: null }
/** Administrators and managers see the whole province; the others their communes. */
const canSeeAll = (): boolean => store.user?.role === 'admin' || store.user?.role === 'manager'

function renderProgress(): void {
  const p = store.progress
  $('table-error').hidden = !store.error
  $('table-error').textContent = store.error ? t('dashboard.loadFailed', { detail: store.error }) : ''
  if (!p) return
  $('generated').textContent = t('dashboard.generated', { when: formatDateTime(p.generatedAt) })
  $('table-empty').hidden = p.communes.length > 0
  renderTable($('progress', HTMLTableElement), p, {
    sort: view.sort,
    chosen: view.commune,
    onSort(sort) {
      view.sort = sort
      writeQuery(view, DEFAULTS)
      renderProgress()
      $('progress').querySelector<HTMLElement>(`button[data-sort="${sort.replace(/^-/, '')}"]`)?.focus()
    },
    onChoose: (code) => choose(code),
  })
  for (const [id, ext] of [['download-csv', 'csv'], ['download-xlsx', 'xlsx']] as const) $(id, HTMLAnchorElement).href = `/api/progress/communes.${ext}?lang=${language()}`
}

function communeName(code: string): string {
  return store.progress?.communes.find((c) => c.code === code)?.name ?? code
}

function renderTimeline(): void {
  const options: [string, string][] = [['', t(canSeeAll() ? 'dashboard.chart.province' : 'dashboard.chart.mine')], ...(store.progress?.communes ?? []).map((c): [string, string] => [c.code, `${c.code} — ${c.name}`])]
  $('chart-commune', HTMLSelectElement).replaceChildren(...options.map(([value, text]) => h('option', { value, selected: value === view.commune }, text)))
  const all = canSeeAll() ? 'dashboard.chart.titleProvince' : 'dashboard.chart.titleMine'
  const title = view.commune ? t('dashboard.chart.titleCommune', { name: communeName(view.commune) }) : t(all)
  $('chart-title').textContent = title
  const days = store.timeline?.days ?? []
  $('chart-empty').hidden = days.length > 0 || !store.timeline
  if (store.timelineError) {
    $('chart-empty').hidden = false
    $('chart-empty').textContent = t('dashboard.chart.loadFailed', { detail: store.timelineError })
  } else $('chart-empty').textContent = t('dashboard.chart.empty')
  $('chart').replaceChildren(days.length > 0 ? timelineChart(days, title) : '')
  $('chart-legend').replaceChildren(
    ...(days.length > 0
      ? [
          ...SERIES.map((s) => h('li', {}, h('span', { class: 'swatch line', style: `background:${s.color}`, 'aria-hidden': 'true' }), t(`dashboard.chart.series.${s.key}`))),
          h('li', {}, h('span', { class: 'swatch', style: `background:${BAR_COLOR}`, 'aria-hidden': 'true' }), t('dashboard.chart.series.decisions')),
        ]
      : []),
  )
  $('chart-data').hidden = days.length === 0
  $('days', HTMLTableElement).tBodies[0]?.replaceChildren(
    ...[...days].reverse().map((d) =>
      h('tr', {}, h('td', {}, formatDay(d.date, { dateStyle: 'medium' })), ...[d.decisionsTotal, d.reconciled, d.signed, d.synced].map((n) => h('td', { class: 'num' }, formatNumber(n)))),
    ),
  )
}

function render(): void {
  renderSession()
  renderProgress()
  renderTimeline()
}

async function loadProgress(): Promise<void> {
  try {
    store.progress = await getJson<Progress>('/api/progress/communes')
    store.error = null
  } catch (error) {
    store.error = messageOf(error)
  }
}

let timelineRequest = 0
async function loadTimeline(): Promise<void> {
  const request = ++timelineRequest
  let timeline: Store['timeline'] = null
  let failure: string | null = null
  try {
    timeline = await getJson<{ days: TimelineDay[] }>(`/api/progress/timeline${view.commune ? `?commune=${encodeURIComponent(view.commune)}` : ''}`)
  } catch (error) {
    failure = messageOf(error)
  }
  if (request !== timelineRequest) return // a later choice won
  store.timeline = timeline
  store.timelineError = failure
  renderTimeline()
}

/** Charts the commune (or '' for the province) and marks its row. */
async function choose(code: string): Promise<void> {
  view.commune = code
  writeQuery(view, DEFAULTS, { push: true })
  renderProgress()
  await loadTimeline()
}

const chartCommune = $('chart-commune', HTMLSelectElement)
chartCommune.addEventListener('change', () => choose(chartCommune.value))
window.addEventListener('popstate', () => {
  Object.assign(view, readQuery(DEFAULTS))
  renderProgress()
  loadTimeline()
})

store.user = await startSession()
if (mayUseThisPage(store.user)) {
  await Promise.all([loadProgress(), loadTimeline()])
  await startI18n(render)
} else await startI18n(renderSession)
