/**
 * The HTTP side of sign-in: `authenticate` reads the session cookie once per request (and
 * checks the CSRF token of every state-changing request of a signed-in user); the guards
 * `requireUser`, `requireRole` and `requireCommuneAccess` go on each route.
 */
import { timingSafeEqual } from 'node:crypto'
import type { Request, RequestHandler, Response } from 'express'
import { Forbidden, Unauthorized } from '../errors.js'
import type { AppDeps } from '../http/deps.js'
import type { ThrottleSettings } from './login-throttle.js'
import { assertCommuneAccess, assertRole } from './access.js'
import { findSession } from './sessions.js'
import type { Role } from './types.js'

export interface AuthSettings {
  /** A session ends this long after its last request. */
  sessionTtlMs: number
  throttle?: ThrottleSettings
}

export const DEFAULT_SESSION_TTL_MS = 12 * 3_600_000
export const SESSION_COOKIE = 'landbook_session'
export const CSRF_HEADER = 'x-csrf-token'
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
/** Signing in needs no CSRF token: it has no session yet, and SameSite=Strict covers it. */
const CSRF_EXEMPT = new Set(['/api/auth/login'])

export const sessionTtlOf = (deps: AppDeps): number => deps.auth?.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS

/** The cookie token and CSRF token of the request's session, for the auth routes. */
const sessions = new WeakMap<Request, { token: string; csrfToken: string }>()
export const sessionOf = (req: Request) => sessions.get(req)

export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=')
    if (at > 0 && part.slice(0, at).trim() === name) return decodeURIComponent(part.slice(at + 1).trim())
  }
  return undefined
}

// Behind a TLS-terminating proxy the request arrives as http; the proxy says so.
const isHttps = (req: Request) => req.secure || req.headers['x-forwarded-proto'] === 'https'

/** A browser-session cookie: the server decides when the session ends (sliding expiry). */
export function setSessionCookie(req: Request, res: Response, token: string): void {
  res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', path: '/', secure: isHttps(req) })
}

export function clearSessionCookie(req: Request, res: Response): void {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', path: '/', secure: isHttps(req) })
}

function sameToken(given: string | undefined, expected: string): boolean {
  if (!given) return false
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/**
 * Mounted once, before every router: sets `req.user` from the session cookie, or leaves it
 * undefined (the guards answer 401). A signed-in user's POST, PUT, PATCH or DELETE must carry
 * the session's CSRF token in `x-csrf-token`, whichever route it is for.
 */
export function authenticate(deps: AppDeps): RequestHandler {
  const ttlMs = sessionTtlOf(deps)
  return async (req, res, next) => {
    const token = readCookie(req, SESSION_COOKIE)
    if (token) {
      const session = await findSession(deps.db.knex, token, ttlMs)
      if (session) {
        req.user = { ...session.user, communes: [...session.user.communes] }
        sessions.set(req, { token, csrfToken: session.csrfToken })
        if (STATE_CHANGING.has(req.method) && !CSRF_EXEMPT.has(req.path) && !sameToken(req.get(CSRF_HEADER), session.csrfToken)) {
          throw new Forbidden(
            `Yêu cầu thiếu hoặc sai mã chống giả mạo (${CSRF_HEADER}); hãy tải lại trang rồi thử lại (missing or wrong CSRF token).`,
            { field: CSRF_HEADER },
          )
        }
      } else {
        clearSessionCookie(req, res) // expired or ended: the browser can forget it
      }
    }
    next()
  }
}

function signedIn(req: Request) {
  if (!req.user) throw new Unauthorized('Bạn cần đăng nhập để dùng chức năng này (sign-in required).')
  return req.user
}

/** 401 unless the request has a session. */
export const requireUser: RequestHandler = (req, _res, next) => {
  signedIn(req)
  next()
}

/** 401 without a session, 403 when the user's role is not one of `roles`. */
export function requireRole(...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    assertRole(signedIn(req), roles)
    next()
  }
}

/**
 * 401 without a session, 403 unless the user sees every commune or has the commune named by
 * the route parameter `param` assigned (400 when it is no commune code).
 */
export function requireCommuneAccess(param = 'code'): RequestHandler {
  return (req, _res, next) => {
    const user = signedIn(req)
    const code = req.params[param]
    if (typeof code !== 'string') throw new Error(`requireCommuneAccess: the route ${req.route?.path} has no :${param} parameter`)
    assertCommuneAccess(user, code)
    next()
  }
}
