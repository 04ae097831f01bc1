// API tokens (mã truy cập API) for programs that cannot hold a browser session: GDAL, QGIS, the
// provincial land information system pulling by OGC API – Features. A token reads only (the
// /ogc routes and the data exports) and acts as its user, with the user's role and communes.
// Only a SHA-256 of the token is stored; a token can expire and be revoked.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('api_tokens', (t) => {
    t.bigIncrements('id')
    t.bigInteger('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE')
    t.text('name').notNullable().comment('What the token is for, e.g. "QGIS máy phòng GIS"')
    t.text('token_sha256').notNullable().unique().comment('Hex SHA-256 of the token; the token itself is never stored')
    t.text('token_prefix').notNullable().comment('The first characters of the token, to tell tokens apart in lists')
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
    t.timestamp('expires_at', { useTz: true })
    t.timestamp('last_used_at', { useTz: true })
    t.timestamp('revoked_at', { useTz: true })
    t.index(['user_id'], 'api_tokens_user_id')
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('api_tokens')
}
