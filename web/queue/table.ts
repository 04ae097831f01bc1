// The rows of the work queue: one per link (a parcel with its record, a parcel alone, a record
// alone), with its discrepancy, owner, parcel status and the actions the clerk may take.
import { h } from '../dom.js'
import { t } from '../i18n.js'
import { detailsText } from '../reconcile/labels.js'
import type { QueueItem, QueueParcel } from '../types.js'

export interface RowActions {
  accept(item: QueueItem): unknown
  flag(item: QueueItem): unknown
}

/** The page that shows the item: the parcel, or for a record without parcel the record. */
export function itemHref(commune: string, item: QueueItem): string {
  return item.parcel ? `/parcel.html?commune=${encodeURIComponent(commune)}&id=${item.parcel.id}` : `/parcel.html?commune=${encodeURIComponent(commune)}&record=${item.record?.id ?? ''}`
}

export const keyOf = (item: QueueItem): string => {
  const side = item.parcel ?? item.record
  return t('queue.key', { sheet: side?.sheet, number: side?.number })
}

/** Whether a decision can be taken from the queue (it needs a parcel). */
export const decidable = (item: QueueItem): item is QueueItem & { parcel: QueueParcel } => item.parcel !== null

function statusCell(item: QueueItem): HTMLElement {
  if (!item.parcel) return h('td', {}, h('span', { class: 'hint' }, t('queue.noParcel')))
  return h(
    'td',
    {},
    h('span', { class: `state status-${item.parcel.status}` }, t(`status.${item.parcel.status}`)),
    item.parcel.flagged ? h('span', { class: 'tag flagged', title: t('queue.flagged') }, `⚑ ${t('queue.flagged')}`) : null,
    item.decided ? h('span', { class: 'tag decided' }, `✓ ${t('queue.decidedTag')}`) : null,
  )
}

/**
 * Draws the rows; the selected one carries aria-current and is the only one in the tab order.
 * `actions` gives `{ accept(item), flag(item) }` when the user may decide, else null.
 */
export function renderRows(body: HTMLTableSectionElement, commune: string, items: QueueItem[], { selected, actions, busy }: { selected: number; actions: RowActions | null; busy: boolean }): void {
  body.replaceChildren(
    ...items.map((item, i) => {
      const key = keyOf(item)
      const buttons = actions && decidable(item)
        ? [
            h('button', { type: 'button', class: 'small', 'data-action': 'accept', disabled: busy, 'aria-label': t('queue.acceptLabel', { key }), onclick: () => actions.accept(item) }, t('decision.accept')),
            h('button', { type: 'button', class: 'small', 'data-action': 'flag', disabled: busy, 'aria-label': t('queue.flagLabel', { key }), onclick: () => actions.flag(item) }, t('decision.flag')),
          ]
        : []
      return h(
        'tr',
        { 'data-index': i, 'data-match': item.matchId, tabindex: i === selected ? 0 : -1, 'aria-current': i === selected ? 'true' : null, 'data-category': item.category },
        h('th', { scope: 'row' }, h('a', { href: itemHref(commune, item), tabindex: -1 }, key)),
        h('td', {}, h('span', { class: `cat cat-${item.category}` }, t(`category.${item.category}`))),
        h('td', { class: 'details' }, detailsText(item.category, item.details)),
        h('td', {}, item.record?.ownerName ?? item.parcel?.ownerName ?? '—'),
        statusCell(item),
        h('td', { class: 'row-actions' }, h('a', { href: itemHref(commune, item), class: 'button small' }, t('queue.open')), ...buttons),
      )
    }),
  )
}
