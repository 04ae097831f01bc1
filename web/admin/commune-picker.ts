// Choosing communes for a user (giao xã): a filterable list of checkboxes, since a province has
// a few hundred communes; the filter matches code or name without accents.
import { h } from '../dom.js'
import { t } from '../i18n.js'
import type { Commune } from '../types.js'

const fold = (s: string): string => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase()

/** Fills `box` with the picker; returns `{ selected() }` (the codes ticked). */
export function communePicker(box: HTMLElement, communes: Pick<Commune, 'code' | 'name'>[], selected: readonly string[], idPrefix: string): { selected(): string[] } {
  const chosen = new Set(selected)
  const filter = h('input', { type: 'search', id: `${idPrefix}-filter`, autocomplete: 'off', 'aria-controls': `${idPrefix}-list` })
  const count = h('span', { class: 'hint', 'aria-live': 'polite' })
  const list = h('ul', { class: 'commune-list', id: `${idPrefix}-list` })
  const updateCount = () => (count.textContent = t('admin.communesChosen', { n: chosen.size }))
  const items = communes.map((c) => {
    const tick = h('input', { type: 'checkbox', id: `${idPrefix}-${c.code}`, value: c.code, checked: chosen.has(c.code) })
    tick.addEventListener('change', () => {
      if (tick.checked) chosen.add(c.code)
      else chosen.delete(c.code)
      updateCount()
    })
    const li = h('li', {}, tick, h('label', { for: `${idPrefix}-${c.code}` }, `${c.code} — ${c.name}`))
    li.dataset.search = fold(`${c.code} ${c.name}`)
    return li
  })
  list.replaceChildren(...items)
  filter.addEventListener('input', () => {
    const q = fold(filter.value.trim())
    for (const li of items) li.hidden = q !== '' && !(li.dataset.search ?? '').includes(q)
  })
  box.replaceChildren(
    h('fieldset', { class: 'communes-field' }, h('legend', {}, t('admin.communes')), h('div', { class: 'field' }, h('label', { for: `${idPrefix}-filter` }, t('admin.filterCommunes')), filter, count), list, h('p', { class: 'hint' }, t('admin.communesHint'))),
  )
  updateCount()
  return { selected: () => [...chosen].sort() }
}
