// The administrator's page (quản trị người dùng): the users with their role, active flag and
// communes, changed in place; and a form to create a user (a generated password is shown once).
import { getJson, messageOf, sendJson } from './api.js'
import { byId, h } from './dom.js'
import { formatNumber, startI18n, t } from './i18n.js'
import { mayUseThisPage } from './nav.js'
import { renderSession, startSession } from './session.js'
import { communePicker } from './admin/commune-picker.js'
import { isRole, renderUsers, ROLES } from './admin/users-table.js'
import type { Commune, User } from './types.js'

const $ = byId
type Picker = ReturnType<typeof communePicker>
interface Created {
  user: User
  /** The generated password, shown once. */
  password?: string
}
interface Store {
  users: User[]
  communes: Commune[]
  created: Created | null
  error: string | null
  status: string | null
  editing: User | null
}
const store: Store = { users: [], communes: [], created: null, error: null, status: null, editing: null }
let newCommunes: Picker | null = null
let editCommunes: Picker | null = null
const usersBody = (): HTMLTableSectionElement => {
  const body = $('users', HTMLTableElement).tBodies[0]
  if (!body) throw new Error('#users has no body')
  return body
}

function renderCreateForm(): void {
  const role = $('new-role', HTMLSelectElement).value || 'clerk'
  $('new-role', HTMLSelectElement).replaceChildren(...ROLES.map((r) => h('option', { value: r, selected: r === role }, t(`role.${r}`))))
  const kept = newCommunes?.selected() ?? []
  newCommunes = communePicker($('new-communes'), store.communes, kept, 'new-communes')
  const c = store.created
  $('created').hidden = !c
  $('created').replaceChildren(
    ...(c
      ? [
          h('span', {}, t('admin.createdUser', { name: c.user.username, role: t(`role.${c.user.role}`) })),
          c.password ? h('span', {}, ' ', t('admin.generatedPassword'), ' ', h('code', { id: 'generated-password' }, c.password), ' ', h('span', { class: 'hint' }, t('admin.shownOnce'))) : null,
        ].filter((el) => el !== null)
      : []),
  )
}

function renderTable(): void {
  $('users-status').textContent = store.status ?? t('admin.userCount', { n: formatNumber(store.users.length) })
  $('users-error').hidden = !store.error
  $('users-error').textContent = store.error ?? ''
  renderUsers(usersBody(), store.users, { role: changeRole, active: changeActive, communes: openCommunes })
}

function render(): void {
  renderSession()
  renderCreateForm()
  renderTable()
}

async function loadUsers(): Promise<void> {
  store.users = (await getJson<{ users: User[] }>('/api/users')).users
}

/** Saves one change of a user; on refusal (e.g. the last administrator) puts the control back. */
async function saveUser(user: User, changes: Partial<Pick<User, 'role' | 'active'>>, control: HTMLSelectElement | HTMLInputElement, undo: () => void): Promise<void> {
  store.error = null
  control.disabled = true
  try {
    const { user: saved } = await sendJson<{ user: User }>('PATCH', `/api/users/${user.id}`, changes)
    Object.assign(user, saved)
    store.status = t('admin.saved', { name: user.username })
  } catch (error) {
    undo()
    store.error = t('admin.saveFailed', { name: user.username, detail: messageOf(error) })
  }
  renderTable()
  document.querySelector<HTMLElement>(`tr[data-user="${CSS.escape(user.username)}"] [data-field="${Object.keys(changes)[0]}"]`)?.focus()
}

const changeRole = (user: User, role: string, control: HTMLSelectElement): Promise<void> | undefined => {
  if (!isRole(role)) return
  return saveUser(user, { role }, control, () => (control.value = user.role))
}
const changeActive = (user: User, active: boolean, control: HTMLInputElement): Promise<void> => saveUser(user, { active }, control, () => (control.checked = user.active))

function openCommunes(user: User): void {
  store.editing = user
  $('communes-title').textContent = t('admin.communesOf', { name: user.username })
  $('communes-error').hidden = true
  editCommunes = communePicker($('edit-communes'), store.communes, user.communes, 'edit-communes')
  $('communes-dialog', HTMLDialogElement).showModal()
  $('edit-communes-filter').focus()
}

$('communes-form').addEventListener('submit', async (event) => {
  event.preventDefault()
  const user = store.editing
  if (!user) return
  try {
    const { user: saved } = await sendJson<{ user: User }>('PUT', `/api/users/${user.id}/communes`, { communes: editCommunes?.selected() ?? [] })
    Object.assign(user, saved)
    store.status = t('admin.saved', { name: user.username })
    store.error = null
    $('communes-dialog', HTMLDialogElement).close()
    renderTable()
    document.querySelector<HTMLElement>(`tr[data-user="${CSS.escape(user.username)}"] [data-action="communes"]`)?.focus()
  } catch (error) {
    $('communes-error').hidden = false
    $('communes-error').textContent = t('admin.saveFailed', { name: user.username, detail: messageOf(error) })
  }
})
$('communes-cancel').addEventListener('click', () => $('communes-dialog', HTMLDialogElement).close())

const createForm = $('create-form', HTMLFormElement)
const field = (name: string): HTMLInputElement | HTMLSelectElement => {
  const el = createForm.elements.namedItem(name)
  if (el instanceof HTMLInputElement || el instanceof HTMLSelectElement) return el
  throw new Error(`#create-form has no field ${name}`)
}
createForm.addEventListener('submit', async (event) => {
  event.preventDefault()
  const form = createForm
  const fail = (key: string, params: Record<string, string>, focus?: HTMLElement): void => {
    $('create-error').hidden = false
    $('create-error').textContent = t(key, params)
    focus?.focus()
  }
  $('create-error').hidden = true
  const username = field('username').value.trim()
  const password = field('password').value
  const displayName = field('displayName').value.trim()
  if (!username) return fail('admin.usernameMissing', {}, field('username'))
  if (password && password.length < 8) return fail('admin.passwordShort', {}, field('password'))
  const body = { username, role: field('role').value, communes: newCommunes?.selected() ?? [], displayName: displayName || undefined, password: password || undefined }
  try {
    store.created = await sendJson<Created>('POST', '/api/users', body)
    form.reset()
    newCommunes = null
    await loadUsers()
    store.status = null
    render()
    $('created').focus()
  } catch (error) {
    fail('admin.createFailed', { detail: messageOf(error) }, field('username'))
  }
})

const user = await startSession()
if (mayUseThisPage(user)) {
  const [, { communes }] = await Promise.all([loadUsers(), getJson<{ communes: Commune[] }>('/api/communes')])
  store.communes = communes
  await startI18n(render)
} else await startI18n(renderSession)
