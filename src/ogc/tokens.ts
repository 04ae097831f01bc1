/**
 * API tokens (mã truy cập API): read-only credentials for programs that cannot sign in with a
 * browser session (GDAL, QGIS, the provincial land information system). A token acts as its
 * user, with the user's role and assigned communes, on the read-only routes that accept it
 * (`/ogc` and the data exports); it never reaches a route that changes data.
 *
 * The token is shown once when created; only its SHA-256 is stored. Looking a token up costs a
 * query, and a GIS client sends hundreds of page requests, so a found token is kept in memory
 * for `CACHE_MS`: revoking it here drops it at once; a user deactivated or re-assigned
 * elsewhere is seen within that time.
 */
import { createHash, randomBytes } from 'node:crypto'
import type { Knex } from 'knex'
import { canSeeAllCommunes, ROLES, type Role, type SessionUser } from '../auth/index.js'
import { Forbidden, Invalid, NotFound } from '../errors.js'

export const TOKEN_PREFIX = 'lbk_'
const CACHE_MS = 60_000
const MAX_CACHED = 5_000
/** last_used_at is written at most this often per token (it is for the token list, not an audit). */
const TOUCH_EVERY_MS = 5 * 60_000

export interface ApiTokenView {
  id: number
  userId: number
  username: string
  name: string
  /** The token's first characters, e.g. `lbk_Xy3a`, to tell tokens apart. */
  prefix: string
  createdAt: string
  expiresAt: string | null
  lastUsedAt: string | null
  revokedAt: string | null
}

interface CachedToken {
  tokenId: number
  user: SessionUser
  cachedAt: number
  touchedAt: number
}

const cache = new Map<string, CachedToken>()

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex')

/** Makes a token for a user; the returned `token` is the only time it is seen. */
export async function createApiToken(
  knex: Knex,
  input: { userId: number; name: string; expiresInDays?: number | null },
): Promise<ApiTokenView & { token: string }> {
  const name = input.name.trim()
  if (name.length === 0 || name.length > 200) throw new Invalid('Hãy đặt tên cho mã truy cập (1–200 ký tự) (token name required).', { field: 'name' })
  const days = input.expiresInDays ?? null
  if (days !== null && (!Number.isInteger(days) || days < 1 || days > 3650)) {
    throw new Invalid('Thời hạn mã truy cập phải từ 1 đến 3650 ngày (expiresInDays must be 1–3650).', { field: 'expiresInDays' })
  }
  const user = await knex('users').where({ id: input.userId }).first('id', 'active')
  if (!user) throw new NotFound(`Không có người dùng ${input.userId} (no such user).`, { field: 'userId' })
  if (!user.active) throw new Invalid('Tài khoản đã bị khóa; không cấp mã truy cập (the user is deactivated).', { field: 'userId' })
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url')
  const [row] = await knex('api_tokens')
    .insert({
      user_id: input.userId,
      name,
      token_sha256: sha256(token),
      token_prefix: token.slice(0, TOKEN_PREFIX.length + 4),
      expires_at: days === null ? null : knex.raw(`now() + ?::double precision * interval '1 day'`, [days]),
    })
    .returning('id')
  const [view] = await listApiTokens(knex, { id: Number(row.id) })
  return { ...view!, token }
}

/** Tokens, newest first: of one user, or one token by id, or all. */
export async function listApiTokens(knex: Knex, filter: { userId?: number; id?: number } = {}): Promise<ApiTokenView[]> {
  const rows = await knex('api_tokens as t')
    .join('users as u', 'u.id', 't.user_id')
    .modify((q) => {
      if (filter.userId !== undefined) q.where('t.user_id', filter.userId)
      if (filter.id !== undefined) q.where('t.id', filter.id)
    })
    .orderBy('t.id', 'desc')
    .select('t.id', 't.user_id', 'u.username', 't.name', 't.token_prefix', 't.created_at', 't.expires_at', 't.last_used_at', 't.revoked_at')
  const iso = (v: Date | null) => (v ? new Date(v).toISOString() : null)
  return rows.map((r: Record<string, any>) => ({
    id: Number(r.id),
    userId: Number(r.user_id),
    username: r.username,
    name: r.name,
    prefix: r.token_prefix,
    createdAt: iso(r.created_at)!,
    expiresAt: iso(r.expires_at),
    lastUsedAt: iso(r.last_used_at),
    revokedAt: iso(r.revoked_at),
  }))
}

/** Revokes a token: its owner or an administrator may. */
export async function revokeApiToken(knex: Knex, id: number, by: SessionUser): Promise<void> {
  const row = await knex('api_tokens').where({ id }).first('id', 'user_id', 'token_sha256')
  if (!row) throw new NotFound(`Không có mã truy cập ${id} (no such token).`, { field: 'id' })
  if (Number(row.user_id) !== by.id && by.role !== 'admin') {
    throw new Forbidden('Chỉ người sở hữu hoặc quản trị viên được thu hồi mã truy cập này (not your token).', { field: 'id' })
  }
  cache.delete(row.token_sha256)
  await knex('api_tokens').where({ id }).whereNull('revoked_at').update({ revoked_at: knex.fn.now() })
}

/** The user a bearer token acts as, or null when the token is unknown, expired, revoked or its user inactive. */
export async function findTokenUser(knex: Knex, token: string): Promise<SessionUser | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null
  const key = sha256(token)
  const now = Date.now()
  const cached = cache.get(key)
  if (cached && now - cached.cachedAt < CACHE_MS) {
    if (now - cached.touchedAt > TOUCH_EVERY_MS) {
      cached.touchedAt = now
      void knex('api_tokens').where({ id: cached.tokenId }).update({ last_used_at: knex.fn.now() }).catch(() => {})
    }
    return cached.user
  }
  cache.delete(key)
  // One statement: the live token, its active user and the user's communes, last use noted.
  const { rows } = await knex.raw<{ rows: Array<{ token_id: number; id: number; username: string; display_name: string; role: string; communes: string[] }> }>(
    `WITH t AS (
       UPDATE api_tokens SET last_used_at = now()
       WHERE token_sha256 = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())
       RETURNING id, user_id
     )
     SELECT t.id AS token_id, u.id, u.username, u.display_name, u.role,
            COALESCE(array_agg(uc.commune_code ORDER BY uc.commune_code) FILTER (WHERE uc.commune_code IS NOT NULL), '{}') AS communes
     FROM t JOIN users u ON u.id = t.user_id AND u.active
     LEFT JOIN user_communes uc ON uc.user_id = u.id
     GROUP BY t.id, u.id`,
    [key],
  )
  const row = rows[0]
  if (!row) return null
  const role: Role = ROLES.includes(row.role as Role) ? (row.role as Role) : 'manager'
  const user: SessionUser = {
    id: Number(row.id),
    username: row.username,
    displayName: row.display_name,
    role,
    communes: canSeeAllCommunes({ role }) ? [] : row.communes,
  }
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!)
  cache.set(key, { tokenId: Number(row.token_id), user, cachedAt: now, touchedAt: now })
  return user
}

/** Forgets every cached token (tests; a user changed by an administrator). */
export function forgetCachedTokens(): void {
  cache.clear()
}
