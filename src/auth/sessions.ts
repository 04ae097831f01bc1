/**
 * Sign-in sessions (phiên đăng nhập), stored in PostgreSQL: the cookie carries a random token,
 * the table only its SHA-256, beside the user and the session's CSRF token. Expiry slides: a
 * session lives `ttlMs` after its last request.
 *
 * Sessions are also kept in memory. On the embedded database an import holds the only
 * database session for its whole transaction, and the import's progress is answered from
 * memory meanwhile; a session check that waited for the database would stall it. So a known
 * session is answered from memory, and the row is touched (expiry moved, user re-read) in the
 * background at most every minute. Changes made here (log-out, a user's role, communes or
 * password changed) drop the memory entries at once.
 */
import { createHash, randomBytes } from 'node:crypto'
import type { Knex } from 'knex'
import { canSeeAllCommunes } from './access.js'
import { ROLES, type Role, type SessionUser } from './types.js'

export interface ActiveSession {
  user: SessionUser
  csrfToken: string
}

interface CachedSession extends ActiveSession {
  /** When the session expires if no request comes (ms since epoch). */
  expiresAt: number
  /** When the row was last read and its expiry moved. */
  touchedAt: number
  refreshing: boolean
}

/** token SHA-256 → session. Tokens are random, so one map serves every database. */
const cache = new Map<string, CachedSession>()
const MAX_CACHED = 10_000

export function tokenSha256(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

const newToken = () => randomBytes(32).toString('base64url')

/** Starts a session for the user; returns the token for the cookie and the CSRF token. */
export async function createSession(knex: Knex, userId: number, ttlMs: number): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
  const token = newToken()
  const csrfToken = newToken()
  // Expired sessions go when someone signs in: no scheduler needed, and the index makes it cheap.
  await knex('sessions').where('expires_at', '<', knex.fn.now()).delete()
  const [row] = await knex('sessions')
    .insert({ token_sha256: tokenSha256(token), user_id: userId, csrf_token: csrfToken, expires_at: knex.raw(`now() + ?::double precision * interval '1 millisecond'`, [ttlMs]) })
    .returning('expires_at')
  return { token, csrfToken, expiresAt: new Date(row.expires_at) }
}

/** The session of a cookie token, its expiry moved on; null when unknown, expired or its user inactive. */
export async function findSession(knex: Knex, token: string, ttlMs: number): Promise<ActiveSession | null> {
  const key = tokenSha256(token)
  const now = Date.now()
  const cached = cache.get(key)
  if (cached && cached.expiresAt > now) {
    cached.expiresAt = now + ttlMs
    // The row's expiry is moved often enough that it never runs out before the memory's.
    if (now - cached.touchedAt > Math.min(60_000, ttlMs / 4) && !cached.refreshing) {
      cached.refreshing = true
      // Unless the entry was dropped meanwhile (log-out, user changed): then what was read may be stale.
      const current = () => cache.get(key) === cached
      void touchSession(knex, key, ttlMs).then(
        (fresh) => {
          if (!current()) return
          if (fresh) remember(key, fresh, ttlMs)
          else cache.delete(key)
        },
        // The next request reads the database itself, and meets the error there.
        () => {
          if (current()) cache.delete(key)
        },
      )
    }
    return cached
  }
  cache.delete(key)
  const fresh = await touchSession(knex, key, ttlMs)
  return fresh ? remember(key, fresh, ttlMs) : null
}

function remember(key: string, session: ActiveSession, ttlMs: number): CachedSession {
  if (cache.size >= MAX_CACHED) {
    const now = Date.now()
    for (const [k, s] of cache) if (s.expiresAt <= now) cache.delete(k)
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!)
  }
  const now = Date.now()
  const entry: CachedSession = { ...session, expiresAt: now + ttlMs, touchedAt: now, refreshing: false }
  cache.set(key, entry)
  return entry
}

/** Moves a live session's expiry and reads its active user with the assigned communes (one statement). */
async function touchSession(knex: Knex, key: string, ttlMs: number): Promise<ActiveSession | null> {
  const { rows } = await knex.raw<{ rows: Array<UserRow & { csrf_token: string }> }>(
    `WITH s AS (
       UPDATE sessions SET last_seen_at = now(), expires_at = now() + ?::double precision * interval '1 millisecond'
       WHERE token_sha256 = ? AND expires_at > now()
       RETURNING user_id, csrf_token
     )
     SELECT u.id, u.username, u.display_name, u.role, s.csrf_token,
            COALESCE(array_agg(uc.commune_code ORDER BY uc.commune_code) FILTER (WHERE uc.commune_code IS NOT NULL), '{}') AS communes
     FROM s JOIN users u ON u.id = s.user_id AND u.active
     LEFT JOIN user_communes uc ON uc.user_id = u.id
     GROUP BY u.id, s.csrf_token`,
    [ttlMs, key],
  )
  const row = rows[0]
  return row ? { user: toSessionUser(row), csrfToken: row.csrf_token } : null
}

export interface UserRow {
  id: number
  username: string
  display_name: string
  role: string
  communes: string[]
}

export function toSessionUser(row: UserRow): SessionUser {
  const role = ROLES.includes(row.role as Role) ? (row.role as Role) : 'manager'
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role,
    communes: canSeeAllCommunes({ role }) ? [] : row.communes,
  }
}

/** Ends one session (log-out). */
export async function endSession(knex: Knex, token: string): Promise<void> {
  const key = tokenSha256(token)
  cache.delete(key)
  await knex('sessions').where({ token_sha256: key }).delete()
}

/** Ends every session of a user (deactivated, or password changed by an administrator). */
export async function endUserSessions(knex: Knex | Knex.Transaction, userId: number): Promise<void> {
  forgetUserSessions(userId)
  await knex('sessions').where({ user_id: userId }).delete()
}

/** Makes the next request of each of the user's sessions re-read the user (role or communes changed). */
export function forgetUserSessions(userId: number): void {
  for (const [key, session] of cache) if (session.user.id === userId) cache.delete(key)
}
