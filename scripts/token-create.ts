/**
 * `npm run token:create -- --user USERNAME --name "QGIS phòng GIS" [--days 365]`
 * Makes a read-only API token for a user (GDAL, QGIS, the provincial system pull data with it
 * as `Authorization: Bearer <token>`). The token is printed once; only its hash is kept.
 */
import { Command } from 'commander'
import { NotFound } from '../src/errors.js'
import { createApiToken } from '../src/ogc/index.js'
import { run, withDatabase } from './cli.js'

const options = new Command('token:create')
  .requiredOption('--user <username>', 'the user the token acts as (their role and communes apply)')
  .requiredOption('--name <name>', 'what the token is for')
  .option('--days <n>', 'expires after this many days (default: never)', (v) => Number(v))
  .parse()
  .opts<{ user: string; name: string; days?: number }>()

run(() =>
  withDatabase(async (db) => {
    const user = await db.knex('users').where({ username: options.user.trim().toLowerCase() }).first('id')
    if (!user) throw new NotFound(`Không có người dùng "${options.user}" (no such user).`, { field: 'user' })
    const token = await createApiToken(db.knex, { userId: Number(user.id), name: options.name, expiresInDays: options.days ?? null })
    process.stdout.write(`${JSON.stringify({ id: token.id, user: token.username, name: token.name, expiresAt: token.expiresAt, token: token.token })}\n`)
  }),
)
