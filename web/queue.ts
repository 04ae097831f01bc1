// The clerk's work queue (hàng đợi đối soát): the discrepancies of a commune, filtered by
// category, parcel status, decision, sheet and owner, sorted and paged, all in the address so a
// filtered queue can be bookmarked and shared. Keyboard: j/k next/previous, Enter opens,
// a accepts, f flags (with a note). For the commune: accept every undecided matched parcel (of
// the sheet filtered to, else all), and run matching again.
import { getJson, messageOf } from './api.js'
import { byId, h, targetElement } from './dom.js'
import { formatNumber, startI18n, t } from './i18n.js'
import { mayUseThisPage } from './nav.js'
import { renderSession, startSession } from './session.js'
import { positiveInt, readQuery, writeQuery } from './url.js'
import { decide, isConflict, mayDecide } from './reconcile/decide.js'
import { CATEGORIES, STATUSES } from './reconcile/labels.js'
import { decidable, itemHref, keyOf, renderRows } from './queue/table.js'
import { askBulkAccept, bulkLabel, sendBulkAccept } from './queue/bulk-accept.js'
import { matchControl, mayRunMatching, runText } from './matching/run.js'
import { watchRuns } from './matching/watch.js'
import type { Commune, QueueItem, QueuePage, User } from './types.js'

const PAGE_SIZE = 50
const SORTS = ['sheet', '-sheet', 'category', 'area', 'status']
const DEFAULTS = { commune: '', category: '', status: '', decided: '', sheet: '', q: '', sort: 'sheet', page: '1' }
const $ = byId
const select$ = (id: string): HTMLSelectElement => byId(id, HTMLSelectElement)
const input$ = (id: string): HTMLInputElement => byId(id, HTMLInputElement)
const queueBody = (): HTMLTableSectionElement => {
  const body = byId('queue', HTMLTableElement).tBodies[0]
  if (!body) throw new Error('#queue has no body')
  return body
}

interface Store {
  user: User | null
  communes: Commune[]
  view: typeof DEFAULTS
  result: QueuePage | null
  error: string | null
  selected: number
  busy: boolean
  message: string | null
  /** What the last commune-wide action did (bulk accept), in the status line. */
  notice: string | null
}
const store: Store = { user: null, communes: [], view: readQuery(DEFAULTS), result: null, error: null, selected: 0, busy: false, message: null, notice: null }

const canDecide = () => mayDecide(store.user)
const items = () => store.result?.items ?? []
const page = () => positiveInt(store.view.page)

function options(select: HTMLSelectElement, values: string[], label: (value: string) => string, current: string): void {
  select.replaceChildren(...values.map((v) => h('option', { value: v, selected: v === current }, label(v))))
}

function renderFilters(): void {
  const v = store.view
  options(select$('commune'), store.communes.map((c) => c.code), (code) => `${code} — ${store.communes.find((c) => c.code === code)?.name ?? ''}`, v.commune)
  options(select$('category'), ['', ...CATEGORIES], (c) => (c ? t(`category.${c}`) : t('queue.any')), v.category)
  options(select$('status'), ['', ...STATUSES], (s) => (s ? t(`status.${s}`) : t('queue.any')), v.status)
  options(select$('decided'), ['', 'false', 'true'], (d) => t(`queue.decided.${d || 'any'}`), v.decided)
  options(select$('sort'), SORTS, (s) => t(`queue.sortBy.${s}`), v.sort)
  input$('sheet').value = v.sheet
  input$('q').value = v.q
}

function renderList(): void {
  const r = store.result
  $('queue-error').hidden = !store.error && !store.message
  $('queue-error').textContent = store.message ?? (store.error ? t('queue.loadFailed', { detail: store.error }) : '')
  const total = r?.total ?? 0
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE))
  $('queue-count').textContent = r ? t('queue.count', { n: formatNumber(total) }) : store.error ? '' : t('queue.loading')
  $('page-info').textContent = t('queue.page', { page: formatNumber(page()), pages: formatNumber(pages) })
  byId('prev', HTMLButtonElement).disabled = page() <= 1
  byId('next', HTMLButtonElement).disabled = page() >= pages
  $('queue-empty').hidden = !r || r.items.length > 0
  $('queue-empty').textContent = t(store.communes.length ? 'queue.empty' : 'queue.noCommunes')
  renderRows(queueBody(), store.view.commune, items(), {
    selected: store.selected,
    busy: store.busy,
    actions: canDecide() ? { accept, flag: openFlagDialog } : null,
  })
  renderCommuneActions()
}

function renderCommuneActions(): void {
  const bulk = byId('bulk-accept', HTMLButtonElement)
  bulk.hidden = !canDecide() || !store.view.commune
  bulk.textContent = bulkLabel(store.view)
  bulk.disabled = store.busy
  matching.setCommune(mayRunMatching(store.user) && store.view.commune ? store.view.commune : null)
  runWatch.setCommune(store.view.commune || null)
  matching.render()
  $('commune-actions').hidden = bulk.hidden && $('match-box').hidden
  $('queue-notice').hidden = !store.notice
  $('queue-notice').textContent = store.notice ?? ''
}

function render(): void {
  renderSession()
  renderFilters()
  renderList()
}

const announce = (text: string): void => {
  $('announcer').textContent = text
}

let request = 0
async function load({ focus = false } = {}): Promise<void> {
  const mine = ++request
  const v = store.view
  if (!v.commune) {
    store.result = { total: 0, items: [] }
    renderList()
    return
  }
  const q = new URLSearchParams({ page: String(page()), limit: String(PAGE_SIZE), sort: v.sort })
  for (const name of ['category', 'status', 'decided', 'sheet', 'q'] as const) if (v[name]) q.set(name, v[name])
  try {
    const result = await getJson<QueuePage>(`/api/communes/${encodeURIComponent(v.commune)}/queue?${q}`)
    if (mine !== request) return
    store.result = result
    store.error = null
  } catch (error) {
    if (mine !== request) return
    store.result = null
    store.error = messageOf(error)
  }
  store.selected = Math.min(store.selected, Math.max(0, items().length - 1))
  renderList()
  if (focus) focusSelected()
}

/** Applies the view (filters, page) to the address and loads it. */
function show(changes: Partial<Store['view']>, { push = true } = {}): Promise<void> {
  store.view = { ...store.view, ...changes }
  store.selected = 0
  store.message = null
  store.notice = null
  writeQuery(store.view, DEFAULTS, { push })
  renderFilters()
  return load()
}

function focusSelected(): void {
  queueBody().rows[store.selected]?.focus()
}

function select(index: number): void {
  if (items().length === 0) return
  store.selected = Math.max(0, Math.min(items().length - 1, index))
  const rows = queueBody().rows
  for (const [i, row] of [...rows].entries()) {
    row.tabIndex = i === store.selected ? 0 : -1
    if (i === store.selected) row.setAttribute('aria-current', 'true')
    else row.removeAttribute('aria-current')
  }
  rows[store.selected]?.focus()
  rows[store.selected]?.scrollIntoView({ block: 'nearest' })
}

const keyText = keyOf

/** Runs a decision on the item's parcel; a conflict reloads the page with the current state. */
async function decideOn(item: QueueItem, decision: { kind: string; note?: string }, doneKey: string): Promise<void> {
  if (!decidable(item)) return
  store.busy = true
  store.message = null
  store.notice = null
  renderList()
  try {
    await decide(store.view.commune, item.parcel.id, { ...decision, version: item.parcel.version })
    announce(t(doneKey, { key: keyText(item) }))
    store.busy = false
    const index = store.selected
    await load()
    // On to the next item: after this one if it is still listed, else the one now in its place.
    const still = items().findIndex((i) => i.matchId === item.matchId)
    select(still >= 0 ? Math.min(still + 1, items().length - 1) : Math.min(index, items().length - 1))
  } catch (error) {
    store.busy = false
    store.message = isConflict(error) ? t('queue.conflict', { key: keyText(item) }) : t('queue.decisionFailed', { detail: messageOf(error) })
    await load({ focus: true })
  }
}

function accept(item: QueueItem): Promise<void> | undefined {
  if (!canDecide() || !decidable(item) || store.busy) return
  store.selected = items().indexOf(item)
  return decideOn(item, { kind: 'accept' }, 'queue.accepted')
}

let flagging: QueueItem | null = null
function openFlagDialog(item: QueueItem): void {
  if (!canDecide() || !decidable(item) || store.busy) return
  store.selected = items().indexOf(item)
  flagging = item
  $('flag-title').textContent = t('queue.flagTitle', { key: keyText(item) })
  byId('flag-note', HTMLTextAreaElement).value = ''
  $('flag-error').hidden = true
  byId('flag-dialog', HTMLDialogElement).showModal()
  $('flag-note').focus()
}

$('flag-form').addEventListener('submit', (event) => {
  const note = byId('flag-note', HTMLTextAreaElement).value.trim()
  if (!note) {
    event.preventDefault()
    $('flag-error').hidden = false
    $('flag-error').textContent = t('decision.noteRequired')
    $('flag-note').focus()
    return
  }
  const item = flagging
  flagging = null
  if (item) void decideOn(item, { kind: 'flag', note }, 'queue.flaggedDone')
})
$('flag-cancel').addEventListener('click', () => {
  byId('flag-dialog', HTMLDialogElement).close()
  focusSelected()
})

/** Accepts every undecided matched parcel of the sheet filtered to (else the commune), once confirmed. */
async function bulkAccept(): Promise<void> {
  const { commune, sheet } = store.view
  if (!canDecide() || store.busy || !commune) return
  const communeName = store.communes.find((c) => c.code === commune)?.name ?? commune
  const reason = await askBulkAccept({ commune, communeName, sheet })
  if (reason === null) return $('bulk-accept').focus()
  store.busy = true
  store.message = null
  store.notice = null
  renderList()
  try {
    const { accepted, sheet: done } = await sendBulkAccept(commune, sheet, reason)
    store.notice = t(done ? 'bulk.doneSheet' : 'bulk.done', { n: formatNumber(accepted), sheet: done })
  } catch (error) {
    store.message = t('bulk.failed', { detail: messageOf(error) })
  }
  store.busy = false
  await load()
  $('bulk-accept').focus()
}
$('bulk-accept').addEventListener('click', () => void bulkAccept())

// Matching again: the queue is reloaded with what it found.
const matching = matchControl($('match-box'), byId('match-run', HTMLButtonElement), $('match-status'), (run) => (run.state === 'succeeded' ? load() : undefined))

// A run of this commune started elsewhere: said in the notice line; its result reloads the list.
const runWatch = watchRuns(async (run) => {
  store.notice = run.state === 'succeeded' || run.state === 'queued' || run.state === 'running' ? t(`match.elsewhere.${run.state}`, { id: run.id }) : runText(run, null)
  renderCommuneActions()
  if (run.state === 'succeeded') await load()
})

// Keyboard shortcuts, except while typing in a field or with a dialog open.
document.addEventListener('keydown', (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return
  const target = targetElement(event)
  if (target?.closest('input, select, textarea, dialog, [contenteditable]')) return
  const item = items()[store.selected]
  switch (event.key) {
    case 'j':
      select(store.selected + 1)
      break
    case 'k':
      select(store.selected - 1)
      break
    case 'Enter':
      if (!item || target?.closest('a, button')) return
      location.assign(itemHref(store.view.commune, item))
      break
    case 'a':
      if (item) void accept(item)
      break
    case 'f':
      if (item) openFlagDialog(item)
      break
    default:
      return
  }
  event.preventDefault()
})
queueBody().addEventListener('click', (event) => {
  const target = targetElement(event)
  const row = target?.closest<HTMLElement>('tr[data-index]')
  if (row && !target?.closest('a, button')) select(Number(row.dataset.index))
})

$('filters').addEventListener('submit', (event) => {
  event.preventDefault()
  void show({ commune: select$('commune').value, category: select$('category').value, status: select$('status').value, decided: select$('decided').value, sheet: input$('sheet').value.trim(), q: input$('q').value.trim(), sort: select$('sort').value, page: '1' })
})
for (const id of ['commune', 'category', 'status', 'decided', 'sort']) $(id).addEventListener('change', () => byId('filters', HTMLFormElement).requestSubmit())
$('clear-filters').addEventListener('click', () => show({ ...DEFAULTS, commune: store.view.commune }))
$('prev').addEventListener('click', () => show({ page: String(page() - 1) }))
$('next').addEventListener('click', () => show({ page: String(page() + 1) }))
window.addEventListener('popstate', () => {
  store.view = readQuery(DEFAULTS)
  store.selected = 0
  renderFilters()
  load()
})

store.user = await startSession()
if (mayUseThisPage(store.user)) {
  const { communes } = await getJson<{ communes: Commune[] }>('/api/communes')
  store.communes = communes
  if (!communes.some((c) => c.code === store.view.commune)) {
    store.view.commune = communes[0]?.code ?? ''
    writeQuery(store.view, DEFAULTS)
  }
  await startI18n(render)
  await load()
} else await startI18n(renderSession)
