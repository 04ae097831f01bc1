/**
 * One database for the whole test run, reached by every test file through `pg`:
 * - no DATABASE_URL: an in-memory embedded database (PGlite + PostGIS) in a child process;
 * - DATABASE_URL set: a fresh database created on that server for this run and dropped after,
 *   so a run never touches the data of the database the URL names.
 */
import { randomBytes } from 'node:crypto'
import type { TestProject } from 'vitest/node'
import { createKnex, migrateToLatest } from '../src/db/index.js'
import { startEmbeddedDatabase } from '../src/db/embedded/index.js'
import { buildWebIfStale } from './helpers/web-build.js'

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string
    databaseKind: 'embedded' | 'server'
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await buildWebIfStale()
  const serverUrl = process.env.DATABASE_URL
  let url: string
  let teardown: () => Promise<void>
  if (serverUrl) {
    const name = `landbook_test_${randomBytes(4).toString('hex')}`
    const admin = createKnex(serverUrl, { poolMax: 1 })
    await admin.raw(`CREATE DATABASE ${name}`)
    const u = new URL(serverUrl)
    u.pathname = `/${name}`
    url = u.toString()
    teardown = async () => {
      await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await admin.destroy()
    }
  } else {
    const embedded = await startEmbeddedDatabase({ dataDir: null })
    url = embedded.url
    teardown = () => embedded.stop()
  }
  const knex = createKnex(url, { poolMax: 1 })
  await migrateToLatest(knex)
  await knex.destroy()
  project.provide('databaseUrl', url)
  project.provide('databaseKind', serverUrl ? 'server' : 'embedded')
  return teardown
}
