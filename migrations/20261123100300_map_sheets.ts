// Map sheets (tờ bản đồ): numbered within a commune's map series, each at one scale and CRS.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('map_sheets', (t) => {
    t.text('commune_code').notNullable().references('code').inTable('communes')
    t.text('sheet_number').notNullable().comment('Normalised: "012" and "12.0" are sheet "12"')
    t.integer('scale').comment('Denominator M of 1:M, e.g. 1000')
    t.integer('srid').notNullable().references('srid').inTable('crs_zones')
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
    t.primary(['commune_code', 'sheet_number'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('map_sheets')
}
