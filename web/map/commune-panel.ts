// The panel beside the province map: the figures of the commune under the pointer, else of
// the selected commune, else of all communes shown; with links to its queue and dashboard.
import { byId, h } from '../dom.js'
import { formatDateTime, formatPct } from '../format.js'
import { formatNumber, t } from '../i18n.js'
import type { CommuneFeature, CommuneFigures } from '../types.js'

type Count = 'parcels' | 'records' | 'matched' | 'areaMismatch' | 'landuseMismatch' | 'spatialOnly' | 'recordOnly' | 'needsReview'
type Stage = 'reconciled' | 'signed' | 'synced'
type Figures = Pick<CommuneFigures, Count | Stage | 'lastActivity' | 'pct_matched' | 'pct_reconciled' | 'pct_signed' | 'pct_synced'>

const COUNTS: [Count, string][] = [
  ['parcels', 'figure.parcels'],
  ['records', 'figure.records'],
  ['matched', 'figure.matched'],
  ['areaMismatch', 'figure.areaMismatch'],
  ['landuseMismatch', 'figure.landuseMismatch'],
  ['spatialOnly', 'figure.spatialOnly'],
  ['recordOnly', 'figure.recordOnly'],
  ['needsReview', 'figure.needsReview'],
]
const STAGES: Stage[] = ['reconciled', 'signed', 'synced']

/** Sums the communes' figures (the province, or the user's communes). */
export function totalsOf(features: CommuneFeature[]): Figures & { communes: number } {
  const total: Record<Count | Stage, number> = { parcels: 0, records: 0, matched: 0, areaMismatch: 0, landuseMismatch: 0, spatialOnly: 0, recordOnly: 0, needsReview: 0, reconciled: 0, signed: 0, synced: 0 }
  let lastActivity: string | null = null
  for (const { properties: p } of features) {
    for (const key of Object.keys(total) as (Count | Stage)[]) total[key] += Number(p[key] ?? 0)
    if (p.lastActivity && (!lastActivity || p.lastActivity > lastActivity)) lastActivity = p.lastActivity
  }
  const pct = (n: number): number | null => (total.parcels > 0 ? Math.round((1000 * n) / total.parcels) / 10 : null)
  return { ...total, lastActivity, pct_matched: pct(total.matched), pct_reconciled: pct(total.reconciled), pct_signed: pct(total.signed), pct_synced: pct(total.synced), communes: features.length }
}

export interface PanelLink {
  href: string
  key: string
}

/** Shows `figures` (a commune's properties, or totals) in the panel; `hint` is a message key. */
export function renderPanel(figures: Figures, { title, hint, links = [] }: { title: string; hint: string | null; links?: PanelLink[] }): void {
  byId('panel-title').textContent = title
  byId('panel-hint').textContent = hint ? t(hint) : ''
  const rows: [string, string, string][] = [
    ...COUNTS.map(([key, label]): [string, string, string] => [t(label), formatNumber(figures[key] ?? 0), key]),
    ...STAGES.map((stage): [string, string, string] => [t(`figure.${stage}`), `${formatNumber(figures[stage] ?? 0)} (${formatPct(figures[`pct_${stage}`])})`, stage]),
    [t('figure.pctMatched'), formatPct(figures.pct_matched), 'pctMatched'],
    [t('figure.lastActivity'), formatDateTime(figures.lastActivity), 'lastActivity'],
  ]
  byId('panel-figures').replaceChildren(...rows.flatMap(([label, value, key]) => [h('dt', {}, label), h('dd', { 'data-figure': key }, value)]))
  byId('panel-links').replaceChildren(...links.map((l) => h('a', { href: l.href, class: 'button' }, t(l.key))))
}
