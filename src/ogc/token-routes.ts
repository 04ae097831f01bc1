/**
 * HTTP routes of API tokens (mã truy cập): a user lists, creates and revokes their own; an
 * administrator does so for anyone (a manager, who changes nothing, gets theirs from an
 * administrator). The token is in the creation answer only.
 */
import { Router } from 'express'
import { z } from 'zod'
import { requireRole, requireUser } from '../auth/index.js'
import { Forbidden, NotFound } from '../errors.js'
import type { AppDeps } from '../http/deps.js'
import { createApiToken, listApiTokens, revokeApiToken } from './tokens.js'

const WRITERS = ['admin', 'gis', 'clerk', 'signer'] as const
const newToken = z.object({
  name: z.string().min(1).max(200),
  expiresInDays: z.number().int().min(1).max(3650).nullable().optional(),
  /** An administrator may make a token for another user. */
  username: z.string().optional(),
})
const tokenParams = z.object({ id: z.coerce.number().int().positive() })

export function tokenRoutes({ db }: AppDeps): Router {
  const router = Router()
  router.get('/api/tokens', requireUser, async (req, res) => {
    const user = req.user!
    res.json({ tokens: await listApiTokens(db.knex, user.role === 'admin' ? {} : { userId: user.id }) })
  })
  router.post('/api/tokens', requireRole(...WRITERS), async (req, res) => {
    const user = req.user!
    const body = newToken.parse(req.body)
    let userId = user.id
    if (body.username !== undefined && body.username.toLowerCase() !== user.username) {
      if (user.role !== 'admin') throw new Forbidden('Chỉ quản trị viên được cấp mã truy cập cho người khác (only an administrator may).', { field: 'username' })
      const owner = await db.knex('users').where({ username: body.username.trim().toLowerCase() }).first('id')
      if (!owner) throw new NotFound(`Không có người dùng "${body.username}" (no such user).`, { field: 'username' })
      userId = Number(owner.id)
    }
    res.status(201).json(await createApiToken(db.knex, { userId, name: body.name, expiresInDays: body.expiresInDays ?? null }))
  })
  router.delete('/api/tokens/:id', requireRole(...WRITERS), async (req, res) => {
    await revokeApiToken(db.knex, tokenParams.parse(req.params).id, req.user!)
    res.status(204).end()
  })
  return router
}
