// Every queue sort served by an index of the commune's rows, so a page is an index scan that
// stops after OFFSET + LIMIT rows instead of sorting the commune's ~10,000 rows per request
// (a top-N sort with descending text keys took 15–25 ms a page at province scale).
// 'category'/'-category' and 'status'/'-status' read one index forwards or backwards, and a
// category or status filter (by rank) with the sheet order reads the same index; the two area
// sorts keep rows without an area difference last in both directions, so each has its own.
import type { Knex } from 'knex'

const KEY = 'sheet_digits, sheet_number, parcel_digits, parcel_number, match_id'

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE INDEX reconcile_queue_by_category ON reconcile_queue (commune_code, category_rank, ${KEY})`)
  await knex.raw(`CREATE INDEX reconcile_queue_by_status ON reconcile_queue (commune_code, status_rank, ${KEY})`)
  await knex.raw(`CREATE INDEX reconcile_queue_by_area_desc ON reconcile_queue (commune_code, area_difference DESC NULLS LAST, ${KEY})`)
  await knex.raw(`CREATE INDEX reconcile_queue_by_area_asc ON reconcile_queue (commune_code, area_difference ASC NULLS LAST, ${KEY})`)
  await knex.raw('DROP INDEX reconcile_queue_category') // (commune, category, key): by_category serves it
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`CREATE INDEX reconcile_queue_category ON reconcile_queue (commune_code, category, ${KEY})`)
  for (const name of ['by_category', 'by_status', 'by_area_desc', 'by_area_asc']) await knex.raw(`DROP INDEX reconcile_queue_${name}`)
}
