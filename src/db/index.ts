/**
 * The database: opens the embedded PostgreSQL (PGlite + PostGIS) or the server named by
 * DATABASE_URL, checks it is usable, and hands out one knex instance. Everything else in
 * Landbook reaches the database through `Database.knex`.
 */
import type { Knex } from 'knex'
import type { Logger } from '../logger.js'
import { createKnex } from './connection.js'
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded/index.js'

export { migrateToLatest, rollbackAll, migrationStatus } from './migrate.js'
export { DataDirInUseError } from './embedded/index.js'
export { createKnex } from './connection.js'
export { preparedRows } from './prepared.js'

export type DatabaseKind = 'embedded' | 'server'

export interface Database {
  kind: DatabaseKind
  knex: Knex
  close(): Promise<void>
}

export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError'
}

/** `dataDir` null with no URL: an in-memory embedded database (tests). */
export async function openDatabase(options: {
  databaseUrl: string | null
  dataDir: string | null
  logger?: Logger
}): Promise<Database> {
  let embedded: EmbeddedDatabase | null = null
  let url = options.databaseUrl
  if (!url) {
    embedded = await startEmbeddedDatabase({ dataDir: options.dataDir })
    url = embedded.url
  }
  const knex = createKnex(url, { poolMax: embedded ? 4 : 10, genericPlans: !embedded })
  const close = async () => {
    await knex.destroy()
    await embedded?.stop()
  }
  try {
    await checkUsable(knex, url)
  } catch (error) {
    await close()
    throw error
  }
  const kind: DatabaseKind = embedded ? 'embedded' : 'server'
  options.logger?.info(
    { database: kind, ...(embedded ? { dataDir: options.dataDir ?? 'in-memory' } : { url: redact(url) }) },
    kind === 'embedded' ? 'using the embedded database (PGlite + PostGIS)' : 'using the PostgreSQL server from DATABASE_URL',
  )
  return { kind, knex, close }
}

async function checkUsable(knex: Knex, url: string): Promise<void> {
  try {
    await knex.raw('select 1')
  } catch (error) {
    throw new DatabaseUnavailableError(
      `Cannot reach the PostgreSQL server at ${redact(url)}: ${(error as Error).message}. ` +
        'Check DATABASE_URL, that the server is running and that it accepts this user.',
    )
  }
  const { rows } = await knex.raw<{ rows: unknown[] }>(`select 1 from pg_available_extensions where name = 'postgis'`)
  if (rows.length === 0) {
    throw new DatabaseUnavailableError(
      `PostGIS is not installed on the PostgreSQL server at ${redact(url)}. ` +
        'Install it (Debian: apt-get install postgresql-15-postgis-3) and start again.',
    )
  }
}

/** The URL without its password, for logs and error messages. */
export function redact(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    return '(unparseable DATABASE_URL)'
  }
}
