// A parcel's (or record's) history (lịch sử): the audit events about it, newest first, with who
// decided, when, what moved (status, version) and why.
import { h } from '../dom.js'
import { formatDateTime } from '../format.js'
import { has, t } from '../i18n.js'
import type { AuditEvent } from '../types.js'

function change(event: AuditEvent): string {
  const before = event.before?.status
  const after = event.after?.status
  const parts = []
  if (before && after) parts.push(before === after ? t(`status.${after}`) : `${t(`status.${before}`)} → ${t(`status.${after}`)}`)
  if (event.after?.version) parts.push(t('history.version', { version: event.after.version }))
  return parts.join(' · ')
}

export function renderHistory(list: HTMLElement, empty: HTMLElement, events: AuditEvent[]): void {
  empty.hidden = events.length > 0
  list.replaceChildren(
    ...events.map((e) =>
      h(
        'li',
        { 'data-kind': e.kind, 'data-seq': e.seq },
        h('span', { class: 'when' }, formatDateTime(e.createdAt)),
        ' ',
        h('strong', {}, has(`history.kind.${e.kind}`) ? t(`history.kind.${e.kind}`) : e.kind),
        ' · ',
        e.actor ? (e.actor.displayName || e.actor.username) : e.actorId ? t('history.user', { id: e.actorId }) : t('history.system'),
        change(e) ? h('span', { class: 'hint' }, ` · ${change(e)}`) : null,
        e.reason ? h('div', { class: 'reason' }, `“${e.reason}”`) : null,
        h('div', { class: 'hash hint', title: e.hash }, t('history.seq', { seq: e.seq })),
      ),
    ),
  )
}
