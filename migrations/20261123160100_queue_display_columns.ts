// The work queue's rows carry what a queue page shows (the link's details, the parcel's and the
// record's displayed fields), so a page is one index scan of one table: no join into the
// partitioned `parcels` per request (planning a four-table join with partition pruning cost
// more than running it). The rows are kept current exactly as their sort and filter columns
// already were (see src/reconcile/queue-table.ts): decisions refresh the rows they touch in their
// transaction, and other writers make the next read rebuild the commune's rows.
// Existing rows lack the new columns: every commune's queue is rebuilt on its next read.
import type { Knex } from 'knex'

const COLUMNS = [
  ['details', 'jsonb'],
  ['parcel_sheet', 'text'],
  ['parcel_no', 'text'],
  ['parcel_version', 'integer'],
  ['area_m2', 'numeric(14, 2)'],
  ['parcel_land_use', 'text[]'],
  ['parcel_owner_name', 'text'],
  ['record_sheet', 'text'],
  ['record_parcel', 'text'],
  ['record_version', 'integer'],
  ['legal_area_m2', 'numeric(14, 2)'],
  ['record_land_use', 'text[]'],
  ['record_owner_name', 'text'],
  ['certificate_serial', 'text'],
] as const

export async function up(knex: Knex): Promise<void> {
  await knex.raw('DELETE FROM reconcile_queue_state')
  await knex.raw('TRUNCATE reconcile_queue')
  await knex.raw(`ALTER TABLE reconcile_queue ${COLUMNS.map(([name, type]) => `ADD COLUMN ${name} ${type}`).join(', ')}`)
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DELETE FROM reconcile_queue_state')
  await knex.raw('TRUNCATE reconcile_queue')
  await knex.raw(`ALTER TABLE reconcile_queue ${COLUMNS.map(([name]) => `DROP COLUMN ${name}`).join(', ')}`)
}
