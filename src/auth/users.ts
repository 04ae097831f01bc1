/**
 * Users (người dùng) and their communes: creating, listing and changing accounts, assigning
 * communes, and checking a username and password at sign-in. Used by the admin routes, the
 * `user:add` command and the demo loader alike.
 */
import type { Knex } from 'knex'
import { normalizeCommuneCode } from '../communes/index.js'
import { Conflict, Invalid, NotFound } from '../errors.js'
import { checkPasswordRules, decoyHash, hashPassword, verifyPassword } from './passwords.js'
import { forgetUserSessions, toSessionUser } from './sessions.js'
import { ROLES, type Role, type SessionUser } from './types.js'

export interface UserView {
  id: number
  username: string
  displayName: string
  role: Role
  active: boolean
  /** As assigned; admin and manager see every commune whatever is assigned. */
  communes: string[]
  createdAt: string
}

export interface NewUser {
  username: string
  password: string
  role: Role
  displayName?: string
  communes?: string[]
}

export interface UserChanges {
  role?: Role
  active?: boolean
  displayName?: string
  password?: string
}

const USERNAME = /^[a-z0-9][a-z0-9._-]{1,62}$/

/** Usernames are compared in lower case: "NguyenVanA" and "nguyenvana" are one account. */
export function normalizeUsername(raw: string): string {
  const username = raw.trim().toLowerCase()
  if (!USERNAME.test(username)) {
    throw new Invalid(`Tên đăng nhập "${raw}" không hợp lệ: 2–63 ký tự a–z, 0–9, dấu chấm, gạch ngang, gạch dưới (invalid username).`, { field: 'username' })
  }
  return username
}

function checkRole(role: string): Role {
  if (!ROLES.includes(role as Role)) throw new Invalid(`Vai trò "${role}" không có; chọn một trong ${ROLES.join(', ')} (unknown role).`, { field: 'role' })
  return role as Role
}

/** The communes' normalised codes, each checked to be registered. */
async function registeredCommunes(knex: Knex | Knex.Transaction, codes: string[]): Promise<string[]> {
  const wanted = [...new Set(codes.map((c) => normalizeCommuneCode(c)))].sort()
  if (wanted.length === 0) return []
  const known = new Set(await knex('communes').whereIn('code', wanted).pluck('code'))
  const missing = wanted.filter((c) => !known.has(c))
  if (missing.length > 0) throw new Invalid(`Xã chưa được khai báo trong hệ thống: ${missing.join(', ')} (communes not registered).`, { field: 'communes' })
  return wanted
}

/** Every user with the communes assigned, or one of them. */
function usersQuery(knex: Knex | Knex.Transaction) {
  return knex('users as u')
    .leftJoin('user_communes as uc', 'uc.user_id', 'u.id')
    .groupBy('u.id')
    .orderBy('u.username')
    .select(
      'u.id', 'u.username', 'u.display_name', 'u.role', 'u.active', 'u.created_at',
      knex.raw(`COALESCE(array_agg(uc.commune_code ORDER BY uc.commune_code) FILTER (WHERE uc.commune_code IS NOT NULL), '{}') AS communes`),
    )
}

function toView(row: Record<string, any>): UserView {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    active: row.active,
    communes: row.communes,
    createdAt: new Date(row.created_at).toISOString(),
  }
}

export async function listUsers(knex: Knex): Promise<UserView[]> {
  return (await usersQuery(knex)).map(toView)
}

export async function getUser(knex: Knex | Knex.Transaction, id: number): Promise<UserView> {
  const row = await usersQuery(knex).where('u.id', id).first()
  if (!row) throw new NotFound(`Không có người dùng số ${id} (no such user).`, { field: 'id' })
  return toView(row)
}

export async function createUser(knex: Knex, input: NewUser): Promise<UserView> {
  const username = normalizeUsername(input.username)
  const role = checkRole(input.role)
  checkPasswordRules(input.password)
  const passwordHash = await hashPassword(input.password)
  return knex.transaction(async (trx) => {
    if (await trx('users').where({ username }).first('id')) {
      throw new Conflict(`Tên đăng nhập "${username}" đã có người dùng (username taken).`, { field: 'username' })
    }
    const communes = await registeredCommunes(trx, input.communes ?? [])
    const [row] = await trx('users')
      .insert({ username, display_name: input.displayName?.trim() || username, password_hash: passwordHash, role })
      .returning('id')
    if (communes.length > 0) await trx('user_communes').insert(communes.map((commune_code) => ({ user_id: row.id, commune_code })))
    return getUser(trx, row.id)
  })
}

export async function updateUser(knex: Knex, id: number, changes: UserChanges): Promise<UserView> {
  const role = changes.role === undefined ? undefined : checkRole(changes.role)
  if (changes.password !== undefined) checkPasswordRules(changes.password)
  if (changes.displayName !== undefined && !changes.displayName.trim()) throw new Invalid('Tên hiển thị không được để trống (display name is empty).', { field: 'displayName' })
  const passwordHash = changes.password === undefined ? undefined : await hashPassword(changes.password)
  const endSessions = changes.active === false || passwordHash !== undefined
  const user = await knex.transaction(async (trx) => {
    const before = await getUser(trx, id)
    const stillAdmin = (role ?? before.role) === 'admin' && (changes.active ?? before.active)
    if (before.role === 'admin' && before.active && !stillAdmin) await keepOneAdmin(trx, id)
    const update: Record<string, unknown> = {}
    if (role !== undefined) update.role = role
    if (changes.active !== undefined) update.active = changes.active
    if (changes.displayName !== undefined) update.display_name = changes.displayName.trim()
    if (passwordHash !== undefined) update.password_hash = passwordHash
    if (Object.keys(update).length > 0) await trx('users').where({ id }).update(update)
    // A deactivated account, or one whose password an administrator reset, is signed out everywhere.
    if (endSessions) await trx('sessions').where({ user_id: id }).delete()
    return getUser(trx, id)
  })
  forgetUserSessions(id)
  return user
}

/** Refuses to take away the last active administrator: nobody could manage accounts afterwards. */
async function keepOneAdmin(trx: Knex.Transaction, id: number): Promise<void> {
  const others = await trx('users').where({ role: 'admin', active: true }).whereNot({ id }).forUpdate().pluck('id')
  if (others.length === 0) {
    throw new Conflict('Đây là quản trị viên cuối cùng còn hoạt động; hãy tạo quản trị viên khác trước (the last active admin cannot be removed).', { field: 'role' })
  }
}

/** Replaces the communes assigned to a user. */
export async function setUserCommunes(knex: Knex, id: number, codes: string[]): Promise<UserView> {
  const user = await knex.transaction(async (trx) => {
    await getUser(trx, id)
    const communes = await registeredCommunes(trx, codes)
    await trx('user_communes').where({ user_id: id }).delete()
    if (communes.length > 0) await trx('user_communes').insert(communes.map((commune_code) => ({ user_id: id, commune_code })))
    return getUser(trx, id)
  })
  forgetUserSessions(id)
  return user
}

export type CredentialCheck = { ok: true; user: SessionUser } | { ok: false; reason: 'wrong' | 'inactive' }

/**
 * Checks a username and password. An unknown username costs the same hash verification as a
 * wrong password, so the answer time does not tell which usernames exist. A disabled account
 * is told apart only once its password is right.
 */
export async function checkCredentials(knex: Knex, rawUsername: string, password: string): Promise<CredentialCheck> {
  const username = rawUsername.trim().toLowerCase()
  const row = await usersQuery(knex).select('u.password_hash').where('u.username', username).first()
  if (!row) {
    await verifyPassword(await decoyHash(), password)
    return { ok: false, reason: 'wrong' }
  }
  if (!(await verifyPassword(row.password_hash, password))) return { ok: false, reason: 'wrong' }
  if (!row.active) return { ok: false, reason: 'inactive' }
  return { ok: true, user: toSessionUser(row) }
}
