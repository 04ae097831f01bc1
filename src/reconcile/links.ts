/**
 * Links between parcels and records (liên kết thửa – hồ sơ) as decisions change them. A link is
 * a `matches` row with both sides; a parcel with no record keeps one row with no record, and a
 * record with no parcel one row with no parcel, so every parcel and record stays in the queue.
 * One record on several parcels is a split, several records on one parcel a merge.
 * Rows a clerk creates are decided: matching never undoes them.
 */
import type { Knex } from 'knex'
import { Invalid } from '../errors.js'

export interface LockedRecord {
  id: number
  sheet_number: string
  parcel_number: string
  version: number
}

/** The record named in a decision, locked; Invalid (naming the field) when the commune has none. */
export async function lockRecord(trx: Knex.Transaction, communeCode: string, recordId: number, field = 'recordId'): Promise<LockedRecord> {
  const { rows: [record] } = await trx.raw<{ rows: LockedRecord[] }>(
    'SELECT id, sheet_number, parcel_number, version FROM attribute_records WHERE commune_code = ? AND id = ? FOR UPDATE',
    [communeCode, recordId],
  )
  if (!record) throw new Invalid(`Không có hồ sơ ${recordId} trong xã ${communeCode} (no record ${recordId} in this commune).`, { field })
  return record
}

async function pairRow(trx: Knex.Transaction, communeCode: string, parcelId: number, recordId: number): Promise<{ id: number; category: string } | undefined> {
  return trx('matches').where({ commune_code: communeCode, parcel_id: parcelId, record_id: recordId }).first('id', 'category')
}

export async function requirePair(trx: Knex.Transaction, communeCode: string, parcelId: number, recordId: number): Promise<{ id: number; category: string }> {
  const pair = await pairRow(trx, communeCode, parcelId, recordId)
  if (!pair) throw new Invalid(`Hồ sơ ${recordId} không gắn với thửa ${parcelId} (record ${recordId} is not linked to parcel ${parcelId}).`, { field: 'recordId' })
  return pair
}

async function refuseExistingPair(trx: Knex.Transaction, communeCode: string, parcelId: number, recordId: number): Promise<void> {
  if (await pairRow(trx, communeCode, parcelId, recordId)) {
    throw new Invalid(`Hồ sơ ${recordId} đã gắn với thửa ${parcelId} (record ${recordId} is already linked to parcel ${parcelId}).`, { field: 'recordId' })
  }
}

/** Removes the row that says "this parcel has no record"; returns its category, if it had one. */
async function dropParcelOnlyRow(trx: Knex.Transaction, communeCode: string, parcelId: number): Promise<string | null> {
  const { rows } = await trx.raw('DELETE FROM matches WHERE commune_code = ? AND parcel_id = ? AND record_id IS NULL RETURNING category', [communeCode, parcelId])
  return rows[0]?.category ?? null
}

async function dropRecordOnlyRow(trx: Knex.Transaction, communeCode: string, recordId: number): Promise<string | null> {
  const { rows } = await trx.raw('DELETE FROM matches WHERE commune_code = ? AND record_id = ? AND parcel_id IS NULL RETURNING category', [communeCode, recordId])
  return rows[0]?.category ?? null
}

/** Gives a parcel left with no row at all its "no record" row again (decided: the clerk left it so). */
async function keepParcelInQueue(trx: Knex.Transaction, communeCode: string, parcelId: number, details: Record<string, unknown>): Promise<void> {
  await trx.raw(
    `INSERT INTO matches (commune_code, parcel_id, record_id, category, details, decided)
     SELECT ?, ?, NULL, 'spatial_only', ?::jsonb, true
     WHERE NOT EXISTS (SELECT 1 FROM matches WHERE commune_code = ? AND parcel_id = ?)`,
    [communeCode, parcelId, JSON.stringify(details), communeCode, parcelId],
  )
}

async function keepRecordInQueue(trx: Knex.Transaction, communeCode: string, recordId: number, details: Record<string, unknown>): Promise<void> {
  await trx.raw(
    `INSERT INTO matches (commune_code, parcel_id, record_id, category, details, decided)
     SELECT ?, NULL, ?, 'record_only', ?::jsonb, true
     WHERE NOT EXISTS (SELECT 1 FROM matches WHERE commune_code = ? AND record_id = ?)`,
    [communeCode, recordId, JSON.stringify(details), communeCode, recordId],
  )
}

/**
 * Links a record to a parcel (keeping the record's other parcels: a split). The new link keeps
 * the category that brought it to the clerk (record_only, duplicate_key, spatial_only), or
 * `matched` when both sides were already linked elsewhere, and the two areas for comparison.
 */
export async function linkRecord(trx: Knex.Transaction, communeCode: string, parcelId: number, recordId: number): Promise<void> {
  await refuseExistingPair(trx, communeCode, parcelId, recordId)
  const recordCategory = await dropRecordOnlyRow(trx, communeCode, recordId)
  const parcelCategory = await dropParcelOnlyRow(trx, communeCode, parcelId)
  await trx.raw(
    // The areas of the new pair, as matching shows them for its own pairs.
    `INSERT INTO matches (commune_code, parcel_id, record_id, category, details, decided)
     SELECT p.commune_code, p.id, r.id, ?, jsonb_build_object('decision', 'link',
              'record_category_before', CAST(? AS text), 'parcel_category_before', CAST(? AS text),
              'area_m2', round(CAST(p.area_m2 AS numeric), 2), 'legal_area_m2', r.legal_area_m2,
              'difference_m2', round(CAST(p.area_m2 - r.legal_area_m2 AS numeric), 2),
              'parcel_land_use', p.land_use_codes, 'record_land_use', r.land_use_codes), true
     FROM parcels p JOIN attribute_records r ON r.commune_code = p.commune_code AND r.id = ?
     WHERE p.commune_code = ? AND p.id = ?`,
    [recordCategory ?? parcelCategory ?? 'matched', recordCategory, parcelCategory, recordId, communeCode, parcelId],
  )
}

/** Unlinks a record from a parcel; either side left with nothing keeps its "no partner" row. */
export async function unlinkRecord(trx: Knex.Transaction, communeCode: string, parcelId: number, recordId: number): Promise<void> {
  const pair = await requirePair(trx, communeCode, parcelId, recordId)
  await trx('matches').where({ commune_code: communeCode, id: pair.id }).delete()
  await keepRecordInQueue(trx, communeCode, recordId, { decision: 'unlink', from_parcel_id: parcelId, category_before: pair.category })
  await keepParcelInQueue(trx, communeCode, parcelId, { decision: 'unlink', record_id: recordId, category_before: pair.category })
}

/** Moves a record's link from one parcel to another. */
export async function relinkRecord(trx: Knex.Transaction, communeCode: string, fromParcelId: number, recordId: number, toParcelId: number): Promise<void> {
  if (fromParcelId === toParcelId) throw new Invalid(`Thửa đích trùng với thửa hiện tại (the target parcel is this parcel).`, { field: 'targetParcelId' })
  const pair = await requirePair(trx, communeCode, fromParcelId, recordId)
  await refuseExistingPair(trx, communeCode, toParcelId, recordId)
  const targetCategory = await dropParcelOnlyRow(trx, communeCode, toParcelId)
  await trx.raw(
    `UPDATE matches SET parcel_id = ?, decided = true,
       details = jsonb_build_object('decision', 'relink', 'from_parcel_id', CAST(? AS bigint), 'target_category_before', CAST(? AS text), 'before', details)
     WHERE commune_code = ? AND id = ?`,
    [toParcelId, fromParcelId, targetCategory, communeCode, pair.id],
  )
  await keepParcelInQueue(trx, communeCode, fromParcelId, { decision: 'relink', record_id: recordId, to_parcel_id: toParcelId, category_before: pair.category })
}
