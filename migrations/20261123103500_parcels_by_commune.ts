// Parcels partitioned by commune (LIST on commune_code, one partition per commune).
//
// A commune's first import writes its rows into a new table with no index and no foreign key,
// builds the indexes once the rows are in, and attaches the table as the commune's partition
// (src/imports/parcels/partitions.ts): per-row index upkeep and foreign-key checks were most
// of the database's work in a province load. Each commune's GiST index stays commune-sized,
// and every query that names its commune reads one partition.
//
// There is no default partition: parcels are only written by the import, which creates the
// partition it needs, and a default partition would make every ATTACH scan and lock it.
//
// The table is rebuilt from its own catalog entries rather than from a column list, so columns,
// indexes, checks, foreign keys (both ways) and triggers added by other migrations move with
// it, keeping their names; the identity sequence continues where it was (ids of superseded
// parcels live on in parcel_history and are never reused).
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await rebuildParcels(knex, true)
}

export async function down(knex: Knex): Promise<void> {
  await rebuildParcels(knex, false)
}

interface TableDefinition {
  /** CREATE INDEX statements (the primary key's index excepted), as they name the table. */
  indexes: string[]
  primaryKey: { name: string; definition: string }
  /** Foreign keys of parcels, and of other tables that reference it. */
  foreignKeys: Array<{ table: string; name: string; definition: string }>
  /** CREATE TRIGGER statements of the triggers someone defined (not the internal ones). */
  triggers: string[]
  sequence: { lastValue: string; isCalled: boolean } | null
}

async function rebuildParcels(knex: Knex, partitioned: boolean): Promise<void> {
  const before = await describeParcels(knex)
  await knex.raw('ALTER TABLE parcels RENAME TO parcels_rebuilt')
  // Free the names the new table's indexes and sequence will take.
  const { rows: indexNames } = await knex.raw(`SELECT indexrelid::regclass::text AS name FROM pg_index WHERE indrelid = 'parcels_rebuilt'::regclass`)
  for (const { name } of indexNames) await knex.raw('ALTER INDEX ?? RENAME TO ??', [name, `${name}_rebuilt`])
  const { rows: [{ seq }] } = await knex.raw(`SELECT pg_get_serial_sequence('parcels_rebuilt', 'id') AS seq`)
  if (seq) await knex.raw(`ALTER SEQUENCE ${seq} RENAME TO parcels_rebuilt_id_seq`)
  for (const fk of before.foreignKeys.filter((f) => f.table !== 'parcels')) await knex.raw('ALTER TABLE ?? DROP CONSTRAINT ??', [fk.table, fk.name])

  await knex.raw(`CREATE TABLE parcels (LIKE parcels_rebuilt INCLUDING ALL EXCLUDING INDEXES) ${partitioned ? 'PARTITION BY LIST (commune_code)' : ''}`)
  if (partitioned) {
    const { rows: communes } = await knex.raw('SELECT DISTINCT commune_code FROM parcels_rebuilt ORDER BY 1')
    for (const { commune_code: code } of communes) {
      await knex.raw(`CREATE TABLE ?? PARTITION OF parcels FOR VALUES IN (${knex.raw('?', [code]).toQuery()})`, [partitionName(code)])
    }
  }
  const { rows: columns } = await knex.raw(`
    SELECT attname FROM pg_attribute
    WHERE attrelid = 'parcels_rebuilt'::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = ''
    ORDER BY attnum`)
  const columnList = columns.map((c: { attname: string }) => knex.raw('??', [c.attname]).toQuery()).join(', ')
  await knex.raw(`INSERT INTO parcels (${columnList}) SELECT ${columnList} FROM parcels_rebuilt`)
  if (before.sequence) {
    await knex.raw(`SELECT setval(pg_get_serial_sequence('parcels', 'id'), ?, ?)`, [before.sequence.lastValue, before.sequence.isCalled])
  }
  // Indexes and keys once the rows are in: built and checked in one pass each.
  await knex.raw(`ALTER TABLE parcels ADD CONSTRAINT ?? ${before.primaryKey.definition}`, [before.primaryKey.name])
  // A partitioned table's index definitions say ON ONLY; a plain table's do not.
  for (const index of before.indexes) await knex.raw(index.replace(/ ON ONLY /, ' ON '))
  for (const fk of before.foreignKeys) await knex.raw(`ALTER TABLE ?? ADD CONSTRAINT ?? ${fk.definition}`, [fk.table, fk.name])
  // After the rows are in: triggers that count inserts would count them a second time.
  for (const trigger of before.triggers) await knex.raw(trigger)
  await knex.raw('DROP TABLE parcels_rebuilt')
}

async function describeParcels(knex: Knex): Promise<TableDefinition> {
  const { rows: indexes } = await knex.raw(`
    SELECT pg_get_indexdef(i.indexrelid) AS definition, i.indisprimary AS primary
    FROM pg_index i WHERE i.indrelid = 'parcels'::regclass ORDER BY i.indexrelid`)
  const { rows: [primaryKey] } = await knex.raw(`
    SELECT conname AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint
    WHERE conrelid = 'parcels'::regclass AND contype = 'p'`)
  // Constraints inherited by partitions have a parent constraint; only the top ones are moved.
  const { rows: foreignKeys } = await knex.raw(`
    SELECT conrelid::regclass::text AS table, conname AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint
    WHERE contype = 'f' AND conparentid = 0 AND (conrelid = 'parcels'::regclass OR confrelid = 'parcels'::regclass)
    ORDER BY conrelid::regclass::text, conname`)
  const { rows: triggers } = await knex.raw(`
    SELECT pg_get_triggerdef(oid) AS definition FROM pg_trigger
    WHERE tgrelid = 'parcels'::regclass AND NOT tgisinternal AND tgparentid = 0 ORDER BY tgname`)
  return {
    indexes: indexes.filter((i: { primary: boolean }) => !i.primary).map((i: { definition: string }) => i.definition),
    primaryKey,
    foreignKeys,
    triggers: triggers.map((t: { definition: string }) => t.definition),
    sequence: await sequenceState(knex),
  }
}

/** Where the identity sequence of parcels.id stands. */
async function sequenceState(knex: Knex): Promise<TableDefinition['sequence']> {
  const { rows: [{ seq }] } = await knex.raw(`SELECT pg_get_serial_sequence('parcels', 'id') AS seq`)
  if (!seq) return null
  const { rows: [state] } = await knex.raw(`SELECT last_value::text AS "lastValue", is_called AS "isCalled" FROM ${seq}`)
  return state
}

/** The partition of a commune (the import names new partitions the same way). */
function partitionName(communeCode: string): string {
  return `parcels_${communeCode.replace(/[^0-9A-Za-z]/g, '_')}`
}
