/**
 * A parcel's entry in the electronic cadastral book (trang sổ địa chính điện tử của thửa đất):
 * what a signature covers. Format 1 (ENTRY_FORMAT):
 *
 *   { format: 1, commune, parcelId, sheet, parcel, version,
 *     geometry: { srid, wkbSha256 },      SHA-256 of ST_AsBinary(geom, 'NDR') in the stored CRS
 *     areaM2, legalAreaM2, landUse, ownerName, address, placeName,   as on the map
 *     records: [{ id, version, ownerName, owners, certificateSerial, bookEntryNumber,
 *                 legalAreaM2, landUseCodes, address }],             linked records, by id
 *     reconciliation: { categories, decided, lastEvent: { seq, hash } | null } }
 *
 * serialised with JCS (RFC 8785) and hashed with SHA-256 (hex). The workflow status is not in
 * it (signing and export change it); the parcel version and the last audit event are, so any
 * decision changes the entry. One SQL statement reads the entries of a whole commune.
 */
import { createHash } from 'node:crypto'
import type { Knex } from 'knex'
import { jcs } from './jcs.js'

export const ENTRY_FORMAT = 1

export interface EntryRecord {
  id: number
  version: number
  ownerName: string | null
  owners: unknown
  certificateSerial: string | null
  bookEntryNumber: string | null
  legalAreaM2: number | null
  landUseCodes: string[]
  address: string | null
}

export interface BookEntry {
  format: number
  commune: string
  parcelId: number
  sheet: string
  parcel: string
  version: number
  geometry: { srid: number; wkbSha256: string }
  areaM2: number
  legalAreaM2: number | null
  landUse: string[]
  ownerName: string | null
  address: string | null
  placeName: string | null
  records: EntryRecord[]
  reconciliation: { categories: string[]; decided: boolean; lastEvent: { seq: number; hash: string } | null }
}

export interface CurrentEntry {
  entry: BookEntry
  status: string
}

export function canonicalEntry(entry: BookEntry): string {
  return jcs(entry)
}

export const entryHash = (entry: BookEntry): string => createHash('sha256').update(canonicalEntry(entry), 'utf8').digest('hex')

interface EntryRow {
  id: string | number
  sheet_number: string
  parcel_number: string
  version: number
  status: string
  srid: number
  wkb_sha256: string
  area_m2: string
  legal_area_m2: string | null
  land_use_codes: string[]
  owner_name: string | null
  address: string | null
  place_name: string | null
  records: Array<Omit<EntryRecord, 'legalAreaM2'> & { legalAreaM2: number | string | null }> | null
  categories: string[] | null
  decided: boolean | null
  event_seq: string | number | null
  event_hash: string | null
}

const num = (v: string | number | null): number | null => (v === null ? null : Number(v))

function toEntry(commune: string, r: EntryRow): BookEntry {
  return {
    format: ENTRY_FORMAT,
    commune,
    parcelId: Number(r.id),
    sheet: r.sheet_number,
    parcel: r.parcel_number,
    version: r.version,
    geometry: { srid: r.srid, wkbSha256: r.wkb_sha256 },
    areaM2: Number(r.area_m2),
    legalAreaM2: num(r.legal_area_m2),
    landUse: r.land_use_codes,
    ownerName: r.owner_name,
    address: r.address,
    placeName: r.place_name,
    records: (r.records ?? []).map((rec) => ({ ...rec, id: Number(rec.id), legalAreaM2: num(rec.legalAreaM2) })),
    reconciliation: {
      categories: r.categories ?? [],
      decided: r.decided ?? false,
      lastEvent: r.event_seq === null ? null : { seq: Number(r.event_seq), hash: r.event_hash! },
    },
  }
}

/**
 * The current entries of a commune's parcels (all, or those of `parcelIds`; also only those of
 * `statuses`), in parcel id order, with each parcel's workflow status.
 */
export async function currentEntries(db: Knex | Knex.Transaction, commune: string, filter: { parcelIds?: number[]; statuses?: string[] } = {}): Promise<CurrentEntry[]> {
  // Links and the last audit event are aggregated per parcel of the commune, then joined.
  const { rows } = await db.raw<{ rows: EntryRow[] }>(
    `WITH links AS (
       SELECT m.parcel_id,
              json_agg(json_build_object('id', r.id, 'version', r.version, 'ownerName', r.owner_name, 'owners', r.owners,
                                         'certificateSerial', r.certificate_serial, 'bookEntryNumber', r.book_entry_number,
                                         'legalAreaM2', r.legal_area_m2, 'landUseCodes', r.land_use_codes, 'address', r.address)
                       ORDER BY r.id) FILTER (WHERE r.id IS NOT NULL) AS records,
              array_agg(DISTINCT m.category ORDER BY m.category) AS categories,
              bool_and(m.decided) AS decided
       FROM matches m LEFT JOIN attribute_records r ON r.commune_code = m.commune_code AND r.id = m.record_id
       WHERE m.commune_code = ? AND m.parcel_id IS NOT NULL
       GROUP BY m.parcel_id
     ), last_events AS (
       SELECT DISTINCT ON (parcel_id) parcel_id, seq, hash FROM reconciliation_events
       WHERE commune_code = ? AND parcel_id IS NOT NULL ORDER BY parcel_id, seq DESC
     )
     SELECT p.id, p.sheet_number, p.parcel_number, p.version, p.status, p.srid,
            encode(sha256(ST_AsBinary(p.geom, 'NDR')), 'hex') AS wkb_sha256,
            round(CAST(p.area_m2 AS numeric), 2) AS area_m2, p.legal_area_m2, p.land_use_codes,
            p.owner_name, p.address, p.place_name,
            l.records, l.categories, l.decided, e.seq AS event_seq, e.hash AS event_hash
     FROM parcels p
     LEFT JOIN links l ON l.parcel_id = p.id
     LEFT JOIN last_events e ON e.parcel_id = p.id
     WHERE p.commune_code = ?
       AND (CAST(? AS bigint[]) IS NULL OR p.id = ANY(CAST(? AS bigint[])))
       AND (CAST(? AS text[]) IS NULL OR p.status = ANY(CAST(? AS text[])))
     ORDER BY p.id`,
    [commune, commune, commune, filter.parcelIds ?? null, filter.parcelIds ?? null, filter.statuses ?? null, filter.statuses ?? null],
  )
  return rows.map((r) => ({ entry: toEntry(commune, r), status: r.status }))
}

/** The fields (dotted paths, e.g. "geometry.wkbSha256", "records[0].ownerName") whose values differ. */
export function diffEntries(signed: unknown, current: unknown, at = ''): string[] {
  if (jcs(signed ?? null) === jcs(current ?? null)) return []
  const bothObjects = signed !== null && current !== null && typeof signed === 'object' && typeof current === 'object' && Array.isArray(signed) === Array.isArray(current)
  if (!bothObjects) return [at || '(entry)']
  if (Array.isArray(signed) && Array.isArray(current)) {
    // Lists of scalars (land use codes) are one field; lists of records are compared by position.
    if (signed.some((v) => typeof v !== 'object') || current.some((v) => typeof v !== 'object') || signed.length !== current.length) return [at]
    return signed.flatMap((v, i) => diffEntries(v, current[i], `${at}[${i}]`))
  }
  const a = signed as Record<string, unknown>
  const b = current as Record<string, unknown>
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()
  return keys.flatMap((k) => diffEntries(a[k], b[k], at ? `${at}.${k}` : k))
}
