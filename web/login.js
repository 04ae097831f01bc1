// The sign-in page (đăng nhập): username and password, then back to the page that sent the
// user here (`login.html?next=/import.html?job=12`), or the start page.
import { ApiError, logIn } from './api.js'
import { startI18n, t } from './i18n.js'

const $ = (id) => document.getElementById(id)
let error = null // { key, params } of the message shown, redrawn on a language change

/** Only a path of this site: `next` comes from the address bar, so it must not lead elsewhere. */
function nextPage() {
  const next = new URLSearchParams(location.search).get('next') ?? '/'
  return next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/'
}

function showError(key, params = {}) {
  error = key ? { key, params } : null
  $('login-error').hidden = !key
  $('login-error').textContent = key ? t(key, params) : ''
}

async function submit(event) {
  event.preventDefault()
  const username = $('username').value.trim()
  const password = $('password').value
  if (!username || !password) {
    showError('login.missing')
    ;(username ? $('password') : $('username')).focus()
    return
  }
  showError(null)
  $('submit').disabled = true
  $('login-status').textContent = t('login.signingIn')
  try {
    await logIn(username, password)
    location.assign(nextPage())
  } catch (e) {
    $('login-status').textContent = ''
    const status = e instanceof ApiError ? e.status : 0
    if (status === 401) showError('login.wrong')
    else if (status === 403) showError('login.disabled')
    else if (status === 429) showError('login.throttled', { minutes: Math.ceil(Number(e.problem?.retryAfter ?? 900) / 60) })
    else if (status === 0) showError('login.networkError')
    else showError('login.failed', { detail: e.message })
    $('password').select()
    $('password').focus()
  } finally {
    $('submit').disabled = false
  }
}

// Already signed in (a bookmarked sign-in page): straight on.
async function alreadySignedIn() {
  const res = await fetch('/api/auth/me', { headers: { accept: 'application/json' } }).catch(() => null)
  if (res?.ok) location.assign(nextPage())
}

$('login-form').addEventListener('submit', submit)
await startI18n(() => {
  if (error) showError(error.key, error.params)
})
$('username').focus()
alreadySignedIn()
