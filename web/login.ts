// The sign-in page (đăng nhập): username and password, then back to the page that sent the
// user here (`login.html?next=/import.html?job=12`), or the start page.
import { ApiError, logIn, messageOf } from './api.js'
import { byId } from './dom.js'
import { startI18n, t, type Params } from './i18n.js'

const $ = byId
const username = $('username', HTMLInputElement)
const password = $('password', HTMLInputElement)
let error: { key: string; params: Params } | null = null // the message shown, redrawn on a language change

/** Only a path of this site: `next` comes from the address bar, so it must not lead elsewhere. */
function nextPage(): string {
  const next = new URLSearchParams(location.search).get('next') ?? '/'
  return next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/'
}

function showError(key: string | null, params: Params = {}): void {
  error = key ? { key, params } : null
  $('login-error').hidden = !key
  $('login-error').textContent = key ? t(key, params) : ''
}

async function submit(event: SubmitEvent): Promise<void> {
  event.preventDefault()
  const name = username.value.trim()
  const secret = password.value
  if (!name || !secret) {
    showError('login.missing')
    ;(name ? password : username).focus()
    return
  }
  showError(null)
  $('submit', HTMLButtonElement).disabled = true
  $('login-status').textContent = t('login.signingIn')
  try {
    await logIn(name, secret)
    location.assign(nextPage())
  } catch (e) {
    $('login-status').textContent = ''
    const status = e instanceof ApiError ? e.status : 0
    if (status === 401) showError('login.wrong')
    else if (status === 403) showError('login.disabled')
    else if (status === 429) showError('login.throttled', { minutes: Math.ceil(Number((e instanceof ApiError ? e.problem?.retryAfter : undefined) ?? 900) / 60) })
    else if (status === 0) showError('login.networkError')
    else showError('login.failed', { detail: messageOf(e) })
    password.select()
    password.focus()
  } finally {
    $('submit', HTMLButtonElement).disabled = false
  }
}

// Already signed in (a bookmarked sign-in page): straight on.
async function alreadySignedIn(): Promise<void> {
  const res = await fetch('/api/auth/me', { headers: { accept: 'application/json' } }).catch(() => null)
  if (res?.ok) location.assign(nextPage())
}

$('login-form').addEventListener('submit', submit)
await startI18n(() => {
  if (error) showError(error.key, error.params)
})
username.focus()
alreadySignedIn()
