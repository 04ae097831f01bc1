// Reconciliation (đối soát): what the clerks' work queue, decisions and audit chain need.
// - owner names folded for accent-insensitive search ("nguyen van a" finds "Nguyễn Văn A",
//   đ → d), as stored generated columns of an IMMUTABLE function (PGlite has no `unaccent`
//   nor `pg_trgm`); the queue copies them, and a "contains" search scans only the commune's
//   own queue rows (~10,000), so no trigram index is needed;
// - a review flag on parcels (sent for field survey, with a note);
// - one chain head per commune: the last event's seq and hash. Appends lock this row, so the
//   seq and the hash chain of a commune never fork, and a deleted last event is detectable;
// - an index for a record's events (the parcel detail shows the events of its records too);
// - the work queue's own narrow table (see src/reconcile/queue-table.ts): one row per matches
//   row with its sort and filter keys, so a queue page is an index scan instead of a join and
//   sort of the whole commune; rebuilt after a matching run or import, kept by decisions.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  // NFD splits the tone and vowel marks off; they are removed, đ/Đ (no decomposition) mapped,
  // case and runs of spaces folded. src/reconcile/fold.ts folds the search text the same way.
  await knex.raw(String.raw`
    CREATE FUNCTION landbook_fold(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT btrim(regexp_replace(lower(translate(regexp_replace(normalize(t, NFD), '[\u0300-\u036f]', '', 'g'), 'đĐ', 'dD')), '\s+', ' ', 'g'))
    $$`)
  await knex.raw('ALTER TABLE attribute_records ADD COLUMN owner_name_folded text GENERATED ALWAYS AS (landbook_fold(owner_name)) STORED')
  await knex.raw('ALTER TABLE parcels ADD COLUMN owner_name_folded text GENERATED ALWAYS AS (landbook_fold(owner_name)) STORED')

  await knex.schema.alterTable('parcels', (t) => {
    t.jsonb('review_flag').comment('Set by a flag decision: {note, actorId, at, seq}; cleared by the next decision')
  })

  await knex.schema.createTable('reconciliation_heads', (t) => {
    t.text('commune_code').primary().references('code').inTable('communes')
    t.bigInteger('seq').notNullable().comment('The last event of the commune (0: none yet)')
    t.text('hash').notNullable().comment('Its hash (64 zeros: none yet)')
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
  })
  // Communes that already have events start from their last one.
  await knex.raw(`
    INSERT INTO reconciliation_heads (commune_code, seq, hash)
    SELECT DISTINCT ON (commune_code) commune_code, seq, hash FROM reconciliation_events ORDER BY commune_code, seq DESC`)
  await knex.raw('CREATE INDEX reconciliation_events_record ON reconciliation_events (commune_code, record_id)')

  await knex.raw(`
    CREATE TABLE reconcile_queue (
      commune_code text NOT NULL,
      match_id bigint NOT NULL,
      parcel_id bigint,
      record_id bigint,
      category text NOT NULL,
      category_rank smallint NOT NULL,
      decided boolean NOT NULL,
      status text,
      status_rank smallint,
      flagged boolean NOT NULL,
      sheet_number text COLLATE "C" NOT NULL,
      parcel_number text COLLATE "C" NOT NULL,
      -- How many leading digits: with the text after it, the natural order 2 < 10 < 10a < 11.
      sheet_digits smallint GENERATED ALWAYS AS (length(sheet_number) - length(ltrim(sheet_number, '0123456789'))) STORED,
      parcel_digits smallint GENERATED ALWAYS AS (length(parcel_number) - length(ltrim(parcel_number, '0123456789'))) STORED,
      area_difference double precision,
      record_owner text,
      parcel_owner text,
      PRIMARY KEY (commune_code, match_id)
    )`)
  await knex.raw('CREATE INDEX reconcile_queue_order ON reconcile_queue (commune_code, sheet_digits, sheet_number, parcel_digits, parcel_number, match_id)')
  await knex.raw('CREATE INDEX reconcile_queue_category ON reconcile_queue (commune_code, category, sheet_digits, sheet_number, parcel_digits, parcel_number, match_id)')
  await knex.raw('CREATE INDEX reconcile_queue_parcel ON reconcile_queue (commune_code, parcel_id)')
  await knex.raw('CREATE INDEX reconcile_queue_record ON reconcile_queue (commune_code, record_id)')
  await knex.schema.createTable('reconcile_queue_state', (t) => {
    t.text('commune_code').primary().references('code').inTable('communes')
    t.text('built_from').notNullable().comment('Counts of the writers other than decisions when the queue was built (see queue-table.ts)')
    t.timestamp('built_at', { useTz: true }).notNullable().defaultTo(knex.fn.now())
  })
  // The freshness check counts a commune's imports on every queue read.
  await knex.raw(`CREATE INDEX import_jobs_commune_succeeded ON import_jobs (commune_code) WHERE state = 'succeeded'`)
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX import_jobs_commune_succeeded')
  await knex.schema.dropTable('reconcile_queue_state')
  await knex.schema.dropTable('reconcile_queue')
  await knex.raw('DROP INDEX reconciliation_events_record')
  await knex.schema.dropTable('reconciliation_heads')
  await knex.schema.alterTable('parcels', (t) => {
    t.dropColumn('review_flag')
  })
  await knex.raw('ALTER TABLE parcels DROP COLUMN owner_name_folded')
  await knex.raw('ALTER TABLE attribute_records DROP COLUMN owner_name_folded')
  await knex.raw('DROP FUNCTION landbook_fold(text)')
}
