/**
 * Hot read statements (the clerks' queue page) run as named prepared statements with generic
 * plans: parsed and planned once per connection, then only bound and executed. For the queue
 * page, planning (a statement with a dozen subqueries) took longer than running it.
 *
 * PostgreSQL's default (`plan_cache_mode = auto`) keeps planning such a statement for each call,
 * because a generic plan's cost estimate for `LIMIT $n` is higher; forcing generic plans for
 * the whole session would also hit the app's other statements, which rely on plans made for
 * their values (partition pruning, filters whose selectivity varies by value). So on a server,
 * statements whose best plan does not depend on their values get a small pool of their own
 * whose sessions force generic plans (`createKnex(url, { genericPlans: true })`); the others run
 * as named statements on the app's connections, planned for their values as PostgreSQL chooses.
 * On the embedded database (one PGlite session behind the wire server) all run as named
 * statements on the app's own connections.
 *
 * The name is derived from the statement text, so each distinct text is prepared once per
 * connection. Bindings are knex's named bindings (`:name`), as with `knex.raw`.
 */
import { createHash } from 'node:crypto'
import type { Knex } from 'knex'
import pg from 'pg'

interface PgConnection {
  query<R extends pg.QueryResultRow>(config: { name: string; text: string; values: unknown[] }): Promise<pg.QueryResult<R>>
}

const genericPlanPools = new WeakMap<Knex, pg.Pool>()

/** Gives `knex` a pool of `max` sessions that force generic plans, ended with the knex pool. */
export function attachGenericPlanPool(knex: Knex, url: string, max: number): void {
  const pool = new pg.Pool({ connectionString: url, max, application_name: 'landbook-hot-reads', options: '-c plan_cache_mode=force_generic_plan' })
  pool.on('error', () => undefined) // an idle session ended by the server: the pool replaces it
  genericPlanPools.set(knex, pool)
  const tarn = (knex.client as { pool?: { on(event: string, listener: () => void): void } }).pool
  tarn?.on('poolDestroyRequest', () => {
    genericPlanPools.delete(knex)
    void pool.end()
  })
}

/**
 * `genericPlan`: the caller knows the best plan does not depend on the values bound (e.g. no
 * filter whose selectivity varies by value); otherwise PostgreSQL plans for the values.
 */
export async function preparedRows<R extends pg.QueryResultRow>(
  knex: Knex,
  sql: string,
  bindings: Record<string, Knex.Value>,
  options: { genericPlan: boolean },
): Promise<R[]> {
  const native = knex.raw(sql, bindings).toSQL().toNative()
  const statement = { name: `lb_${createHash('sha1').update(native.sql).digest('hex').slice(0, 24)}`, text: native.sql, values: [...native.bindings] }
  const pool = options.genericPlan ? genericPlanPools.get(knex) : undefined
  if (pool) return (await pool.query<R>(statement)).rows
  const connection = (await knex.client.acquireConnection()) as PgConnection
  try {
    return (await connection.query<R>(statement)).rows
  } finally {
    await knex.client.releaseConnection(connection)
  }
}
