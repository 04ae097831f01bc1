// Administrative units: provinces (tỉnh) and communes (xã/phường), with code history.
// Codes are data, not structure: the 2025 reform reused and merged codes (QĐ 19/2025/QĐ-TTg),
// so provinces are keyed by (code, valid_from) and old → new commune codes are recorded.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('provinces', (t) => {
    t.text('code').notNullable()
    t.date('valid_from').notNullable()
    t.date('valid_to')
    t.text('name').notNullable()
    t.integer('default_srid').references('srid').inTable('crs_zones')
    t.primary(['code', 'valid_from'])
  })
  await knex('provinces').insert([
    { code: '64', valid_from: '2004-01-01', valid_to: '2025-06-30', name: 'Gia Lai', default_srid: 9218 },
    { code: '52', valid_from: '2004-01-01', valid_to: '2025-06-30', name: 'Bình Định', default_srid: 9217 },
    { code: '52', valid_from: '2025-07-01', valid_to: null, name: 'Gia Lai', default_srid: 9217 },
  ])

  await knex.schema.createTable('communes', (t) => {
    t.text('code').primary().checkRegex('^[0-9]{5}$', 'communes_code_five_digits')
    t.text('name').notNullable()
    t.text('province_code').notNullable()
    // The CRS of this commune's cadastral dataset: it belongs to the data, not to today's province.
    t.integer('srid').notNullable().references('srid').inTable('crs_zones')
    t.specificType('boundary', 'geometry(MultiPolygon)')
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
  })
  await knex.raw('ALTER TABLE communes ADD CONSTRAINT communes_boundary_srid CHECK (boundary IS NULL OR ST_SRID(boundary) = srid)')
  await knex.raw('CREATE INDEX communes_boundary_gist ON communes USING gist (boundary)')

  await knex.schema.createTable('commune_code_changes', (t) => {
    t.text('old_code').notNullable()
    t.text('new_code').notNullable()
    t.date('effective_date').notNullable()
    t.text('legal_basis').comment('e.g. QĐ 19/2025/QĐ-TTg')
    t.primary(['old_code', 'new_code', 'effective_date'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('commune_code_changes')
  await knex.schema.dropTable('communes')
  await knex.schema.dropTable('provinces')
}
