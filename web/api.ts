// Talking to the Landbook API from any page: JSON reads and writes with the session's CSRF
// token, failures carrying the server's problem+json, and the way to the sign-in page when
// the session has ended (401).
import type { Problem, User } from './types.js'

export class ApiError extends Error {
  /** 0 means the server was not reached. */
  readonly status: number
  /** The RFC 9457 body, if any. */
  readonly problem: Problem | null

  constructor(status: number, problem: Problem | null) {
    super(problem?.detail ?? (status ? `HTTP ${status}` : 'network error'))
    this.status = status
    this.problem = problem ?? null
  }
}

let csrfToken: string | null = null

/** The CSRF token of the session, for requests made without `sendJson` (uploads). */
export const csrfHeader = (): Record<string, string> => (csrfToken ? { 'x-csrf-token': csrfToken } : {})

/** Leaves for the sign-in page, which brings the user back here afterwards. */
export function goToLogin(): Promise<never> {
  const here = `${location.pathname}${location.search}`
  location.assign(`/login.html?next=${encodeURIComponent(here)}`)
  return new Promise(() => {}) // the page is going away: nothing after this should run
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

// The answer is trusted to have the shape the caller names: it comes from our own server.
async function request<T>(method: Method, url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...(method === 'GET' ? {} : csrfHeader()) }
  if (body !== undefined) headers['content-type'] = 'application/json'
  let res: Response
  try {
    res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  } catch {
    throw new ApiError(0, null)
  }
  if (res.status === 401 && url !== '/api/auth/login') return goToLogin()
  const answer: unknown = res.status === 204 ? null : await res.json().catch(() => null)
  if (!res.ok) throw new ApiError(res.status, answer as Problem | null)
  return answer as T
}

export const getJson = <T>(url: string): Promise<T> => request<T>('GET', url)

/** POST, PUT, PATCH or DELETE with a JSON body (or none). */
export const sendJson = <T>(method: Exclude<Method, 'GET'>, url: string, body?: unknown): Promise<T> => request<T>(method, url, body)

interface SessionAnswer {
  user: User
  csrfToken: string
}

/** The signed-in user, remembering the session's CSRF token; without a session, off to the sign-in page. */
export async function signedInUser(): Promise<User> {
  const { user, csrfToken: token } = await getJson<SessionAnswer>('/api/auth/me')
  csrfToken = token
  return user
}

/** Signs in; resolves with the user, or rejects with the server's ApiError (401, 403, 429). */
export async function logIn(username: string, password: string): Promise<User> {
  const { user, csrfToken: token } = await request<SessionAnswer>('POST', '/api/auth/login', { username, password })
  csrfToken = token
  return user
}

export async function logOut(): Promise<void> {
  await request<null>('POST', '/api/auth/logout')
  csrfToken = null
}

/** The message of anything thrown (an Error, else its text). */
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error))
