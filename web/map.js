// The province map (bản đồ tiến độ): communes filled by their progress on the chosen measure,
// a legend, a commune's figures on hover or selection, and, zoomed in, the parcels as vector
// tiles coloured by status or discrepancy; a click on a parcel opens its detail. The view
// (measure, colouring, commune, centre and zoom) is kept in the address for bookmarks.
import { getJson } from './api.js'
import { h } from './dom.js'
import { formatNumber, startI18n, t } from './i18n.js'
import { mayUseThisPage, PAGES } from './nav.js'
import { renderSession, startSession } from './session.js'
import { readQuery, writeQuery } from './url.js'
import { addBaseLayer } from './map/base-layer.js'
import { renderPanel, totalsOf } from './map/commune-panel.js'
import { communesLayer, MEASURES } from './map/communes-layer.js'
import { createMap } from './map/leaflet.js'
import { legendControl } from './map/legend.js'
import { COLOR_MODES, PARCELS_MIN_ZOOM, parcelsLayer } from './map/parcels-layer.js'

const DEFAULTS = { measure: 'reconciled', colour: 'status', commune: '', z: '', lat: '', lng: '' }
/** Roughly the province when there is nothing to fit (no commune has a boundary). */
const FALLBACK_VIEW = { center: [13.98, 108.0], zoom: 8 }

const $ = (id) => document.getElementById(id)
const view = readQuery(DEFAULTS)
if (!MEASURES.includes(view.measure)) view.measure = DEFAULTS.measure
if (!COLOR_MODES.includes(view.colour)) view.colour = DEFAULTS.colour

const store = { user: null, features: [], byCode: new Map(), hovered: null, parcel: null }
let map, communes, parcels, legend

const parcelsShown = () => map.getZoom() >= PARCELS_MIN_ZOOM
const mayOpen = (page) => PAGES.find((p) => p.href === page)?.roles.includes(store.user.role)

function fillSelect(select, values, label, selected) {
  select.replaceChildren(...values.map(([value, text]) => h('option', { value, selected: value === selected }, text ?? label(value))))
}

function renderControls() {
  fillSelect($('measure'), MEASURES.map((m) => [m]), (m) => t(`map.measure.${m}`), view.measure)
  fillSelect($('color-by'), COLOR_MODES.map((m) => [m]), (m) => t(`map.colorBy.${m}`), view.colour)
  fillSelect(
    $('commune'),
    [['', t('map.allCommunes', { n: formatNumber(store.features.length) })], ...store.features.map((f) => [f.properties.code, `${f.properties.code} — ${f.properties.name}`])],
    String,
    view.commune,
  )
}

function renderStatus() {
  let text
  if (!parcelsShown()) text = t('map.zoomForParcels')
  else if (store.parcel) {
    const p = store.parcel
    text = t('map.parcelLine', { sheet: p.sheet_number, number: p.parcel_number, status: t(`status.${p.status}`), category: p.category ? t(`category.${p.category}`) : t('map.noCategory') })
  } else text = t(mayOpen('/parcel.html') ? 'map.parcelsShownOpen' : 'map.parcelsShown')
  $('map-status').textContent = text
}

function renderCommunePanel() {
  const code = store.hovered ?? (view.commune || null)
  const feature = code ? store.byCode.get(code) : null
  if (!feature) {
    renderPanel(totalsOf(store.features), { title: t('map.allCommunes', { n: formatNumber(store.features.length) }), hint: store.features.length ? 'map.panelHint' : 'map.noCommunes' })
    return
  }
  const p = feature.properties
  const links = []
  if (code === view.commune) {
    if (mayOpen('/queue.html')) links.push({ href: `/queue.html?commune=${p.code}`, key: 'map.openQueue' })
    links.push({ href: `/dashboard.html?commune=${p.code}`, key: 'map.openDashboard' })
  }
  renderPanel(p, { title: `${p.name} (${p.code})`, hint: feature.geometry ? null : 'map.noBoundary', links })
}

function render() {
  renderSession()
  renderControls()
  renderStatus()
  renderCommunePanel()
  legend.render({ measure: view.measure, colorBy: view.colour, parcelsShown: parcelsShown() })
}

/** Records the view in the address; the map's centre and zoom with 5 decimals (~1 m). */
function saveView() {
  const c = map.getCenter()
  view.z = String(map.getZoom())
  view.lat = c.lat.toFixed(5)
  view.lng = c.lng.toFixed(5)
  writeQuery(view, DEFAULTS)
}

function selectCommune(code, { fit = true } = {}) {
  view.commune = code
  communes.select(code || null)
  const bounds = code ? communes.boundsOf(code) : communes.layer.getBounds()
  if (fit && bounds?.isValid()) map.fitBounds(bounds, { maxZoom: 16 })
  $('commune').value = code
  renderCommunePanel()
  saveView()
}

function initialView() {
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

async function start() {
  store.user = await startSession()
  if (!mayUseThisPage(store.user)) return startI18n(renderSession)
  map = createMap($('map'))
  addBaseLayer(map, $('map')) // none configured: boundaries and parcels alone
  let collection
  try {
    collection = await getJson('/api/progress/communes.geojson')
  } catch (error) {
    collection = { features: [] }
    $('map-error').hidden = false
    $('map-error').textContent = t('map.loadFailed', { detail: error.message })
  }
  store.features = collection.features
  store.byCode = new Map(store.features.map((f) => [f.properties.code, f]))
  if (view.commune && !store.byCode.has(view.commune)) view.commune = ''

  communes = communesLayer(collection, {
    measure: view.measure,
    onHover(props) {
      store.hovered = props?.code ?? null
      renderCommunePanel()
    },
    onSelect: (code) => selectCommune(code, { fit: false }),
  })
  communes.layer.addTo(map)
  communes.select(view.commune || null)

  parcels = parcelsLayer(map, {
    colorBy: view.colour,
    onOpen: mayOpen('/parcel.html') ? (p) => location.assign(`/parcel.html?commune=${encodeURIComponent(p.commune_code)}&id=${encodeURIComponent(p.id)}`) : null,
    onHover(props) {
      store.parcel = props
      renderStatus()
    },
  })
  parcels.layer.addTo(map)

  legend = legendControl()
  legend.addTo(map)

  $('measure').addEventListener('change', (e) => {
    view.measure = e.target.value
    communes.setMeasure(view.measure)
    saveView()
    render()
  })
  $('color-by').addEventListener('change', (e) => {
    view.colour = e.target.value
    parcels.setColorBy(view.colour)
    saveView()
    render()
  })
  $('commune').addEventListener('change', (e) => selectCommune(e.target.value))

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
