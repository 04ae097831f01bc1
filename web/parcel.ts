// A parcel's page (chi tiết thửa đất): where it lies among its neighbours, its record beside
// its geometry with the differences marked, the clerk's decisions, candidate records, and its
// history. `?commune=23500&id=309`; a record without parcel opens as `?commune=23500&record=225`.
// A decision carries the version shown; if someone else decided first (409) the page says so
// and shows the parcel as it is now.
import { ApiError, getJson, messageOf } from './api.js'
import { byId, h } from './dom.js'
import { formatArea, formatLandUse, orDash, parcelKey } from './format.js'
import { startI18n, t } from './i18n.js'
import { mayUseThisPage } from './nav.js'
import { renderSession, startSession } from './session.js'
import { positiveInt, readQuery } from './url.js'
import { decide, isConflict, mayDecide, type Decision } from './reconcile/decide.js'
import { findParcel } from './reconcile/find-parcel.js'
import { renderActions, type Action, type FormDecision } from './parcel/actions.js'
import { renderCandidates } from './parcel/candidates.js'
import { renderCompare } from './parcel/compare.js'
import { renderHistory } from './parcel/history.js'
import { showParcelOnMap } from './parcel/mini-map.js'
import type { AuditEvent, ParcelDetail, RecordDetail, User } from './types.js'

const $ = byId
const query = readQuery({ commune: '', id: '', record: '' })
const commune = query.commune
const parcelId = query.id ? positiveInt(query.id, 0) : 0
const recordId = !parcelId && query.record ? positiveInt(query.record, 0) : 0
interface Store {
  user: User | null
  communeName: string
  /** The parcel's detail (a parcel page) or the record's (a record page). */
  detail: ParcelDetail | RecordDetail | null
  events: AuditEvent[]
  error: string | null
  open: Action | null
  busy: boolean
  notice: string | null
  conflict: string | null
}
const store: Store = { user: null, communeName: '', detail: null, events: [], error: null, open: null, busy: false, notice: null, conflict: null }
const isParcelDetail = (d: Store['detail']): d is ParcelDetail => d !== null && 'parcel' in d

const api = (path: string): string => `/api/communes/${encodeURIComponent(commune)}${path}`

// ---- loading ----------------------------------------------------------------------------

async function loadParcel(): Promise<void> {
  const [detail, audit] = await Promise.all([getJson<ParcelDetail>(api(`/parcels/${parcelId}`)), getJson<{ events: AuditEvent[] }>(api(`/audit?parcel=${parcelId}&limit=200`)).catch(() => null)])
  store.detail = detail
  store.events = audit?.events ?? detail.history
}

async function loadRecord(): Promise<void> {
  const detail = await getJson<RecordDetail>(api(`/records/${recordId}`))
  store.detail = detail
  store.events = detail.history
}

async function load(): Promise<void> {
  try {
    if (!commune || (!parcelId && !recordId)) throw new ApiError(400, { detail: t('parcel.badAddress') })
    await (parcelId ? loadParcel() : loadRecord())
    store.error = null
  } catch (error) {
    store.detail = null
    store.error = error instanceof ApiError && error.status === 404 ? t(parcelId ? 'parcel.notFound' : 'parcel.recordNotFound', { id: parcelId || recordId, commune }) : t('parcel.loadFailed', { detail: messageOf(error) })
  }
}

// ---- deciding ---------------------------------------------------------------------------

async function sendDecision(targetParcelId: number, decision: Decision): Promise<void> {
  store.busy = true
  store.notice = null
  store.conflict = null
  try {
    const result = await decide(commune, targetParcelId, decision)
    store.open = null
    store.notice = t('parcel.saved', { kind: t(`history.kind.${decision.kind}`), status: t(`status.${result.parcel.status}`), version: result.parcel.version })
  } catch (error) {
    if (!isConflict(error)) {
      store.busy = false
      throw error
    }
    const current = error.problem?.current
    store.open = null
    store.conflict = current ? t('parcel.conflict', { status: t(`status.${current.status}`), version: current.version }) : t('parcel.conflictPlain')
  }
  store.busy = false
  await load()
  render()
  $(store.conflict ? 'conflict' : 'parcel-title').focus()
}

async function onDecide(decision: FormDecision): Promise<void> {
  const d = store.detail
  if (!isParcelDetail(d)) return
  const { target, ...rest } = decision
  const body: Decision = { ...rest, version: d.parcel.version }
  if (decision.kind === 'relink' && target) {
    const parcel = await findParcel(commune, target.sheet, target.number)
    if (!parcel) throw new Error(t('decision.targetNotFound', { sheet: target.sheet, number: target.number }))
    if (parcel.id === d.parcel.id) throw new Error(t('decision.targetIsThis'))
    Object.assign(body, { targetParcelId: parcel.id, targetVersion: parcel.version })
  }
  for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key]
  await sendDecision(d.parcel.id, body)
}

// ---- drawing ----------------------------------------------------------------------------

function renderHead(): void {
  const d = store.detail
  $('back', HTMLAnchorElement).href = `/queue.html?commune=${encodeURIComponent(commune)}`
  const place = store.communeName ? `${store.communeName} (${commune})` : commune
  $('load-error').hidden = !store.error
  $('load-error').textContent = store.error ?? ''
  $('notice').hidden = !store.notice
  $('notice').textContent = store.notice ?? ''
  $('conflict').hidden = !store.conflict
  $('conflict').textContent = store.conflict ?? ''
  if (!d) {
    $('parcel-title').textContent = t(parcelId ? 'parcel.title' : 'parcel.recordTitle', { key: '', commune: place })
    document.title = t('parcel.pageTitle')
    $('parcel-state').replaceChildren()
    return
  }
  const side = isParcelDetail(d) ? d.parcel : d.record
  const key = parcelKey(side.sheet, side.number)
  $('parcel-title').textContent = t(parcelId ? 'parcel.title' : 'parcel.recordTitle', { key, commune: place })
  document.title = `${key} — ${t('parcel.pageTitle')}`
  const links = d.links
  $('parcel-state').replaceChildren(
    ...[
    isParcelDetail(d) ? h('span', { class: `state status-${d.parcel.status}`, id: 'parcel-status', 'data-status': d.parcel.status }, t(`status.${d.parcel.status}`)) : null,
    isParcelDetail(d) ? h('span', { class: 'hint' }, t('parcel.version', { version: d.parcel.version })) : null,
    ...links.map((l) => h('span', { class: `cat cat-${l.category}` }, t(`category.${l.category}`), l.decided ? ` ✓ ${t('queue.decidedTag')}` : '')),
    isParcelDetail(d) && d.parcel.flag ? h('span', { class: 'tag flagged' }, `⚑ ${t('parcel.flag', { note: d.parcel.flag.note ?? '' })}`) : null,
    ].filter((el) => el !== null),
  )
}

function renderRecordView(detail: RecordDetail): void {
  const r = detail.record
  const rows: [string, string][] = [
    ['parcel.field.sheet', orDash(r.sheet)],
    ['parcel.field.number', orDash(r.number)],
    ['parcel.field.area', formatArea(r.legalAreaM2)],
    ['parcel.field.landUse', formatLandUse(r.landUseCodes)],
    ['parcel.field.owner', orDash(r.ownerName)],
    ['parcel.field.certificate', orDash(r.certificateSerial)],
    ['parcel.field.bookEntry', orDash(r.bookEntryNumber)],
    ['parcel.field.address', orDash(r.address)],
  ]
  $('compare').replaceChildren(
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('parcel.field.field')), h('th', { scope: 'col' }, t('parcel.recordColumn', { id: r.id })))),
    h('tbody', {}, ...rows.map(([label, value]) => h('tr', {}, h('th', { scope: 'row' }, t(label)), h('td', {}, value)))),
  )
  const linked = detail.links.flatMap((l) => (l.parcel ? [l.parcel] : []))
  $('compare-note').replaceChildren(
    linked.length
      ? h('span', {}, t('parcel.recordLinkedTo'), ' ', ...linked.map((p) => h('a', { href: `/parcel.html?commune=${encodeURIComponent(commune)}&id=${p.id}` }, parcelKey(p.sheet, p.number))))
      : t('parcel.recordWithoutParcel'),
  )
}

function render(): void {
  renderSession()
  renderHead()
  const d = store.detail
  const shown = Boolean(d)
  const section = (id: string): HTMLElement | null => $(id).closest('section')
  for (const id of ['compare-title']) section(id)?.toggleAttribute('hidden', !shown)
  section('parcel-map')?.toggleAttribute('hidden', !shown || !parcelId)
  $('parcel-map').closest('.parcel-layout')?.classList.toggle('single', !parcelId)
  $('compare-title').textContent = t(parcelId ? 'parcel.compareTitle' : 'parcel.recordSection')
  if (!d) return
  if (isParcelDetail(d)) {
    renderCompare($('compare'), $('compare-note'), d)
    showParcelOnMap($('parcel-map'), d, { onOpen: (p) => p.id !== d.parcel.id && location.assign(`/parcel.html?commune=${encodeURIComponent(p.commune_code)}&id=${p.id}`) })
    $('map-note').textContent = t('parcel.mapNote', { area: formatArea(d.parcel.areaM2), srid: d.geometry.stored.srid })
  } else renderRecordView(d)

  const deciding = mayDecide(store.user)
  $('actions-section').hidden = !deciding || !parcelId
  if (deciding && isParcelDetail(d)) {
    renderActions($('action-buttons'), $('action-form'), d, {
      open: store.open,
      busy: store.busy,
      onOpen(kind) {
        store.open = kind
        render()
        if (!kind) $('action-buttons').querySelector('button')?.focus()
      },
      onDecide,
    })
  }
  renderCandidates($('candidates-section'), isParcelDetail(d) ? 'records' : 'parcels', isParcelDetail(d) ? d.candidateRecords : d.candidateParcels, {
    commune,
    busy: store.busy,
    onLink: deciding
      ? (c) =>
          isParcelDetail(d)
            ? sendDecision(d.parcel.id, { kind: 'link', recordId: c.record.id, version: d.parcel.version }).catch(showFailure)
            : sendDecision(c.parcel.id, { kind: 'link', recordId: d.record.id, version: c.parcel.version }).catch(showFailure)
      : null,
  })
  renderHistory($('history'), $('history-empty'), store.events)
}

function showFailure(error: unknown): void {
  store.notice = null
  store.conflict = t('decision.failed', { detail: messageOf(error) })
  render()
}

store.user = await startSession()
if (mayUseThisPage(store.user)) {
  const [, communeInfo] = await Promise.all([load(), commune ? getJson<{ name: string }>(api('')).catch(() => null) : null])
  store.communeName = communeInfo?.name ?? ''
  await startI18n(render)
  $('parcel-title').focus()
} else await startI18n(renderSession)
