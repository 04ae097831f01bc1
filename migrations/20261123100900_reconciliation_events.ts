// Reconciliation events (nhật ký đối soát): the append-only audit trail of every decision.
// Numbered per commune and hash-chained (each hash covers the previous one), and protected
// by triggers so that no UPDATE, DELETE or TRUNCATE can rewrite history, even outside the app.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('reconciliation_events', (t) => {
    t.text('commune_code').notNullable().references('code').inTable('communes')
    t.bigInteger('seq').notNullable().comment('1, 2, 3 ... within the commune')
    t.bigInteger('parcel_id')
    t.bigInteger('record_id')
    t.bigInteger('actor_id').references('id').inTable('users')
    t.text('kind').notNullable()
    t.jsonb('before')
    t.jsonb('after')
    t.text('reason')
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
    t.text('prev_hash').notNullable()
    t.text('hash').notNullable()
    t.primary(['commune_code', 'seq'])
  })
  await knex.raw('CREATE INDEX reconciliation_events_parcel ON reconciliation_events (commune_code, parcel_id)')
  await knex.raw(`
    CREATE FUNCTION reconciliation_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'reconciliation_events is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
    END $$`)
  await knex.raw(`
    CREATE TRIGGER reconciliation_events_no_change BEFORE UPDATE OR DELETE ON reconciliation_events
    FOR EACH ROW EXECUTE FUNCTION reconciliation_events_append_only()`)
  await knex.raw(`
    CREATE TRIGGER reconciliation_events_no_truncate BEFORE TRUNCATE ON reconciliation_events
    FOR EACH STATEMENT EXECUTE FUNCTION reconciliation_events_append_only()`)
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('reconciliation_events')
  await knex.raw('DROP FUNCTION reconciliation_events_append_only()')
}
