/**
 * Correcting an attribute record (sửa hồ sơ): legal area, land-use codes, owner name and
 * certificate serial, with the values before and after kept in the audit event. The record's
 * links then show the corrected comparison (same rule as matching: the stored tolerance).
 */
import type { Knex } from 'knex'
import { Conflict, Invalid } from '../errors.js'
import type { CorrectionFields } from './input.js'
import { requirePair, type LockedRecord } from './links.js'
import type { Link } from './state.js'

const COLUMNS: Record<keyof CorrectionFields, string> = {
  legalAreaM2: 'legal_area_m2',
  landUseCodes: 'land_use_codes',
  ownerName: 'owner_name',
  certificateSerial: 'certificate_serial',
}

export interface Correction {
  recordId: number
  before: Partial<CorrectionFields> & { version: number }
  after: Partial<CorrectionFields> & { version: number }
}

/** The record a correction is about: the one named, or the parcel's only record. */
export function correctedRecordId(parcelId: number, links: Link[], recordId: number | undefined): number {
  if (recordId !== undefined) return recordId
  const records = links.filter((l) => l.recordId !== null)
  if (records.length === 1) return records[0]!.recordId!
  throw new Invalid(
    records.length === 0
      ? `Thửa ${parcelId} chưa gắn hồ sơ nào để sửa (parcel ${parcelId} has no record to correct).`
      : `Thửa ${parcelId} gắn ${records.length} hồ sơ; hãy chọn hồ sơ cần sửa (recordId) (the parcel has several records: give recordId).`,
    { field: 'recordId' },
  )
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null)

export async function correctRecord(
  trx: Knex.Transaction,
  communeCode: string,
  parcelId: number,
  record: LockedRecord,
  changes: CorrectionFields,
  recordVersion: number | undefined,
): Promise<Correction> {
  await requirePair(trx, communeCode, parcelId, record.id)
  if (recordVersion !== undefined && recordVersion !== record.version) {
    throw new Conflict(
      `Hồ sơ ${record.id} vừa được người khác sửa (phiên bản ${record.version}, bạn đang xem ${recordVersion}); hãy tải lại (the record changed since you loaded it).`,
      { field: 'recordVersion' },
      { current: { recordId: record.id, version: record.version } },
    )
  }
  const current = await trx('attribute_records')
    .where({ commune_code: communeCode, id: record.id })
    .first({ legalAreaM2: 'legal_area_m2', landUseCodes: 'land_use_codes', ownerName: 'owner_name', certificateSerial: 'certificate_serial' })
  const fields = (Object.keys(changes) as Array<keyof CorrectionFields>).filter((f) => !same(current[f], changes[f]))
  if (fields.length === 0) throw new Invalid('Các giá trị sửa giống hệt giá trị hiện có; không có gì để sửa (nothing changes).', { field: 'changes' })

  const update: Record<string, unknown> = {}
  for (const f of fields) update[COLUMNS[f]] = changes[f] ?? null
  // The raw text kept beside the codes follows the correction.
  if (update.land_use_codes) update.land_use_raw = (update.land_use_codes as string[]).join('+')
  await trx('attribute_records').where({ commune_code: communeCode, id: record.id }).update({ ...update, version: record.version + 1, updated_at: trx.fn.now() })
  await recompareLinks(trx, communeCode, record.id)

  const pick = (source: Record<string, unknown>) => Object.fromEntries(fields.map((f) => [f, source[f] ?? null]))
  return {
    recordId: record.id,
    before: { ...pick(current), version: record.version },
    after: { ...pick(changes), version: record.version + 1 },
  }
}

/** The record's pairs compared again (area against the stored tolerance, land-use codes). */
async function recompareLinks(trx: Knex.Transaction, communeCode: string, recordId: number): Promise<void> {
  await trx.raw(
    `UPDATE matches m SET details = m.details || jsonb_build_object(
       'legal_area_m2', r.legal_area_m2,
       'difference_m2', round(CAST(p.area_m2 - r.legal_area_m2 AS numeric), 2),
       'record_land_use', r.land_use_codes,
       'area_off', CASE WHEN m.details->'tolerance_m2' IS NOT NULL THEN r.legal_area_m2 IS NOT NULL AND abs(p.area_m2 - r.legal_area_m2) > CAST(m.details->>'tolerance_m2' AS float8) END,
       'landuse_off', cardinality(r.land_use_codes) > 0 AND cardinality(p.land_use_codes) > 0 AND NOT (p.land_use_codes @> r.land_use_codes AND r.land_use_codes @> p.land_use_codes),
       'corrected', true)
     FROM attribute_records r, parcels p
     WHERE m.commune_code = ? AND m.record_id = ? AND r.commune_code = m.commune_code AND r.id = m.record_id
       AND p.commune_code = m.commune_code AND p.id = m.parcel_id`,
    [communeCode, recordId],
  )
}
