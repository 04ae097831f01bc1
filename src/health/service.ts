/** Health (tình trạng hệ thống): what database this is, its versions, and the migration state. */
import type { Database } from '../db/index.js'
import { migrationStatus } from '../db/index.js'

export interface Health {
  status: 'ok' | 'degraded'
  database: {
    kind: Database['kind']
    postgres: string
    postgis: string
    migrations: { applied: number; pending: string[]; latest: string | null }
  }
}

export async function getHealth(db: Database): Promise<Health> {
  const { rows } = await db.knex.raw<{ rows: Array<{ postgres: string; postgis: string }> }>(
    `SELECT current_setting('server_version') AS postgres, postgis_lib_version() AS postgis`,
  )
  const migrations = await migrationStatus(db.knex)
  return {
    status: migrations.pending.length === 0 ? 'ok' : 'degraded',
    database: {
      kind: db.kind,
      postgres: rows[0]!.postgres,
      postgis: rows[0]!.postgis,
      migrations: { applied: migrations.applied.length, pending: migrations.pending, latest: migrations.applied.at(-1) ?? null },
    },
  }
}
