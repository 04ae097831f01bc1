// Matching runs as background jobs: a run is recorded when it is asked for (queued), and its
// state, error and requester are kept, so the page can follow it and a restart can mark the
// runs it cut off. Runs recorded before this migration all finished, hence the default.
import type { Knex } from 'knex'

const STATES = ['queued', 'running', 'succeeded', 'failed', 'interrupted']

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('match_runs', (t) => {
    t.text('state').notNullable().defaultTo('succeeded').checkIn(STATES, 'match_runs_state')
    t.text('error')
    t.bigInteger('requested_by').references('id').inTable('users')
    t.timestamp('requested_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
  })
  // A queued run has not started; the start is the matching transaction's own now().
  await knex.raw('ALTER TABLE match_runs ALTER COLUMN started_at DROP NOT NULL')
  await knex.raw(`CREATE INDEX match_runs_open ON match_runs (commune_code) WHERE state IN ('queued', 'running')`)
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX match_runs_open')
  await knex.raw(`DELETE FROM match_runs WHERE started_at IS NULL`)
  await knex.raw('ALTER TABLE match_runs ALTER COLUMN started_at SET NOT NULL')
  await knex.schema.alterTable('match_runs', (t) => {
    t.dropColumn('requested_at')
    t.dropColumn('requested_by')
    t.dropColumn('error')
    t.dropColumn('state')
  })
}
