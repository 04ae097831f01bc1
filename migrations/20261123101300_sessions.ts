// Sign-in sessions (phiên đăng nhập), kept server-side. Only a SHA-256 of the session token is
// stored, so a copy of the table does not let anyone sign in; each session has its own CSRF
// token. Expired sessions are found (and swept) by the index on their expiry.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sessions', (t) => {
    t.text('token_sha256').primary().comment('Hex SHA-256 of the cookie token; the token itself is never stored')
    t.bigInteger('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE')
    t.text('csrf_token').notNullable()
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
    t.timestamp('expires_at', { useTz: true }).notNullable()
    t.timestamp('last_seen_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
    t.index(['expires_at'], 'sessions_expires_at')
    t.index(['user_id'], 'sessions_user_id')
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('sessions')
}
