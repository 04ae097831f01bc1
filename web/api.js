// Talking to the Landbook API from any page: JSON reads and writes with the session's CSRF
// token, failures carrying the server's problem+json, and the way to the sign-in page when
// the session has ended (401).

export class ApiError extends Error {
  /** `status` 0 means the server was not reached; `problem` is the RFC 9457 body, if any. */
  constructor(status, problem) {
    super(problem?.detail ?? (status ? `HTTP ${status}` : 'network error'))
    this.status = status
    this.problem = problem ?? null
  }
}

let csrfToken = null

/** The CSRF token of the session, for requests made without `sendJson` (uploads). */
export const csrfHeader = () => (csrfToken ? { 'x-csrf-token': csrfToken } : {})

/** Leaves for the sign-in page, which brings the user back here afterwards. */
export function goToLogin() {
  const here = `${location.pathname}${location.search}`
  location.assign(`/login.html?next=${encodeURIComponent(here)}`)
  return new Promise(() => {}) // the page is going away: nothing after this should run
}

async function request(method, url, body) {
  const headers = { accept: 'application/json', ...(method === 'GET' ? {} : csrfHeader()) }
  if (body !== undefined) headers['content-type'] = 'application/json'
  let res
  try {
    res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  } catch {
    throw new ApiError(0, null)
  }
  if (res.status === 401 && url !== '/api/auth/login') return goToLogin()
  const answer = res.status === 204 ? null : await res.json().catch(() => null)
  if (!res.ok) throw new ApiError(res.status, answer)
  return answer
}

export const getJson = (url) => request('GET', url)

/** POST, PUT, PATCH or DELETE with a JSON body (or none). */
export const sendJson = (method, url, body) => request(method, url, body)

/**
 * The signed-in user (`{ id, username, displayName, role, communes }`), remembering the
 * session's CSRF token; without a session, off to the sign-in page.
 */
export async function signedInUser() {
  const { user, csrfToken: token } = await getJson('/api/auth/me')
  csrfToken = token
  return user
}

/** Signs in; resolves with the user, or rejects with the server's ApiError (401, 403, 429). */
export async function logIn(username, password) {
  const { user, csrfToken: token } = await request('POST', '/api/auth/login', { username, password })
  csrfToken = token
  return user
}

export async function logOut() {
  await request('POST', '/api/auth/logout')
  csrfToken = null
}
