// Import findings: what each import noticed about its input (rejected rows, repaired
// geometries, duplicate keys, overlaps, gaps, detected encodings and CRS), by file, row and field.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('import_findings', (t) => {
    t.bigInteger('job_id').notNullable().references('id').inTable('import_jobs').onDelete('CASCADE')
    t.integer('seq').notNullable()
    t.text('commune_code')
    t.text('severity').notNullable().checkIn(['error', 'warning', 'info'])
    t.text('code').notNullable()
    t.text('message').notNullable()
    t.text('file')
    t.integer('row')
    t.text('field')
    t.text('sheet_number')
    t.text('parcel_number')
    t.jsonb('details')
    t.primary(['job_id', 'seq'])
  })
  await knex.raw('CREATE INDEX import_findings_code ON import_findings (job_id, code)')
  await knex.schema.alterTable('import_jobs', (t) => {
    t.bigInteger('duplicate_of').references('id').inTable('import_jobs').comment('The earlier job that loaded the same file')
    t.jsonb('report').comment('Per dataset: encoding, CRS, field mapping used, counts')
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('import_jobs', (t) => {
    t.dropColumn('report')
    t.dropColumn('duplicate_of')
  })
  await knex.schema.dropTable('import_findings')
}
