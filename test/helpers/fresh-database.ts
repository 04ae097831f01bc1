/**
 * A database of its own for tests that must own the whole schema (migrations up and down):
 * another in-memory embedded instance, or a new database on the test server.
 */
import { randomBytes } from 'node:crypto'
import type { Knex } from 'knex'
import { inject } from 'vitest'
import { createKnex } from '../../src/db/index.js'
import { startEmbeddedDatabase } from '../../src/db/embedded/index.js'

export async function freshDatabase(): Promise<{ knex: Knex; close(): Promise<void> }> {
  if (inject('databaseKind') === 'embedded') {
    const embedded = await startEmbeddedDatabase({ dataDir: null })
    const knex = createKnex(embedded.url, { poolMax: 2 })
    return { knex, close: async () => { await knex.destroy(); await embedded.stop() } }
  }
  const name = `landbook_fresh_${randomBytes(4).toString('hex')}`
  const admin = createKnex(inject('databaseUrl'), { poolMax: 1 })
  await admin.raw(`CREATE DATABASE ${name}`)
  const url = new URL(inject('databaseUrl'))
  url.pathname = `/${name}`
  const knex = createKnex(url.toString(), { poolMax: 2 })
  return {
    knex,
    close: async () => {
      await knex.destroy()
      await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await admin.destroy()
    },
  }
}
