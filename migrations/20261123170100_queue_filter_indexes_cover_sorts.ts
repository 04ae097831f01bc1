// A category, status or sheet filter with a sort its index does not hold (category with the
// area sort, a sheet with the status sort, ...) collects the filtered rows' sort keys and sorts
// them (src/reconcile/queue.ts). With every sort key included in the filter's own index, that is
// an index-only range scan of just the filtered rows: a sheet's few hundred, a category's share,
// instead of the whole commune in reconcile_queue_hits (which owner-name searches still read).
import type { Knex } from 'knex'

const KEY = 'sheet_digits, sheet_number, parcel_digits, parcel_number, match_id'
const INDEXES = [
  ['reconcile_queue_order', `(commune_code, ${KEY})`, 'category_rank, status_rank, area_difference'],
  ['reconcile_queue_by_category', `(commune_code, category_rank, ${KEY})`, 'status_rank, area_difference'],
  ['reconcile_queue_by_status', `(commune_code, status_rank, ${KEY})`, 'category_rank, area_difference'],
] as const

export async function up(knex: Knex): Promise<void> {
  for (const [name, key, include] of INDEXES) {
    await knex.raw(`DROP INDEX ${name}`)
    await knex.raw(`CREATE INDEX ${name} ON reconcile_queue ${key} INCLUDE (${include})`)
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const [name, key] of INDEXES) {
    await knex.raw(`DROP INDEX ${name}`)
    await knex.raw(`CREATE INDEX ${name} ON reconcile_queue ${key}`)
  }
}
