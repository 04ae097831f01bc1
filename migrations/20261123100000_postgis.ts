// PostGIS: every spatial column and function in Landbook depends on it.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE EXTENSION IF NOT EXISTS postgis')
}

// The extension is shared server infrastructure (other databases' objects may use it):
// undoing Landbook's schema leaves it installed.
export async function down(): Promise<void> {}
