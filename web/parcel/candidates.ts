// Candidates suggested by matching: for a parcel, records without parcel that may be its
// record; for a record without parcel, the parcels it may belong to (best first, with the
// score and what it rests on). Linking is a `link` decision on the parcel.
import { h } from '../dom.js'
import { formatArea, formatLandUse, formatPct } from '../format.js'
import { t } from '../i18n.js'
import type { Candidate } from '../types.js'

const reasonsText = (reasons: Candidate['reasons']): string =>
  Object.entries(reasons ?? {})
    .map(([key, value]) => `${t(`candidate.reason.${key}`)} ${formatPct(Number(value) * 100)}`)
    .join(', ')

/**
 * Draws the candidates; `mode` 'records' (on a parcel page) or 'parcels' (on a record page).
 * `onLink(candidate)` links it when the user may decide (else null); `commune` for the links.
 */
interface CandidateOptions {
  commune: string
  onLink: ((candidate: Candidate) => unknown) | null
  busy: boolean
}

export function renderCandidates(section: HTMLElement, mode: 'records' | 'parcels', candidates: Candidate[], { commune, onLink, busy }: CandidateOptions): void {
  section.hidden = candidates.length === 0
  const title = section.querySelector('h2')
  const intro = section.querySelector('.hint')
  const table = section.querySelector('table')
  if (!title || !intro || !table) return
  title.textContent = t(mode === 'records' ? 'candidate.recordsTitle' : 'candidate.parcelsTitle')
  intro.textContent = t(mode === 'records' ? 'candidate.recordsIntro' : 'candidate.parcelsIntro')
  table.tHead?.replaceChildren(
    h('tr', {}, ...['candidate.key', 'candidate.owner', 'candidate.area', 'candidate.landUse', 'candidate.score', 'candidate.action'].map((k) => h('th', { scope: 'col' }, t(k)))),
  )
  table.tBodies[0]?.replaceChildren(
    ...candidates.map((c) => {
      const side = mode === 'records' ? c.record : c.parcel
      const key = t('queue.key', { sheet: side.sheet, number: side.number })
      const area = mode === 'records' ? c.record.legalAreaM2 : c.parcel.areaM2
      return h(
        'tr',
        { 'data-candidate': side.id },
        h('th', { scope: 'row' }, mode === 'parcels' ? h('a', { href: `/parcel.html?commune=${encodeURIComponent(commune)}&id=${side.id}` }, key) : key),
        h('td', {}, side.ownerName ?? '—'),
        h('td', { class: 'num' }, formatArea(area)),
        h('td', {}, formatLandUse(side.landUseCodes)),
        h('td', {}, h('strong', {}, formatPct(Number(c.score) * 100)), h('br'), h('span', { class: 'hint' }, reasonsText(c.reasons))),
        h('td', {}, onLink ? h('button', { type: 'button', class: 'small', disabled: busy, 'data-action': 'link', onclick: () => onLink(c), 'aria-label': t('candidate.linkLabel', { key }) }, t('candidate.link')) : ''),
      )
    }),
  )
}
