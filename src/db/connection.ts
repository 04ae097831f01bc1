/** The one knex instance over `pg`, for both the embedded database and a real server. */
import knexFactory, { type Knex } from 'knex'
import pg from 'pg'
import { attachGenericPlanPool } from './prepared.js'

// Counts and ids (int8) and areas (numeric) arrive as strings by default; every value this
// app stores in them fits a double exactly (ids < 2^53, areas to 0.01 m²).
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number.parseInt(v, 10))
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number.parseFloat(v))

/**
 * `genericPlans`: hot read statements get their own pool, as large as the app's, whose sessions
 * force generic plans (see prepared.ts); every queue page reads through it, so with half as many
 * sessions pages waited for one while the server had CPU to spare. For a PostgreSQL server
 * only, never the embedded database's single shared session.
 */
export function createKnex(url: string, options: { poolMax: number; genericPlans?: boolean }): Knex {
  const knex = knexFactory({
    client: 'pg',
    connection: { connectionString: url, application_name: 'landbook' },
    pool: { min: 0, max: options.poolMax },
    acquireConnectionTimeout: 120_000,
  })
  if (options.genericPlans) attachGenericPlanPool(knex, url, options.poolMax)
  return knex
}
