/**
 * Where an import writes a commune's parcels (thửa đất của xã): `parcels` has one partition per
 * commune (migration 20261123103500). A commune's first import loads into a new table with no
 * index and no foreign key, because keeping five indexes and two foreign-key checks up to date
 * row by row was most of the database's work in a province load; the indexes are built once
 * the rows are in, and the table becomes the commune's partition last, just before commit
 * (ATTACH checks each foreign key with one query). Later imports write into the partition.
 */
import type { Knex } from 'knex'
import { countAttachedParcels } from '../../progress/index.js'

export interface ParcelTarget {
  /** The table the rows are copied into and the checks read. */
  table: string
  /** A new table that becomes the commune's partition at `attachPartition`. */
  fresh: boolean
}

/**
 * Takes the commune for this transaction (a second import of it waits, then finds the
 * partition the first one made) and says where its rows go; creates the table when fresh.
 */
export async function parcelTarget(trx: Knex.Transaction, communeCode: string): Promise<ParcelTarget> {
  await trx.raw(`SELECT pg_advisory_xact_lock(hashtextextended('landbook parcels of commune ' || ?, 0))`, [communeCode])
  const { rows: [partition] } = await trx.raw(
    `SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = 'parcels'::regclass AND pg_get_expr(c.relpartbound, c.oid) = format('FOR VALUES IN (%L)', ?::text)`,
    [communeCode],
  )
  if (partition) return { table: 'parcels', fresh: false }
  const table = partitionName(communeCode)
  // The parent's columns, defaults and checks, but none of its indexes or foreign keys yet.
  await trx.raw('CREATE TABLE ?? (LIKE parcels INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING STORAGE INCLUDING COMPRESSION)', [table])
  // Ids come from the parent's sequence, as if the rows had been inserted through it.
  const { rows: [{ sequence }] } = await trx.raw(`SELECT pg_get_serial_sequence('parcels', 'id') AS sequence`)
  await trx.raw(`ALTER TABLE ?? ALTER COLUMN id SET DEFAULT nextval(${trx.raw('?', [sequence]).toQuery()}::regclass)`, [table])
  // Proves the partition bound, so that ATTACH need not scan the rows to check it.
  await trx.raw(`ALTER TABLE ?? ADD CONSTRAINT ?? CHECK (commune_code = ${trx.raw('?', [communeCode]).toQuery()})`, [table, `${table}_bound`])
  return { table, fresh: true }
}

/** Builds the parent's indexes on a fresh table, once its rows are in; ATTACH adopts them. */
export async function buildIndexes(trx: Knex.Transaction, target: ParcelTarget): Promise<void> {
  if (!target.fresh) return
  const { rows: [primaryKey] } = await trx.raw(`SELECT pg_get_constraintdef(oid) AS definition FROM pg_constraint WHERE conrelid = 'parcels'::regclass AND contype = 'p'`)
  await trx.raw(`ALTER TABLE ?? ADD CONSTRAINT ?? ${primaryKey.definition}`, [target.table, `${target.table}_pkey`])
  const { rows: indexes } = await trx.raw(`SELECT pg_get_indexdef(indexrelid) AS definition FROM pg_index WHERE indrelid = 'parcels'::regclass AND NOT indisprimary`)
  for (const { definition } of indexes as Array<{ definition: string }>) {
    // "CREATE INDEX parcels_key ON ONLY public.parcels USING ..." → the same index, named by PostgreSQL, on the table.
    const onTable = definition.replace(/^CREATE (UNIQUE )?INDEX \S+ ON ONLY \S+ /, (_m, unique: string | undefined) => `CREATE ${unique ?? ''}INDEX ON ${trx.raw('??', [target.table]).toQuery()} `)
    await trx.raw(onTable)
  }
}

/**
 * Makes a fresh table the commune's partition. Last in the transaction: ATTACH holds the
 * parent (another ATTACH waits) and locks the tables of its foreign keys until commit, so the
 * job's own update of import_jobs must come after it, not before (two loads would deadlock).
 */
export async function attachPartition(trx: Knex.Transaction, target: ParcelTarget, communeCode: string): Promise<void> {
  if (!target.fresh) return
  await trx.raw('ALTER TABLE ?? ALTER COLUMN id DROP DEFAULT', [target.table])
  await trx.raw(`ALTER TABLE parcels ATTACH PARTITION ?? FOR VALUES IN (${trx.raw('?', [communeCode]).toQuery()})`, [target.table])
  // The rows never passed the parent's statement triggers: the progress counters and the
  // communes' extents (migration 20261123160300) learn of them here.
  await countAttachedParcels(trx, target.table)
  await trx.raw('SELECT parcel_extents_merge(?, srid, ST_Extent(geom)) FROM ?? GROUP BY srid ORDER BY srid', [communeCode, target.table])
  await trx.raw('ALTER TABLE ?? DROP CONSTRAINT ??', [target.table, `${target.table}_bound`])
}

/**
 * An empty partition for the commune, for writers other than the import (tests, tools): the
 * import makes its own, and a commune whose partition exists is loaded row by row.
 */
export async function ensureParcelPartition(knex: Knex | Knex.Transaction, communeCode: string): Promise<void> {
  await knex.raw(`CREATE TABLE IF NOT EXISTS ?? PARTITION OF parcels FOR VALUES IN (${knex.raw('?', [communeCode]).toQuery()})`, [partitionName(communeCode)])
}

/** The partition of a commune (the migration names existing ones the same way). */
function partitionName(communeCode: string): string {
  return `parcels_${communeCode.replace(/[^0-9A-Za-z]/g, '_')}`
}
