// Import jobs: one row per upload or CLI load, with its progress and outcome.
// The SHA-256 of the input lets the same file be recognised and not loaded twice.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('import_jobs', (t) => {
    t.bigIncrements('id')
    t.text('kind').notNullable().checkIn(['parcels', 'records'])
    t.text('state').notNullable().defaultTo('queued').checkIn(['queued', 'running', 'succeeded', 'failed', 'interrupted', 'duplicate'])
    t.text('commune_code').references('code').inTable('communes')
    t.text('source_name').notNullable().comment('File or folder name as given by the user')
    t.text('source_sha256')
    t.double('progress').notNullable().defaultTo(0).comment('0..1')
    t.jsonb('counts').notNullable().defaultTo('{}')
    t.text('error')
    t.bigInteger('created_by').references('id').inTable('users')
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
    t.timestamp('started_at', { useTz: true })
    t.timestamp('finished_at', { useTz: true })
  })
  await knex.raw('CREATE INDEX import_jobs_sha256 ON import_jobs (source_sha256) WHERE state = \'succeeded\'')
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('import_jobs')
}
