// The panel beside the province map: the figures of the commune under the pointer, else of
// the selected commune, else of all communes shown; with links to its queue and dashboard.
import { h } from '../dom.js'
import { formatDateTime, formatPct } from '../format.js'
import { formatNumber, t } from '../i18n.js'

const COUNTS = [
  ['parcels', 'figure.parcels'],
  ['records', 'figure.records'],
  ['matched', 'figure.matched'],
  ['areaMismatch', 'figure.areaMismatch'],
  ['landuseMismatch', 'figure.landuseMismatch'],
  ['spatialOnly', 'figure.spatialOnly'],
  ['recordOnly', 'figure.recordOnly'],
  ['needsReview', 'figure.needsReview'],
]
const STAGES = ['reconciled', 'signed', 'synced']

/** Sums the communes' figures (the province, or the user's communes). */
export function totalsOf(features) {
  const total = { parcels: 0, records: 0, matched: 0, areaMismatch: 0, landuseMismatch: 0, spatialOnly: 0, recordOnly: 0, needsReview: 0, reconciled: 0, signed: 0, synced: 0, lastActivity: null }
  for (const { properties: p } of features) {
    for (const key of Object.keys(total)) if (key !== 'lastActivity') total[key] += Number(p[key] ?? 0)
    if (p.lastActivity && (!total.lastActivity || p.lastActivity > total.lastActivity)) total.lastActivity = p.lastActivity
  }
  const pct = (n) => (total.parcels > 0 ? Math.round((1000 * n) / total.parcels) / 10 : null)
  return { ...total, pct_matched: pct(total.matched), pct_reconciled: pct(total.reconciled), pct_signed: pct(total.signed), pct_synced: pct(total.synced), communes: features.length }
}

/**
 * Shows `figures` (a commune's properties, or totals) in the panel. `links` are
 * `[{ href, key }]`; `hint` a message key.
 */
export function renderPanel(figures, { title, hint, links = [] }) {
  document.getElementById('panel-title').textContent = title
  document.getElementById('panel-hint').textContent = hint ? t(hint) : ''
  const rows = [
    ...COUNTS.map(([key, label]) => [t(label), formatNumber(figures[key] ?? 0), key]),
    ...STAGES.map((stage) => [t(`figure.${stage}`), `${formatNumber(figures[stage] ?? 0)} (${formatPct(figures[`pct_${stage}`])})`, stage]),
    [t('figure.pctMatched'), formatPct(figures.pct_matched), 'pctMatched'],
    [t('figure.lastActivity'), formatDateTime(figures.lastActivity), 'lastActivity'],
  ]
  document.getElementById('panel-figures').replaceChildren(...rows.flatMap(([label, value, key]) => [h('dt', {}, label), h('dd', { 'data-figure': key }, value)]))
  document.getElementById('panel-links').replaceChildren(...links.map((l) => h('a', { href: l.href, class: 'button' }, t(l.key))))
}
