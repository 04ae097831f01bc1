/**
 * HTTP routes of sign-in (đăng nhập) and of account management: log in, log out, who am I;
 * and for administrators, users, their roles and their communes.
 */
import { Router } from 'express'
import { z } from 'zod'
import { Forbidden, Unauthorized } from '../errors.js'
import type { AppDeps } from '../http/deps.js'
import { LoginThrottle } from './login-throttle.js'
import { clearSessionCookie, requireRole, requireUser, sessionOf, sessionTtlOf, setSessionCookie } from './middleware.js'
import { generatePassword } from './passwords.js'
import { createSession, endSession } from './sessions.js'
import { ROLES } from './types.js'
import { checkCredentials, createUser, listUsers, setUserCommunes, updateUser } from './users.js'

const loginSchema = z.object({
  username: z.string().min(1, 'nhập tên đăng nhập (username required)').max(200),
  password: z.string().min(1, 'nhập mật khẩu (password required)').max(1000),
})
const communeList = z.array(z.string().regex(/^\d{1,5}$/, 'mã xã gồm 5 chữ số (5-digit commune code)')).max(5000)
const newUserSchema = z.strictObject({
  username: z.string().max(200),
  role: z.enum(ROLES),
  displayName: z.string().max(200).optional(),
  password: z.string().max(1000).optional(),
  communes: communeList.optional(),
})
const changesSchema = z
  .strictObject({
    role: z.enum(ROLES).optional(),
    active: z.boolean().optional(),
    displayName: z.string().max(200).optional(),
    password: z.string().max(1000).optional(),
  })
  .refine((c) => Object.values(c).some((v) => v !== undefined), 'cần ít nhất một thay đổi: role, active, displayName, password (nothing to change)')
const communesSchema = z.strictObject({ communes: communeList })
const idParams = z.object({ id: z.coerce.number().int().positive('số người dùng là số nguyên dương (user id must be a positive integer)') })

export function authRoutes(deps: AppDeps): Router {
  const { db } = deps
  const router = Router()
  const throttle = new LoginThrottle(deps.auth?.throttle)
  const ttlMs = sessionTtlOf(deps)

  router.post('/api/auth/login', async (req, res) => {
    const { username, password } = loginSchema.parse(req.body ?? {})
    const key = LoginThrottle.key(username, req.ip)
    throttle.check(key)
    const checked = await checkCredentials(db.knex, username, password)
    if (!checked.ok) req.log?.warn({ username, reason: checked.reason }, 'sign-in refused')
    if (!checked.ok && checked.reason === 'wrong') {
      throttle.fail(key)
      throw new Unauthorized('Sai tên đăng nhập hoặc mật khẩu (wrong username or password).', { field: 'password' })
    }
    if (!checked.ok) throw new Forbidden('Tài khoản này đã bị khóa; hãy liên hệ quản trị viên (this account is disabled).', { field: 'username' })
    throttle.succeed(key)
    const earlier = sessionOf(req)
    if (earlier) await endSession(db.knex, earlier.token)
    const session = await createSession(db.knex, checked.user.id, ttlMs)
    setSessionCookie(req, res, session.token)
    req.log?.info({ userId: checked.user.id, username: checked.user.username }, 'signed in')
    res.json({ user: checked.user, csrfToken: session.csrfToken })
  })

  // Answers 204 with or without a session, so a page whose session already ended can still log out.
  router.post('/api/auth/logout', async (req, res) => {
    const session = sessionOf(req)
    if (session) await endSession(db.knex, session.token)
    clearSessionCookie(req, res)
    res.status(204).end()
  })

  router.get('/api/auth/me', requireUser, (req, res) => {
    res.json({ user: req.user, csrfToken: sessionOf(req)!.csrfToken })
  })

  router.get('/api/users', requireRole('admin'), async (_req, res) => {
    res.json({ users: await listUsers(db.knex) })
  })

  // Without a password one is generated and answered once, to be handed to the user.
  router.post('/api/users', requireRole('admin'), async (req, res) => {
    const input = newUserSchema.parse(req.body ?? {})
    const password = input.password ?? generatePassword()
    const user = await createUser(db.knex, { ...input, password })
    res.status(201).json({ user, ...(input.password === undefined ? { password } : {}) })
  })

  router.patch('/api/users/:id', requireRole('admin'), async (req, res) => {
    const { id } = idParams.parse(req.params)
    res.json({ user: await updateUser(db.knex, id, changesSchema.parse(req.body ?? {})) })
  })

  router.put('/api/users/:id/communes', requireRole('admin'), async (req, res) => {
    const { id } = idParams.parse(req.params)
    res.json({ user: await setUserCommunes(db.knex, id, communesSchema.parse(req.body ?? {}).communes) })
  })

  return router
}
