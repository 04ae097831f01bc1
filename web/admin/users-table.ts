// The users table of the admin page: each user's role and active flag changed in place (saved
// at once), and their communes, changed in a dialog.
import { h } from '../dom.js'
import { formatDateTime } from '../format.js'
import { t } from '../i18n.js'
import type { Role, User } from '../types.js'

export const ROLES: Role[] = ['admin', 'gis', 'clerk', 'signer', 'manager']
export const isRole = (value: string): value is Role => ROLES.some((r) => r === value)
/** Roles that see every commune: assignments do not limit them. */
const ALL_COMMUNES: Role[] = ['admin', 'manager']

export interface UserChanges {
  role(user: User, role: string, control: HTMLSelectElement): unknown
  active(user: User, active: boolean, control: HTMLInputElement): unknown
  communes(user: User): unknown
}

/** `on.role(user, role)`, `on.active(user, active)`, `on.communes(user)` act on a change. */
export function renderUsers(body: HTMLTableSectionElement, users: User[], on: UserChanges): void {
  body.replaceChildren(
    ...users.map((u) => {
      const role = h('select', { 'aria-label': t('admin.roleOf', { name: u.username }), 'data-field': 'role' }, ...ROLES.map((r) => h('option', { value: r, selected: r === u.role }, t(`role.${r}`))))
      role.addEventListener('change', () => on.role(u, role.value, role))
      const active = h('input', { type: 'checkbox', checked: u.active, id: `active-${u.id}`, 'data-field': 'active' })
      active.addEventListener('change', () => on.active(u, active.checked, active))
      const communes = ALL_COMMUNES.includes(u.role)
        ? h('span', { class: 'hint' }, t('admin.allCommunes'))
        : h('span', {}, u.communes.length ? u.communes.join(', ') : t('admin.noCommunes'))
      return h(
        'tr',
        { 'data-user': u.username, class: u.active ? '' : 'inactive' },
        h('th', { scope: 'row' }, u.username),
        h('td', {}, u.displayName),
        h('td', {}, role),
        h('td', {}, active, h('label', { for: `active-${u.id}` }, t(u.active ? 'admin.isActive' : 'admin.isInactive'))),
        h('td', { class: 'communes-cell' }, communes, ' ', h('button', { type: 'button', class: 'small', 'data-action': 'communes', onclick: () => on.communes(u), 'aria-label': t('admin.editCommunesOf', { name: u.username }) }, t('admin.editCommunes'))),
        h('td', { class: 'when' }, formatDateTime(u.createdAt)),
      )
    }),
  )
}
