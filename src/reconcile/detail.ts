/**
 * One parcel (thửa) or one record (hồ sơ) as the clerk sees it before deciding: geometry in
 * WGS84 (for the map) and in its stored VN-2000 CRS, attributes, the records linked to it with
 * the discrepancy of each link, candidate records or parcels, its event history, its version.
 */
import type { Knex } from 'knex'
import { normalizeCommuneCode } from '../communes/index.js'
import { preparedRows } from '../db/index.js'
import { NotFound } from '../errors.js'
import type { EventRow } from './chain.js'
import { existingCommune } from './commune.js'
import { eventView } from './decisions.js'

const HISTORY_LIMIT = 200

/**
 * Two statements sent at once: the parcel (planned for its commune's partition) and what hangs
 * on it: links, candidate records and history as JSON columns, from unpartitioned tables, so
 * with a generic plan (planning the two as one statement took longer than running it). A
 * commune that does not exist is told apart only when no parcel was found.
 */
const PARCEL_SQL = `
  SELECT p.id, p.sheet_number, p.parcel_number, p.sheet_number_raw, p.parcel_number_raw, p.status, p.version, p.review_flag,
         round(CAST(p.area_m2 AS numeric), 2) AS area_m2, p.legal_area_m2, p.land_use_codes, p.land_use_raw, p.owner_name, p.address,
         p.place_name, p.attributes, p.srid, p.import_job_id, p.source_row, p.created_at, p.updated_at,
         -- GeoJSON twice: in WGS84 to 7 decimals (~1 cm) for the web map, and as stored (metres, mm).
         CAST(ST_AsGeoJSON(ST_Transform(p.geom, 4326), 7) AS json) AS geometry_wgs84,
         CAST(ST_AsGeoJSON(p.geom, 3) AS json) AS geometry
  FROM parcels p WHERE p.commune_code = :commune AND p.id = :id`

const PARCEL_RELATED_SQL = `
  SELECT (SELECT COALESCE(json_agg(l ORDER BY l.match_id), '[]') FROM (
            SELECT m.id AS match_id, m.category, m.decided, m.details, m.computed_at,
                   r.id, r.sheet_number, r.parcel_number, r.owner_name, r.owners, r.certificate_serial, r.book_entry_number,
                   r.legal_area_m2, r.land_use_codes, r.address, r.version
            FROM matches m LEFT JOIN attribute_records r ON r.commune_code = m.commune_code AND r.id = m.record_id
            WHERE m.commune_code = :commune AND m.parcel_id = :id) l) AS links,
         -- Records without a parcel that matching suggested this parcel for.
         (SELECT COALESCE(json_agg(c ORDER BY c.score DESC, c.record_id), '[]') FROM (
            SELECT c.record_id, c.score, c.rank, c.reasons, r.sheet_number, r.parcel_number, r.owner_name, r.legal_area_m2, r.land_use_codes
            FROM match_candidates c JOIN attribute_records r ON r.commune_code = c.commune_code AND r.id = c.record_id
            WHERE c.commune_code = :commune AND c.parcel_id = :id) c) AS candidates,
         -- Events about the parcel or any of its records, newest first (each found by its index).
         (SELECT COALESCE(json_agg(e ORDER BY e.seq DESC), '[]') FROM (
            SELECT e.* FROM reconciliation_events e
            WHERE e.commune_code = :commune AND e.seq IN (
              SELECT seq FROM reconciliation_events WHERE commune_code = :commune AND parcel_id = :id
              UNION
              SELECT ev.seq FROM matches m JOIN reconciliation_events ev ON ev.commune_code = m.commune_code AND ev.record_id = m.record_id
              WHERE m.commune_code = :commune AND m.parcel_id = :id)
            ORDER BY e.seq DESC LIMIT ${HISTORY_LIMIT}) e) AS history`

export async function parcelDetail(knex: Knex, code: string, parcelId: number) {
  const commune = normalizeCommuneCode(code)
  const [[parcel], [related]] = await Promise.all([
    preparedRows<Record<string, any>>(knex, PARCEL_SQL, { commune, id: parcelId }),
    preparedRows<{ links: Array<Record<string, any>>; candidates: Array<Record<string, any>>; history: EventRow[] }>(
      knex,
      PARCEL_RELATED_SQL,
      { commune, id: parcelId },
      { genericPlan: true },
    ),
  ])
  if (!parcel) {
    await existingCommune(knex, code)
    throw new NotFound(`Không có thửa ${parcelId} trong xã ${commune} (no parcel ${parcelId} in this commune).`, { field: 'id' })
  }
  return {
    commune,
    parcel: {
      id: parcel.id,
      sheet: parcel.sheet_number,
      number: parcel.parcel_number,
      sheetRaw: parcel.sheet_number_raw,
      numberRaw: parcel.parcel_number_raw,
      status: parcel.status,
      version: parcel.version,
      flag: parcel.review_flag,
      areaM2: parcel.area_m2,
      legalAreaM2: parcel.legal_area_m2,
      landUseCodes: parcel.land_use_codes,
      landUseRaw: parcel.land_use_raw,
      ownerName: parcel.owner_name,
      address: parcel.address,
      placeName: parcel.place_name,
      attributes: parcel.attributes,
      importJobId: parcel.import_job_id,
      sourceRow: parcel.source_row,
      createdAt: parcel.created_at,
      updatedAt: parcel.updated_at,
    },
    geometry: { wgs84: parcel.geometry_wgs84, stored: { srid: parcel.srid, geojson: parcel.geometry } },
    links: related!.links.map((l) => ({
      matchId: l.match_id,
      category: l.category,
      decided: l.decided,
      details: l.details,
      computedAt: new Date(l.computed_at),
      record: l.id === null ? null : recordView(l),
    })),
    candidateRecords: related!.candidates.map((c) => ({
      score: c.score,
      rank: c.rank,
      reasons: c.reasons,
      record: { id: c.record_id, sheet: c.sheet_number, number: c.parcel_number, ownerName: c.owner_name, legalAreaM2: c.legal_area_m2, landUseCodes: c.land_use_codes },
    })),
    history: related!.history.map(eventView),
  }
}

export async function recordDetail(knex: Knex, code: string, recordId: number) {
  const commune = await existingCommune(knex, code)
  const record = await knex('attribute_records')
    .where({ commune_code: commune, id: recordId })
    .first('id', 'sheet_number', 'parcel_number', 'sheet_number_raw', 'parcel_number_raw', 'owner_name', 'owners', 'certificate_serial', 'book_entry_number',
      'legal_area_m2', 'land_use_codes', 'land_use_raw', 'address', 'attributes', 'version', 'import_job_id', 'source_row', 'created_at', 'updated_at')
  if (!record) throw new NotFound(`Không có hồ sơ ${recordId} trong xã ${commune} (no record ${recordId} in this commune).`, { field: 'id' })
  const { rows: links } = await knex.raw(
    `SELECT m.id AS match_id, m.category, m.decided, m.details, p.id AS parcel_id, p.sheet_number, p.parcel_number, p.status, p.version,
            round(CAST(p.area_m2 AS numeric), 2) AS area_m2, p.land_use_codes
     FROM matches m LEFT JOIN parcels p ON p.commune_code = ? AND p.commune_code = m.commune_code AND p.id = m.parcel_id
     WHERE m.commune_code = ? AND m.record_id = ? ORDER BY m.id`,
    [commune, commune, recordId],
  )
  const { rows: candidates } = await knex.raw(
    `SELECT c.parcel_id, c.score, c.rank, c.reasons, p.sheet_number, p.parcel_number, p.status, p.version,
            round(CAST(p.area_m2 AS numeric), 2) AS area_m2, p.land_use_codes, p.owner_name
     FROM match_candidates c JOIN parcels p ON p.commune_code = c.commune_code AND p.id = c.parcel_id
     WHERE c.commune_code = ? AND c.record_id = ? ORDER BY c.rank`,
    [commune, recordId],
  )
  const parcel = (r: Record<string, any>) => ({ id: r.parcel_id, sheet: r.sheet_number, number: r.parcel_number, status: r.status, version: r.version, areaM2: r.area_m2, landUseCodes: r.land_use_codes })
  return {
    commune,
    record: { ...recordView(record), sheetRaw: record.sheet_number_raw, numberRaw: record.parcel_number_raw, landUseRaw: record.land_use_raw, attributes: record.attributes, importJobId: record.import_job_id, sourceRow: record.source_row, createdAt: record.created_at, updatedAt: record.updated_at },
    links: links.map((l: Record<string, any>) => ({ matchId: l.match_id, category: l.category, decided: l.decided, details: l.details, parcel: l.parcel_id === null ? null : parcel(l) })),
    candidateParcels: candidates.map((c: Record<string, any>) => ({ score: c.score, rank: c.rank, reasons: c.reasons, parcel: { ...parcel(c), ownerName: c.owner_name } })),
    history: await history(knex, commune, null, [recordId]),
  }
}

function recordView(r: Record<string, any>) {
  return {
    id: r.id,
    sheet: r.sheet_number,
    number: r.parcel_number,
    ownerName: r.owner_name,
    owners: r.owners,
    certificateSerial: r.certificate_serial,
    bookEntryNumber: r.book_entry_number,
    legalAreaM2: r.legal_area_m2,
    landUseCodes: r.land_use_codes,
    address: r.address,
    version: r.version,
  }
}

/** Events about the parcel or any of its records, newest first. */
async function history(knex: Knex, commune: string, parcelId: number | null, recordIds: number[]) {
  const rows = await knex('reconciliation_events')
    .where({ commune_code: commune })
    .andWhere((w) => {
      if (parcelId !== null) w.orWhere('parcel_id', parcelId)
      if (recordIds.length > 0) w.orWhereIn('record_id', recordIds)
    })
    .orderBy('seq', 'desc')
    .limit(HISTORY_LIMIT)
  return rows.map(eventView)
}
