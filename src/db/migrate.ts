/** Runs the schema migrations in `migrations/` (timestamped, reversible, one concern each). */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { Knex } from 'knex'

export const migrationsDirectory = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations')

interface Migration {
  up(knex: Knex): Promise<void>
  down(knex: Knex): Promise<void>
}

/**
 * Lists and loads the migration files itself: the `import()` here goes through the same
 * TypeScript loader as the rest of the app (tsx, or vitest), which knex's own loader does not.
 */
const migrationSource: Knex.MigrationSource<string> = {
  async getMigrations() {
    return fs.readdirSync(migrationsDirectory).filter((f) => /^\d{14}_.+\.ts$/.test(f)).sort()
  },
  getMigrationName(name) {
    return name
  },
  async getMigration(name): Promise<Migration> {
    return (await import(pathToFileURL(path.join(migrationsDirectory, name)).href)) as Migration
  },
}

const migrationConfig: Knex.MigratorConfig = { migrationSource, tableName: 'knex_migrations' }

export async function migrateToLatest(knex: Knex): Promise<string[]> {
  const [, applied] = (await knex.migrate.latest(migrationConfig)) as [number, string[]]
  return applied
}

/** Undoes every migration (tests and `npm run migrate -- --down`). */
export async function rollbackAll(knex: Knex): Promise<string[]> {
  const [, undone] = (await knex.migrate.rollback(migrationConfig, true)) as [number, string[]]
  return undone
}

export async function migrationStatus(knex: Knex): Promise<{ applied: string[]; pending: string[] }> {
  const [applied, pending] = (await knex.migrate.list(migrationConfig)) as [Array<{ name: string }>, Array<string | { file: string }>]
  return {
    applied: applied.map((m) => m.name),
    pending: pending.map((m) => (typeof m === 'string' ? m : m.file)),
  }
}
