// The queue pages that no sort index holds in order (an owner-name search, combined filters, a
// filter with another sort) read the commune's entries of this narrow covering index: every
// column they filter and sort on, so the scan never visits the wide table rows (~460 bytes,
// four to a page) except for the page's own 50. An owner search took two heap scans of the
// commune (~8 ms each at province scale); this is one index-only scan (~2 ms).
// An index-only scan reads the table for rows on pages not marked all-visible, and decisions
// rewrite queue rows all day; so autovacuum visits this table after 1% of its rows changed or
// were added (default 20%), which keeps the visibility map, and the scan, current.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    // The owner names first: a search rejects most entries after reading only those two.
    `CREATE INDEX reconcile_queue_hits ON reconcile_queue (commune_code, match_id)
     INCLUDE (record_owner, parcel_owner, sheet_digits, sheet_number, parcel_digits, parcel_number, category_rank, status_rank,
              area_difference, decided, flagged)`,
  )
  await knex.raw(
    `ALTER TABLE reconcile_queue SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_insert_scale_factor = 0.01,
       autovacuum_analyze_scale_factor = 0.02)`,
  )
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE reconcile_queue RESET (autovacuum_vacuum_scale_factor, autovacuum_vacuum_insert_scale_factor, autovacuum_analyze_scale_factor)')
  await knex.raw('DROP INDEX reconcile_queue_hits')
}
