// The province map (bản đồ tiến độ): communes filled by their progress on the chosen measure,
// a legend, a commune's figures on hover or selection, and, zoomed in, the parcels as vector
// tiles coloured by status or discrepancy; a click on a parcel opens its detail, and so does
// its sheet and number typed in the "open a parcel" form (the keyboard's way). The view
// (measure, colouring, commune, centre and zoom) is kept in the address for bookmarks.
import { getJson, messageOf } from './api.js'
import { byId, h } from './dom.js'
import { formatNumber, startI18n, t, type Params } from './i18n.js'
import { mayUseThisPage, PAGES } from './nav.js'
import { renderSession, startSession } from './session.js'
import { readQuery, writeQuery } from './url.js'
import { addBaseLayer } from './map/base-layer.js'
import { renderPanel, totalsOf, type PanelLink } from './map/commune-panel.js'
import { communesLayer, isMeasure, MEASURES, type CommunesLayer } from './map/communes-layer.js'
import { createMap, type L } from './map/leaflet.js'
import { legendControl, type Legend } from './map/legend.js'
import { COLOR_MODES, isColorMode, PARCELS_MIN_ZOOM, parcelsLayer, type ParcelsLayer, type TileParcel } from './map/parcels-layer.js'
import { findParcel, parcelHref } from './reconcile/find-parcel.js'
import type { CommuneCollection, CommuneFeature, User } from './types.js'

const DEFAULTS = { measure: 'reconciled', colour: 'status', commune: '', z: '', lat: '', lng: '' }
/** Roughly the province when there is nothing to fit (no commune has a boundary). */
const FALLBACK_VIEW = { center: [13.98, 108.0] as L.LatLngTuple, zoom: 8 }

const $ = byId
const view = readQuery(DEFAULTS)
if (!isMeasure(view.measure)) view.measure = DEFAULTS.measure
if (!isColorMode(view.colour)) view.colour = DEFAULTS.colour
const measure = () => (isMeasure(view.measure) ? view.measure : 'reconciled')
const colour = () => (isColorMode(view.colour) ? view.colour : 'status')

interface Store {
  user: User | null
  features: CommuneFeature[]
  byCode: Map<string, CommuneFeature>
  hovered: string | null
  parcel: TileParcel | null
  /** The open-a-parcel form's line: a message key and its parameters. */
  opening: { key: string; params: Params } | null
}
const store: Store = { user: null, features: [], byCode: new Map(), hovered: null, parcel: null, opening: null }
let map: L.Map
let communes: CommunesLayer
let parcels: ParcelsLayer
let legend: Legend

const parcelsShown = () => map.getZoom() >= PARCELS_MIN_ZOOM
const mayOpen = (page: string) => Boolean(store.user && PAGES.find((p) => p.href === page)?.roles.includes(store.user.role))

function fillSelect(select: HTMLSelectElement, values: [string, string?][], label: (value: string) => string, selected: string): void {
  select.replaceChildren(...values.map(([value, text]) => h('option', { value, selected: value === selected }, text ?? label(value))))
}

function renderControls(): void {
  fillSelect($('measure', HTMLSelectElement), MEASURES.map((m) => [m]), (m) => t(`map.measure.${m}`), view.measure)
  fillSelect($('color-by', HTMLSelectElement), COLOR_MODES.map((m) => [m]), (m) => t(`map.colorBy.${m}`), view.colour)
  fillSelect(
    $('commune', HTMLSelectElement),
    [['', t('map.allCommunes', { n: formatNumber(store.features.length) })], ...store.features.map((f): [string, string] => [f.properties.code, `${f.properties.code} — ${f.properties.name}`])],
    String,
    view.commune,
  )
}

function renderStatus(): void {
  let text: string
  if (!parcelsShown()) text = t('map.zoomForParcels')
  else if (store.parcel) {
    const p = store.parcel
    text = t('map.parcelLine', { sheet: p.sheet_number, number: p.parcel_number, status: t(`status.${p.status}`), category: p.category ? t(`category.${p.category}`) : t('map.noCategory') })
  } else text = t(mayOpen('/parcel.html') ? 'map.parcelsShownOpen' : 'map.parcelsShown')
  $('map-status').textContent = text
}

function renderCommunePanel(): void {
  const code = store.hovered ?? (view.commune || null)
  const feature = code ? store.byCode.get(code) : null
  if (!feature) {
    renderPanel(totalsOf(store.features), { title: t('map.allCommunes', { n: formatNumber(store.features.length) }), hint: store.features.length ? 'map.panelHint' : 'map.noCommunes' })
    return
  }
  const p = feature.properties
  const links: PanelLink[] = []
  if (code === view.commune) {
    if (mayOpen('/queue.html')) links.push({ href: `/queue.html?commune=${p.code}`, key: 'map.openQueue' })
    links.push({ href: `/dashboard.html?commune=${p.code}`, key: 'map.openDashboard' })
  }
  renderPanel(p, { title: `${p.name} (${p.code})`, hint: feature.geometry ? null : 'map.noBoundary', links })
}

/** The open-a-parcel form: there once a commune is chosen, for users who may open parcels. */
function renderOpenParcel(): void {
  $('open-parcel').hidden = !view.commune || !mayOpen('/parcel.html')
  $('open-parcel-status').textContent = store.opening ? t(store.opening.key, store.opening.params) : ''
}

function render(): void {
  renderSession()
  renderControls()
  renderStatus()
  renderCommunePanel()
  renderOpenParcel()
  legend.render({ measure: view.measure, colorBy: view.colour, parcelsShown: parcelsShown() })
}

/** Records the view in the address; the map's centre and zoom with 5 decimals (~1 m). */
function saveView(): void {
  const c = map.getCenter()
  view.z = String(map.getZoom())
  view.lat = c.lat.toFixed(5)
  view.lng = c.lng.toFixed(5)
  writeQuery(view, DEFAULTS)
}

function selectCommune(code: string, { fit = true } = {}): void {
  view.commune = code
  communes.select(code || null)
  const bounds = code ? communes.boundsOf(code) : communes.layer.getBounds()
  if (fit && bounds?.isValid()) map.fitBounds(bounds, { maxZoom: 16 })
  $('commune', HTMLSelectElement).value = code
  store.opening = null
  renderCommunePanel()
  renderOpenParcel()
  saveView()
}

function initialView(): void {
  const z = Number(view.z)
  const lat = Number(view.lat)
  const lng = Number(view.lng)
  if (view.z && view.lat && view.lng && Number.isFinite(z) && Number.isFinite(lat) && Number.isFinite(lng)) {
    map.setView([lat, lng], z)
    return
  }
  const bounds = (view.commune && communes.boundsOf(view.commune)) || communes.layer.getBounds()
  if (bounds.isValid()) map.fitBounds(bounds, { maxZoom: 16 })
  else map.setView(FALLBACK_VIEW.center, FALLBACK_VIEW.zoom)
}

/** Opens the parcel of the chosen commune with the sheet and number typed in the form. */
async function openTypedParcel(event: SubmitEvent): Promise<void> {
  event.preventDefault()
  const sheetInput = $('open-sheet', HTMLInputElement)
  const numberInput = $('open-number', HTMLInputElement)
  const sheet = sheetInput.value.trim()
  const number = numberInput.value.trim()
  const commune = view.commune
  const say = (key: string, params: Params = {}): void => {
    store.opening = { key, params }
    renderOpenParcel()
  }
  if (!commune) return
  if (!sheet || !number) {
    say('map.openParcel.missing')
    ;(sheet ? numberInput : sheetInput).focus()
    return
  }
  say('map.openParcel.searching')
  try {
    const parcel = await findParcel(commune, sheet, number)
    if (parcel) location.assign(parcelHref(commune, parcel.id))
    else say('map.openParcel.notFound', { commune, sheet, number })
  } catch (error) {
    say('map.openParcel.failed', { detail: messageOf(error) })
  }
}

async function start(): Promise<void> {
  store.user = await startSession()
  if (!mayUseThisPage(store.user)) return startI18n(renderSession)
  map = createMap($('map'))
  void addBaseLayer(map, $('map')) // none configured: boundaries and parcels alone
  let collection: CommuneCollection
  try {
    collection = await getJson<CommuneCollection>('/api/progress/communes.geojson')
  } catch (error) {
    collection = { type: 'FeatureCollection', features: [] }
    $('map-error').hidden = false
    $('map-error').textContent = t('map.loadFailed', { detail: messageOf(error) })
  }
  store.features = collection.features
  store.byCode = new Map(store.features.map((f) => [f.properties.code, f]))
  if (view.commune && !store.byCode.has(view.commune)) view.commune = ''

  communes = communesLayer(collection, {
    measure: measure(),
    onHover(props) {
      store.hovered = props?.code ?? null
      renderCommunePanel()
    },
    onSelect: (code) => selectCommune(code, { fit: false }),
  })
  communes.layer.addTo(map)
  communes.select(view.commune || null)

  parcels = parcelsLayer(map, {
    colorBy: colour(),
    onOpen: mayOpen('/parcel.html') ? (p) => location.assign(parcelHref(p.commune_code, p.id)) : null,
    onHover(props) {
      store.parcel = props
      renderStatus()
    },
  })
  parcels.layer.addTo(map)

  legend = legendControl()
  legend.addTo(map)

  const measureSelect = $('measure', HTMLSelectElement)
  const colourSelect = $('color-by', HTMLSelectElement)
  const communeSelect = $('commune', HTMLSelectElement)
  measureSelect.addEventListener('change', () => {
    view.measure = measureSelect.value
    communes.setMeasure(measure())
    saveView()
    render()
  })
  colourSelect.addEventListener('change', () => {
    view.colour = colourSelect.value
    parcels.setColorBy(colour())
    saveView()
    render()
  })
  communeSelect.addEventListener('change', () => selectCommune(communeSelect.value))
  $('open-parcel', HTMLFormElement).addEventListener('submit', openTypedParcel)

  map.on('zoomend', () => {
    communes.setFillOpacity(parcelsShown() ? 0.15 : 0.75)
    store.parcel = null
    renderStatus()
    legend.render({ measure: view.measure, colorBy: view.colour, parcelsShown: parcelsShown() })
  })
  map.on('moveend', saveView)

  await startI18n(render)
  initialView()
  communes.setFillOpacity(parcelsShown() ? 0.15 : 0.75)
  render()
}

await start()
