/**
 * The integration package of a signed commune (gói đồng bộ tích hợp): what the provincial land
 * information system takes in. A zip holding
 *   parcels.wgs84.geojson    the signed parcels in WGS84 (EPSG:4326, 7 decimals)
 *   parcels.vn2000.geojson   the same in their stored VN-2000 TM-3 CRS (metres, mm), with a crs member
 *   records.json             the attribute records linked to them
 *   entries.jsonl            each parcel's signed book entry, JCS, one per line
 *   proofs.json              each parcel's entry hash, batch and Merkle inclusion proof
 *   signatures/batch-N.json  the exact bytes batch N's signature covers (its statement with the root)
 *   signatures/batch-N.p7s   the detached CMS (DER), signer chain inside
 *   manifest.json            counts, batches, and the SHA-256 and size of every other file
 * Exporting is refused unless every parcel of the commune is signed (or `partial`) and every
 * signature verifies; the export is recorded and the signed parcels move to `synced`.
 */
import { createHash } from 'node:crypto'
import type { Readable } from 'node:stream'
import type { Knex } from 'knex'
import yazl from 'yazl'
import { Conflict } from '../errors.js'
import { existingCommune, type BatchRow } from './batches.js'
import { ENTRY_FORMAT } from './entry.js'
import { MERKLE_ALGORITHM } from './merkle.js'
import { verifyParcels } from './verify.js'

export const EXPORT_FORMAT = 'landbook-export/1'
const EXPORTABLE = ['signed', 'synced']

export interface ExportOptions {
  exportedBy?: number | null
  /** Export the signed parcels even when others in the commune are not signed yet. */
  partial?: boolean
  /** The package layout; only 'landbook' for now (others may follow). */
  format?: 'landbook'
}

export interface ManifestFile {
  path: string
  bytes: number
  sha256: string
}

export interface ExportPackage {
  id: number
  commune: string
  fileName: string
  parcelCount: number
  manifest: Record<string, unknown>
  /** The zip, streamed as it is written. */
  zip: Readable
}

/** FeatureCollection of the commune's signed parcels; `wgs84`: transformed, else as stored. */
async function parcelsGeoJson(db: Knex | Knex.Transaction, commune: string, wgs84: boolean): Promise<string> {
  const { rows: [row] } = await db.raw(
    `SELECT COALESCE(json_agg(json_build_object(
              'type', 'Feature', 'id', p.id,
              'geometry', CAST(ST_AsGeoJSON(CASE WHEN ? THEN ST_Transform(p.geom, 4326) ELSE p.geom END, CASE WHEN ? THEN 7 ELSE 3 END) AS json),
              'properties', json_build_object('commune', p.commune_code, 'sheet', p.sheet_number, 'parcel', p.parcel_number,
                'areaM2', round(CAST(p.area_m2 AS numeric), 2), 'legalAreaM2', p.legal_area_m2, 'landUse', p.land_use_codes,
                'ownerName', p.owner_name, 'address', p.address, 'placeName', p.place_name, 'srid', p.srid, 'version', p.version,
                'entryHash', s.entry_hash, 'batch', s.batch_id)
            ) ORDER BY p.id), '[]') AS features,
            array_agg(DISTINCT p.srid) AS srids
     FROM parcels p JOIN parcel_signatures s ON s.commune_code = p.commune_code AND s.parcel_id = p.id AND s.state = 'valid'
     WHERE p.commune_code = ? AND p.status = ANY(?)`,
    [wgs84, wgs84, commune, EXPORTABLE],
  )
  const srids: number[] = (row.srids ?? []).filter((s: number | null) => s !== null)
  const crs = wgs84 ? undefined : srids.length === 1 ? { type: 'name', properties: { name: `urn:ogc:def:crs:EPSG::${srids[0]}` } } : undefined
  return JSON.stringify({ type: 'FeatureCollection', name: `${commune}-${wgs84 ? 'wgs84' : 'vn2000'}`, ...(crs && { crs }), features: row.features })
}

/** The attribute records linked to the commune's signed parcels. */
async function recordsJson(db: Knex | Knex.Transaction, commune: string): Promise<string> {
  const { rows: [row] } = await db.raw(
    `SELECT COALESCE(json_agg(json_build_object('id', r.id, 'parcelId', m.parcel_id, 'sheet', r.sheet_number, 'parcel', r.parcel_number,
              'ownerName', r.owner_name, 'owners', r.owners, 'certificateSerial', r.certificate_serial, 'bookEntryNumber', r.book_entry_number,
              'legalAreaM2', r.legal_area_m2, 'landUseCodes', r.land_use_codes, 'address', r.address, 'version', r.version) ORDER BY m.parcel_id, r.id), '[]') AS records
     FROM matches m
     JOIN attribute_records r ON r.commune_code = m.commune_code AND r.id = m.record_id
     JOIN parcels p ON p.commune_code = m.commune_code AND p.id = m.parcel_id
     WHERE m.commune_code = ? AND p.status = ANY(?)`,
    [commune, EXPORTABLE],
  )
  return JSON.stringify(row.records)
}

async function assertExportable(db: Knex, commune: string, partial: boolean): Promise<void> {
  const statuses: Array<{ status: string; n: string }> = await db('parcels').where({ commune_code: commune }).groupBy('status').select('status', db.raw('count(*) AS n'))
  const count = (s: string[]) => statuses.filter((r) => s.includes(r.status)).reduce((a, r) => a + Number(r.n), 0)
  const signed = count(EXPORTABLE)
  const others = statuses.filter((r) => !EXPORTABLE.includes(r.status) && Number(r.n) > 0)
  if (signed === 0) throw new Conflict(`Xã ${commune} chưa có thửa nào được ký số; chỉ xuất gói đồng bộ cho xã đã ký (the commune is not signed).`, { field: 'code' })
  if (others.length > 0 && !partial) {
    throw new Conflict(
      `Xã ${commune} chưa ký xong: còn ${others.map((r) => `${r.n} thửa ${r.status}`).join(', ')}; ký hết rồi xuất, hoặc xuất phần đã ký với partial=true (the commune is not fully signed).`,
      { field: 'code' },
      { statuses: Object.fromEntries(statuses.map((r) => [r.status, Number(r.n)])) },
    )
  }
}

/** Builds the package of a signed commune, records it, moves the signed parcels to synced. */
export async function exportCommune(knex: Knex, code: string, options: ExportOptions = {}): Promise<ExportPackage> {
  const commune = await existingCommune(knex, code)
  await assertExportable(knex, commune, options.partial ?? false)
  const reports = (await verifyParcels(knex, commune)).filter((r) => r.parcelStatus !== null && EXPORTABLE.includes(r.parcelStatus))
  const bad = reports.filter((r) => r.status !== 'valid')
  if (bad.length > 0) {
    throw new Conflict(
      `${bad.length} thửa đã ký của xã ${commune} không còn chữ ký hợp lệ (${bad.slice(0, 10).map((r) => `${r.parcelId}: ${r.status}${r.fields ? ` ${r.fields.join('/')}` : ''}`).join('; ')}); chạy kiểm tra chữ ký và ký lại trước khi xuất (signatures do not verify).`,
      { field: 'code' },
      { parcels: bad.slice(0, 100).map((r) => ({ parcelId: r.parcelId, status: r.status, fields: r.fields })) },
    )
  }

  const signatures: Array<{ parcel_id: string | number; batch_id: string | number; entry_hash: string; entry: string; proof: { leafIndex: number; treeSize: number; path: string[] } }> = await knex('parcel_signatures as s')
    .join('parcels as p', (j) => j.on('p.commune_code', 's.commune_code').andOn('p.id', 's.parcel_id'))
    .where({ 's.commune_code': commune, 's.state': 'valid' })
    .whereIn('p.status', EXPORTABLE)
    .orderBy('s.parcel_id')
    .select('s.parcel_id', 's.batch_id', 's.entry_hash', 's.entry', 's.proof')
  const batchIds = [...new Set(signatures.map((s) => Number(s.batch_id)))].sort((a, b) => a - b)
  const batches = (await knex('signature_batches').where({ commune_code: commune }).whereIn('id', batchIds).orderBy('id')) as BatchRow[]
  const communeRow = await knex('communes').where({ code: commune }).first()

  const files: Array<{ path: string; data: Buffer }> = [
    { path: 'parcels.wgs84.geojson', data: Buffer.from(await parcelsGeoJson(knex, commune, true)) },
    { path: 'parcels.vn2000.geojson', data: Buffer.from(await parcelsGeoJson(knex, commune, false)) },
    { path: 'records.json', data: Buffer.from(await recordsJson(knex, commune)) },
    { path: 'entries.jsonl', data: Buffer.from(signatures.map((s) => `${s.entry}\n`).join('')) },
    {
      path: 'proofs.json',
      data: Buffer.from(JSON.stringify(signatures.map((s) => ({ parcelId: Number(s.parcel_id), batchId: Number(s.batch_id), entryHash: s.entry_hash, ...s.proof })))),
    },
    ...batches.flatMap((b) => [
      { path: `signatures/batch-${b.id}.json`, data: b.content! },
      { path: `signatures/batch-${b.id}.p7s`, data: b.cms! },
    ]),
  ]
  const exportedAt = new Date()
  const manifestFiles: ManifestFile[] = files.map((f) => ({ path: f.path, bytes: f.data.length, sha256: createHash('sha256').update(f.data).digest('hex') }))
  const manifest = {
    format: EXPORT_FORMAT,
    commune: { code: commune, name: communeRow?.name ?? null, provinceCode: communeRow?.province_code ?? null },
    exportedAt: exportedAt.toISOString(),
    parcels: signatures.length,
    crs: { wgs84: 'EPSG:4326', stored: 'VN-2000 TM-3, per feature (properties.srid)' },
    entryFormat: ENTRY_FORMAT,
    merkle: MERKLE_ALGORITHM,
    batches: batches.map((b) => ({ id: Number(b.id), root: b.merkle_root, entries: b.entry_count, signer: b.signer_subject, serial: b.signer_serial, issuer: b.signer_issuer, signingTime: b.signing_time?.toISOString() ?? null, content: `signatures/batch-${b.id}.json`, cms: `signatures/batch-${b.id}.p7s` })),
    verify:
      'openssl cms -verify -binary -inform DER -in signatures/batch-N.p7s -content signatures/batch-N.json -CAfile <root CA PEM> -purpose any; then for each line of entries.jsonl: SHA-256 = entryHash, and its proof (RFC 9162 §2.1.3.2, leaf 0x00, node 0x01) leads to the batch root.',
    files: manifestFiles,
  }
  const manifestBytes = Buffer.from(JSON.stringify(manifest, null, 2))
  const fileName = `landbook-${commune}-${exportedAt.toISOString().replace(/[:.]/g, '').slice(0, 15)}.zip`

  const id = await knex.transaction(async (trx) => {
    const [row] = await trx('commune_exports')
      .insert({ commune_code: commune, format: EXPORT_FORMAT, file_name: fileName, parcel_count: signatures.length, manifest_sha256: createHash('sha256').update(manifestBytes).digest('hex'), manifest: JSON.stringify(manifest), exported_by: options.exportedBy ?? null })
      .returning('id')
    await trx.raw(`UPDATE parcels SET status = 'synced', updated_at = now() WHERE commune_code = ? AND status = 'signed'`, [commune])
    return Number(row.id)
  })

  const zip = new yazl.ZipFile()
  for (const f of files) zip.addBuffer(f.data, f.path, { mtime: exportedAt })
  zip.addBuffer(manifestBytes, 'manifest.json', { mtime: exportedAt })
  zip.end()
  return { id, commune, fileName, parcelCount: signatures.length, manifest, zip: zip.outputStream as unknown as Readable }
}

export async function listExports(knex: Knex, code: string) {
  const commune = await existingCommune(knex, code)
  const rows = await knex('commune_exports').where({ commune_code: commune }).orderBy('id', 'desc').select('id', 'format', 'file_name', 'parcel_count', 'manifest_sha256', 'exported_by', 'created_at')
  return rows.map((r) => ({ id: Number(r.id), format: r.format, fileName: r.file_name, parcelCount: r.parcel_count, manifestSha256: r.manifest_sha256, exportedBy: r.exported_by === null ? null : Number(r.exported_by), createdAt: new Date(r.created_at).toISOString() }))
}
