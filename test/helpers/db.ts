/** The test run's database (see global-setup.ts), as the app's `Database`. */
import { inject } from 'vitest'
import { createKnex, type Database } from '../../src/db/index.js'

export function testDatabase(): Database {
  const knex = createKnex(inject('databaseUrl'), { poolMax: 4, genericPlans: inject('databaseKind') === 'server' })
  return { kind: inject('databaseKind'), knex, close: () => knex.destroy() }
}
