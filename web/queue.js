// The clerk's work queue (hàng đợi đối soát): the discrepancies of a commune, filtered by
// category, parcel status, decision, sheet and owner, sorted and paged, all in the address so a
// filtered queue can be bookmarked and shared. Keyboard: j/k next/previous, Enter opens,
// a accepts, f flags (with a note).
import { getJson } from './api.js'
import { h } from './dom.js'
import { formatNumber, startI18n, t } from './i18n.js'
import { mayUseThisPage } from './nav.js'
import { renderSession, startSession } from './session.js'
import { positiveInt, readQuery, writeQuery } from './url.js'
import { decide, isConflict, mayDecide } from './reconcile/decide.js'
import { CATEGORIES, STATUSES } from './reconcile/labels.js'
import { decidable, itemHref, renderRows } from './queue/table.js'

const PAGE_SIZE = 50
const SORTS = ['sheet', '-sheet', 'category', 'area', 'status']
const DEFAULTS = { commune: '', category: '', status: '', decided: '', sheet: '', q: '', sort: 'sheet', page: '1' }
const $ = (id) => document.getElementById(id)

const store = { user: null, communes: [], view: readQuery(DEFAULTS), result: null, error: null, selected: 0, busy: false, message: null }

const canDecide = () => mayDecide(store.user)
const items = () => store.result?.items ?? []
const page = () => positiveInt(store.view.page)

function options(select, values, label, current) {
  select.replaceChildren(...values.map((v) => h('option', { value: v, selected: v === current }, label(v))))
}

function renderFilters() {
  const v = store.view
  options($('commune'), store.communes.map((c) => c.code), (code) => `${code} — ${store.communes.find((c) => c.code === code).name}`, v.commune)
  options($('category'), ['', ...CATEGORIES], (c) => (c ? t(`category.${c}`) : t('queue.any')), v.category)
  options($('status'), ['', ...STATUSES], (s) => (s ? t(`status.${s}`) : t('queue.any')), v.status)
  options($('decided'), ['', 'false', 'true'], (d) => t(`queue.decided.${d || 'any'}`), v.decided)
  options($('sort'), SORTS, (s) => t(`queue.sortBy.${s}`), v.sort)
  $('sheet').value = v.sheet
  $('q').value = v.q
}

function renderList() {
  const r = store.result
  $('queue-error').hidden = !store.error && !store.message
  $('queue-error').textContent = store.message ?? (store.error ? t('queue.loadFailed', { detail: store.error }) : '')
  const total = r?.total ?? 0
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE))
  $('queue-count').textContent = r ? t('queue.count', { n: formatNumber(total) }) : store.error ? '' : t('queue.loading')
  $('page-info').textContent = t('queue.page', { page: formatNumber(page()), pages: formatNumber(pages) })
  $('prev').disabled = page() <= 1
  $('next').disabled = page() >= pages
  $('queue-empty').hidden = !r || r.items.length > 0
  $('queue-empty').textContent = t(store.communes.length ? 'queue.empty' : 'queue.noCommunes')
  renderRows($('queue').tBodies[0], store.view.commune, items(), {
    selected: store.selected,
    busy: store.busy,
    actions: canDecide() ? { accept, flag: openFlagDialog } : null,
  })
}

function render() {
  renderSession()
  renderFilters()
  renderList()
}

const announce = (text) => {
  $('announcer').textContent = text
}

let request = 0
async function load({ focus = false } = {}) {
  const mine = ++request
  const v = store.view
  if (!v.commune) {
    store.result = { total: 0, items: [] }
    renderList()
    return
  }
  const q = new URLSearchParams({ page: String(page()), limit: String(PAGE_SIZE), sort: v.sort })
  for (const name of ['category', 'status', 'decided', 'sheet', 'q']) if (v[name]) q.set(name, v[name])
  try {
    const result = await getJson(`/api/communes/${encodeURIComponent(v.commune)}/queue?${q}`)
    if (mine !== request) return
    store.result = result
    store.error = null
  } catch (error) {
    if (mine !== request) return
    store.result = null
    store.error = error.message
  }
  store.selected = Math.min(store.selected, Math.max(0, items().length - 1))
  renderList()
  if (focus) focusSelected()
}

/** Applies the view (filters, page) to the address and loads it. */
function show(changes, { push = true } = {}) {
  store.view = { ...store.view, ...changes }
  store.selected = 0
  store.message = null
  writeQuery(store.view, DEFAULTS, { push })
  renderFilters()
  return load()
}

function focusSelected() {
  $('queue').tBodies[0].rows[store.selected]?.focus()
}

function select(index) {
  if (items().length === 0) return
  store.selected = Math.max(0, Math.min(items().length - 1, index))
  const rows = $('queue').tBodies[0].rows
  for (const [i, row] of [...rows].entries()) {
    row.tabIndex = i === store.selected ? 0 : -1
    if (i === store.selected) row.setAttribute('aria-current', 'true')
    else row.removeAttribute('aria-current')
  }
  rows[store.selected]?.focus()
  rows[store.selected]?.scrollIntoView({ block: 'nearest' })
}

const keyText = (item) => t('queue.key', { sheet: (item.parcel ?? item.record).sheet, number: (item.parcel ?? item.record).number })

/** Runs a decision on the item's parcel; a conflict reloads the page with the current state. */
async function decideOn(item, decision, doneKey) {
  store.busy = true
  store.message = null
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
    store.message = isConflict(error) ? t('queue.conflict', { key: keyText(item) }) : t('queue.decisionFailed', { detail: error.message })
    await load({ focus: true })
  }
}

function accept(item) {
  if (!canDecide() || !decidable(item) || store.busy) return
  store.selected = items().indexOf(item)
  return decideOn(item, { kind: 'accept' }, 'queue.accepted')
}

let flagging = null
function openFlagDialog(item) {
  if (!canDecide() || !decidable(item) || store.busy) return
  store.selected = items().indexOf(item)
  flagging = item
  $('flag-title').textContent = t('queue.flagTitle', { key: keyText(item) })
  $('flag-note').value = ''
  $('flag-error').hidden = true
  $('flag-dialog').showModal()
  $('flag-note').focus()
}

$('flag-form').addEventListener('submit', (event) => {
  const note = $('flag-note').value.trim()
  if (!note) {
    event.preventDefault()
    $('flag-error').hidden = false
    $('flag-error').textContent = t('decision.noteRequired')
    $('flag-note').focus()
    return
  }
  const item = flagging
  flagging = null
  decideOn(item, { kind: 'flag', note }, 'queue.flaggedDone')
})
$('flag-cancel').addEventListener('click', () => {
  $('flag-dialog').close()
  focusSelected()
})

// Keyboard shortcuts, except while typing in a field or with a dialog open.
document.addEventListener('keydown', (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return
  if (event.target.closest?.('input, select, textarea, dialog, [contenteditable]')) return
  const item = items()[store.selected]
  switch (event.key) {
    case 'j':
      select(store.selected + 1)
      break
    case 'k':
      select(store.selected - 1)
      break
    case 'Enter':
      if (!item || event.target.closest?.('a, button')) return
      location.assign(itemHref(store.view.commune, item))
      break
    case 'a':
      if (item) accept(item)
      break
    case 'f':
      if (item) openFlagDialog(item)
      break
    default:
      return
  }
  event.preventDefault()
})
$('queue').tBodies[0].addEventListener('click', (event) => {
  const row = event.target.closest('tr[data-index]')
  if (row && !event.target.closest('a, button')) select(Number(row.dataset.index))
})

$('filters').addEventListener('submit', (event) => {
  event.preventDefault()
  show({ commune: $('commune').value, category: $('category').value, status: $('status').value, decided: $('decided').value, sheet: $('sheet').value.trim(), q: $('q').value.trim(), sort: $('sort').value, page: '1' })
})
for (const id of ['commune', 'category', 'status', 'decided', 'sort']) $(id).addEventListener('change', () => $('filters').requestSubmit())
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
  const { communes } = await getJson('/api/communes')
  store.communes = communes
  if (!communes.some((c) => c.code === store.view.commune)) {
    store.view.commune = communes[0]?.code ?? ''
    writeQuery(store.view, DEFAULTS)
  }
  await startI18n(render)
  await load()
} else await startI18n(renderSession)
