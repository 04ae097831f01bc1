// The administrator's page (quản trị người dùng): the users with their role, active flag and
// communes, changed in place; and a form to create a user (a generated password is shown once).
import { getJson, sendJson } from './api.js'
import { h } from './dom.js'
import { formatNumber, startI18n, t } from './i18n.js'
import { mayUseThisPage } from './nav.js'
import { renderSession, startSession } from './session.js'
import { communePicker } from './admin/commune-picker.js'
import { renderUsers, ROLES } from './admin/users-table.js'

const $ = (id) => document.getElementById(id)
const store = { users: [], communes: [], created: null, error: null, status: null, editing: null }
let newCommunes = null
let editCommunes = null

function renderCreateForm() {
  const role = $('new-role').value || 'clerk'
  $('new-role').replaceChildren(...ROLES.map((r) => h('option', { value: r, selected: r === role }, t(`role.${r}`))))
  const kept = newCommunes?.selected() ?? []
  newCommunes = communePicker($('new-communes'), store.communes, kept, 'new-communes')
  const c = store.created
  $('created').hidden = !c
  $('created').replaceChildren(
    ...(c
      ? [
          h('span', {}, t('admin.createdUser', { name: c.user.username, role: t(`role.${c.user.role}`) })),
          c.password ? h('span', {}, ' ', t('admin.generatedPassword'), ' ', h('code', { id: 'generated-password' }, c.password), ' ', h('span', { class: 'hint' }, t('admin.shownOnce'))) : null,
        ].filter(Boolean)
      : []),
  )
}

function renderTable() {
  $('users-status').textContent = store.status ?? t('admin.userCount', { n: formatNumber(store.users.length) })
  $('users-error').hidden = !store.error
  $('users-error').textContent = store.error ?? ''
  renderUsers($('users').tBodies[0], store.users, { role: changeRole, active: changeActive, communes: openCommunes })
}

function render() {
  renderSession()
  renderCreateForm()
  renderTable()
}

async function loadUsers() {
  store.users = (await getJson('/api/users')).users
}

/** Saves one change of a user; on refusal (e.g. the last administrator) puts the control back. */
async function saveUser(user, changes, control, undo) {
  store.error = null
  control.disabled = true
  try {
    const { user: saved } = await sendJson('PATCH', `/api/users/${user.id}`, changes)
    Object.assign(user, saved)
    store.status = t('admin.saved', { name: user.username })
  } catch (error) {
    undo()
    store.error = t('admin.saveFailed', { name: user.username, detail: error.message })
  }
  renderTable()
  document.querySelector(`tr[data-user="${CSS.escape(user.username)}"] [data-field="${Object.keys(changes)[0]}"]`)?.focus()
}

const changeRole = (user, role, control) => saveUser(user, { role }, control, () => (control.value = user.role))
const changeActive = (user, active, control) => saveUser(user, { active }, control, () => (control.checked = user.active))

function openCommunes(user) {
  store.editing = user
  $('communes-title').textContent = t('admin.communesOf', { name: user.username })
  $('communes-error').hidden = true
  editCommunes = communePicker($('edit-communes'), store.communes, user.communes, 'edit-communes')
  $('communes-dialog').showModal()
  $('edit-communes-filter').focus()
}

$('communes-form').addEventListener('submit', async (event) => {
  event.preventDefault()
  const user = store.editing
  try {
    const { user: saved } = await sendJson('PUT', `/api/users/${user.id}/communes`, { communes: editCommunes.selected() })
    Object.assign(user, saved)
    store.status = t('admin.saved', { name: user.username })
    store.error = null
    $('communes-dialog').close()
    renderTable()
    document.querySelector(`tr[data-user="${CSS.escape(user.username)}"] [data-action="communes"]`)?.focus()
  } catch (error) {
    $('communes-error').hidden = false
    $('communes-error').textContent = t('admin.saveFailed', { name: user.username, detail: error.message })
  }
})
$('communes-cancel').addEventListener('click', () => $('communes-dialog').close())

$('create-form').addEventListener('submit', async (event) => {
  event.preventDefault()
  const form = event.target
  const fail = (key, params, focus) => {
    $('create-error').hidden = false
    $('create-error').textContent = t(key, params)
    focus?.focus()
  }
  $('create-error').hidden = true
  const username = form.username.value.trim()
  const password = form.password.value
  if (!username) return fail('admin.usernameMissing', {}, form.username)
  if (password && password.length < 8) return fail('admin.passwordShort', {}, form.password)
  const body = { username, role: form.role.value, communes: newCommunes.selected() }
  if (form.displayName.value.trim()) body.displayName = form.displayName.value.trim()
  if (password) body.password = password
  try {
    store.created = await sendJson('POST', '/api/users', body)
    form.reset()
    newCommunes = null
    await loadUsers()
    store.status = null
    render()
    $('created').focus?.()
  } catch (error) {
    fail('admin.createFailed', { detail: error.message }, form.username)
  }
})

const user = await startSession()
if (mayUseThisPage(user)) {
  const [, { communes }] = await Promise.all([loadUsers(), getJson('/api/communes')])
  store.communes = communes
  await startI18n(render)
} else await startI18n(renderSession)
