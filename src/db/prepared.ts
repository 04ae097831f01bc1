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
 * connection. Bindings are named (`:name`), as with `knex.raw`. Decisions and the parcel detail
 * use them too: on this protocol a statement costs a round trip and, unprepared, a parse and a
 * plan each time, which took longer than running them.
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

/** A statement's text with `:name` bindings made positional, and the names in order. */
interface Compiled {
  name: string
  text: string
  names: string[]
}

const compiled = new Map<string, Compiled>()
const MAX_COMPILED = 2000

/**
 * `:name` → `$n` (one number per distinct name), outside string literals, quoted identifiers
 * and `::` casts; done once per statement text, as the texts are the app's own constants (a few
 * hundred at most, counting the queue's filter and sort variants).
 */
export function compileNamed(sql: string): Compiled {
  const known = compiled.get(sql)
  if (known) return known
  const names: string[] = []
  let text = ''
  for (let i = 0; i < sql.length; ) {
    const c = sql[i]!
    if (c === "'" || c === '"') {
      let j = i + 1
      while (j < sql.length && !(sql[j] === c && sql[j + 1] !== c)) j += sql[j] === c ? 2 : 1
      text += sql.slice(i, j + 1)
      i = j + 1
    } else if (c === ':' && sql[i + 1] === ':') {
      text += '::'
      i += 2
    } else if (c === ':' && /[A-Za-z_]/.test(sql[i + 1] ?? '')) {
      const name = /^[A-Za-z_]\w*/.exec(sql.slice(i + 1))![0]
      let n = names.indexOf(name)
      if (n < 0) n = names.push(name) - 1
      text += `$${n + 1}`
      i += 1 + name.length
    } else {
      text += c
      i++
    }
  }
  const statement = { name: `lb_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`, text, names }
  if (compiled.size >= MAX_COMPILED) compiled.clear()
  compiled.set(sql, statement)
  return statement
}

/**
 * Runs `sql` as a named prepared statement, on the transaction's connection when `db` is a
 * transaction. `genericPlan`: the caller knows the best plan does not depend on the values bound
 * (e.g. no filter whose selectivity varies by value); outside a transaction it then runs on the
 * generic-plan pool. Otherwise PostgreSQL plans for the values, and after five executions keeps
 * a generic plan when that costs no more (the usual case for a lookup by key).
 *
 * Values go to `pg` as they are: an array becomes a PostgreSQL array, so pass JSON for jsonb
 * as text (JSON.stringify) and cast arrays (`CAST(:ids AS bigint[])`).
 */
export async function preparedRows<R extends pg.QueryResultRow>(
  db: Knex | Knex.Transaction,
  sql: string,
  bindings: Record<string, unknown>,
  options: { genericPlan: boolean } = { genericPlan: false },
): Promise<R[]> {
  const { name, text, names } = compileNamed(sql)
  const values = names.map((n) => {
    if (!(n in bindings)) throw new Error(`preparedRows: no value for :${n}`)
    const value = bindings[n]
    return value === undefined ? null : value
  })
  const statement = { name, text, values }
  const pool = options.genericPlan && !(db as Knex.Transaction).isTransaction ? genericPlanPools.get(db as Knex) : undefined
  if (pool) return (await pool.query<R>(statement)).rows
  const connection = (await db.client.acquireConnection()) as PgConnection
  try {
    return (await connection.query<R>(statement)).rows
  } finally {
    await db.client.releaseConnection(connection)
  }
}
