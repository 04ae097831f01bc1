// A point for an attribute record, when the register carries one (tọa độ thửa: X/Y in VN-2000
// or longitude/latitude): it lets matching say which parcel a record without a parcel lies in.
// Stored in the commune's TM-3 CRS, with the text as written kept beside it.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('attribute_records', (t) => {
    t.specificType('location', 'geometry(Point)')
    t.text('location_raw').comment('The coordinates as written in the register')
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('attribute_records', (t) => {
    t.dropColumn('location_raw')
    t.dropColumn('location')
  })
}
