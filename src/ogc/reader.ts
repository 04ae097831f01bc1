/**
 * Who may read (người đọc dữ liệu): the guard of the read-only routes that GIS programs call.
 * A browser session (req.user set by `authenticate`) or an `Authorization: Bearer <token>`
 * API token; the token's user is set as req.user for this request only, so the same role
 * and commune rules apply as for a session. Anything else is 401 with a Bearer challenge.
 */
import type { RequestHandler } from 'express'
import { Unauthorized } from '../errors.js'
import type { AppDeps } from '../http/deps.js'
import { findTokenUser } from './tokens.js'

const BEARER = /^Bearer\s+(\S+)\s*$/i

export function requireReader({ db }: Pick<AppDeps, 'db'>): RequestHandler {
  return async (req, res, next) => {
    if (req.user) return next()
    const header = req.get('authorization')
    const token = header ? BEARER.exec(header)?.[1] : undefined
    if (token) {
      const user = await findTokenUser(db.knex, token)
      if (user) {
        req.user = user
        return next()
      }
    }
    res.setHeader('www-authenticate', `Bearer realm="landbook"${header ? ', error="invalid_token"' : ''}`)
    throw new Unauthorized(
      header
        ? 'Mã truy cập không hợp lệ, đã hết hạn hoặc đã bị thu hồi (invalid, expired or revoked API token).'
        : 'Cần đăng nhập hoặc gửi mã truy cập: Authorization: Bearer <mã> (sign-in or an API token required).',
    )
  }
}
