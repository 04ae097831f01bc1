// Users and roles. A role is one of five fixed capabilities; communes are assigned per user.
import type { Knex } from 'knex'

const ROLES = ['admin', 'gis', 'clerk', 'signer', 'manager'] as const

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.bigIncrements('id')
    t.text('username').notNullable().unique()
    t.text('display_name').notNullable()
    t.text('password_hash').notNullable()
    t.text('role').notNullable().checkIn([...ROLES])
    t.boolean('active').notNullable().defaultTo(true)
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
  })
  await knex.schema.createTable('user_communes', (t) => {
    t.bigInteger('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE')
    t.text('commune_code').notNullable().references('code').inTable('communes')
    t.primary(['user_id', 'commune_code'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('user_communes')
  await knex.schema.dropTable('users')
}
