/**
 * Loading one parcel dataset (a commune's shapefile set or GeoJSON) into `parcels`, in one
 * transaction: stream → normalise → check → COPY, then the PostGIS checks, then the sheets
 * the file delivers replace the commune's earlier parcels on those sheets (kept in
 * `parcel_history`). Every rejected, repaired or suspicious row becomes a finding.
 */
import type { Knex } from 'knex'
import { normalizeCommuneCode } from '../../communes/index.js'
import { Conflict, Invalid } from '../../errors.js'
import { BinaryCopyWriter, copyBinary } from '../binary-copy.js'
import { resolveParcelFields, type FieldMapping } from '../fields.js'
import { FindingLog } from '../findings.js'
import { checkPolygons, FATAL_PROBLEMS } from '../geometry-checks.js'
import { assembleLastItemHoles } from '../rings.js'
import { ShapeStore } from '../shapes.js'
import type { FeatureSource, SourceFeature } from '../sources/types.js'
import { EdgeIndex } from '../topology.js'
import { OverlapFilter } from '../overlap-filter.js'
import { cleanText, normalizeNumberText, splitLandUse, toNumber } from '../values.js'
import { chooseStorageCrs, type StorageCrs } from './storage-crs.js'
import { gapsFrom, overlapsOf, repairGeometries, rowsOutsideBoundary } from './sql-checks.js'
import { findings } from './messages.js'
import { saveFindings } from './report.js'
import { PARCEL_COLUMNS, writeParcelRow } from './parcel-row.js'
import { attachPartition, buildIndexes, parcelTarget } from './partitions.js'

export interface ParcelLoadOptions {
  communeCode?: string
  mapping?: FieldMapping
  /** Overlaps smaller than this (m²) are ignored: digitising noise, not a finding. */
  overlapMinArea?: number
  onProgress?: (done: number, total: number | null) => void
  /** Runs inside the load transaction after the data, so the job's outcome commits with it. */
  onLoaded?: (trx: Knex.Transaction, result: ParcelLoadResult) => Promise<void>
}

export interface ParcelLoadResult {
  communeCode: string
  parcels: number
  rejected: number
  sheets: string[]
  replacedParcels: number
  findingCounts: Record<string, number>
  report: Record<string, unknown>
}

export async function loadParcelSource(knex: Knex, jobId: number, source: FeatureSource, options: ParcelLoadOptions = {}): Promise<ParcelLoadResult> {
  const file = source.file
  const log = new FindingLog()
  source.findings.forEach((f) => log.add(f))
  const fields = resolveParcelFields(source.columns, file, options.mapping)

  const iterator = source.features()[Symbol.asyncIterator]()
  const first = await iterator.next()
  const communeCode = options.communeCode
    ? normalizeCommuneCode(options.communeCode)
    : communeFromData(file, fields.commune && !first.done ? first.value.rawText[fields.commune] : undefined)
  const commune = await knex('communes').where({ code: communeCode }).first('code', 'srid')
  if (!commune) throw new Invalid(`Tệp ${file}: xã mã ${communeCode} chưa được khai báo trong hệ thống (commune not registered).`, { file, field: fields.commune })
  const crs: StorageCrs = await chooseStorageCrs(knex, source, commune.srid)
  crs.findings.forEach((f) => log.add(f))

  // Mapped fields live in their own columns (with their raw text); the rest of the row is kept here.
  const mapped = new Set([fields.sheet, fields.parcel, fields.legalArea, fields.landUse, fields.owner, fields.address, fields.placeName])
  // The accepted parcels' geometry, item by item (item i is the parcel of source row edgeRows[i]).
  const store = new ShapeStore()
  const edges = new EdgeIndex(source.total ?? 0)
  const shapes = new OverlapFilter(store)
  const edgeRows: number[] = []
  const toRepair: number[] = []
  const keys = new Map<string, number>()
  const sheets = new Set<string>()
  let rejected = 0
  let loaded = 0
  let done = 0

  // A file's commune field holds one value on almost every row: each distinct value is judged once.
  const otherCommune = new Map<string, boolean>()
  const isOtherCommune = (raw: string): boolean => {
    let other = otherCommune.get(raw)
    if (other === undefined) otherCommune.set(raw, (other = /^\d{1,5}(\.0+)?$/.test(raw) && normalizeCommuneCode(raw) !== communeCode))
    return other
  }

  /** Checks the feature and writes it as a row; false when it is rejected (with its finding). */
  const addParcel = (feature: SourceFeature, writer: BinaryCopyWriter): boolean => {
    const { row } = feature
    const at = { file, row }
    for (const repair of feature.textRepairs ?? []) log.add(findings.residue(at, repair.field, repair.before, repair.after))
    for (const field of feature.nulReplaced ?? []) log.add(findings.nulReplaced(at, field))
    if (feature.deleted) {
      log.add(findings.deletedRecord(at))
      return false
    }
    if (!feature.polygons) {
      log.add(findings.nullShape(at, feature.nullReason))
      return false
    }
    const sheetRaw = feature.rawText[fields.sheet!] ?? ''
    const parcelRaw = feature.rawText[fields.parcel!] ?? ''
    const sheet = normalizeNumberText(sheetRaw)
    const parcel = normalizeNumberText(parcelRaw)
    if (!sheet || !parcel) {
      const field = !sheet ? fields.sheet! : fields.parcel!
      log.add(findings.missingKey(at, field))
      return false
    }
    if (fields.commune) {
      const raw = feature.rawText[fields.commune]?.trim()
      if (raw && isOtherCommune(raw)) {
        log.add(findings.otherCommune(at, fields.commune, raw, communeCode))
        return false
      }
    }
    const item = store.items
    if (store.add(feature.polygons, crs.transform) > 0) log.add(findings.ringClosed(at))
    const rewound = assembleLastItemHoles(store)
    if (rewound > 0) log.add(findings.holesRewound(at, rewound))
    const problems = checkPolygons(store, item)
    const fatal = problems.find((p) => FATAL_PROBLEMS.has(p.code))
    if (fatal) {
      log.add(findings.geometryRejected(at, sheet, parcel, fatal))
      store.pop()
      return false
    }
    if (problems.length > 0) toRepair.push(row)
    const key = `${sheet}\u0000${parcel}`
    const firstRow = keys.get(key)
    if (firstRow === undefined) keys.set(key, row)
    else log.add(findings.duplicateKey(at, sheet, parcel, firstRow))
    edges.add(item, store)
    shapes.add(item)
    edgeRows.push(row)
    sheets.add(sheet)
    const p = feature.attributes
    const landUse = fields.landUse ? cleanText(p[fields.landUse]) : null
    writeParcelRow(writer, {
      communeCode, sheet, parcel, sheetRaw, parcelRaw, shapes: store, item, srid: crs.srid,
      legalArea: fields.legalArea ? toNumber(p[fields.legalArea]) : null,
      landUseCodes: splitLandUse(landUse), landUse, owner: fields.owner ? cleanText(p[fields.owner]) : null,
      address: fields.address ? cleanText(p[fields.address]) : null, placeName: fields.placeName ? cleanText(p[fields.placeName]) : null,
      attributes: unmappedAttributes(p, mapped), jobId, row,
    })
    return true
  }

  /** The rows in binary COPY chunks: one await per feature read, none per row written. */
  async function* chunks(): AsyncGenerator<Buffer> {
    const writer = new BinaryCopyWriter()
    let next = first
    while (!next.done) {
      if (addParcel(next.value, writer)) loaded++
      else rejected++
      if (++done % 2000 === 0) options.onProgress?.(done, source.total)
      // Not `yield*`: delegating to an array from an async generator awaits even when it is empty.
      for (const chunk of writer.take()) yield chunk
      next = await iterator.next()
    }
    options.onProgress?.(done, source.total)
    yield* writer.finish()
  }

  return knex.transaction(async (trx) => {
    // PostGIS functions are costed high, so commune-sized checks cross jit_above_cost and
    // spent longer compiling (20-50 ms a query) than running.
    await trx.raw('SET LOCAL jit = off')
    const target = await parcelTarget(trx, communeCode)
    const before = target.fresh ? 0 : await countParcels(trx, communeCode)
    await copyBinary(trx, target.table, PARCEL_COLUMNS, chunks(), { freeze: target.fresh })
    if (loaded === 0) throw new Invalid(findings.nothingLoaded(file, done), { file })
    await buildIndexes(trx, target)
    if (!target.fresh) {
      await refuseToReplaceSignedParcels(trx, communeCode, [...sheets], jobId, file)
      const decided = await decidedParcelsOn(trx, communeCode, [...sheets], jobId)
      if (decided.parcels > 0) log.add(findings.decisionsReplaced(file, decided.parcels, decided.sheets))
    }
    const replacedParcels = target.fresh ? 0 : await supersedeSheets(trx, communeCode, [...sheets], jobId)

    const repairs = await repairGeometries(trx, target.table, communeCode, jobId, toRepair)
    for (const r of repairs) log.add(findings.repaired(file, r))
    const candidateItems = edges.candidates()
    const candidates = candidateItems.map((i) => edgeRows[i]!)
    for (const o of await rowsOutsideBoundary(trx, target.table, communeCode, jobId, candidates)) log.add(findings.outsideCommune(file, o, communeCode))
    const pairs = shapes.pairs(candidateItems).map(([a, b]) => [edgeRows[a]!, edgeRows[b]!] as [number, number])
    const othersPresent = before > replacedParcels
    const overlaps = await overlapsOf(trx, target.table, communeCode, jobId, pairs, candidates, othersPresent, options.overlapMinArea ?? 0.1)
    for (const o of overlaps) log.add(findings.overlap(file, o, jobId))
    for (const g of await gapsFrom(trx, target.table, communeCode, crs.srid, edges.unsharedSegments())) log.add(findings.gap(file, g))
    await trx.raw(`INSERT INTO map_sheets (commune_code, sheet_number, srid) SELECT ?, unnest(?::text[]), ? ON CONFLICT DO NOTHING`, [communeCode, [...sheets], crs.srid])
    await saveFindings(trx, jobId, communeCode, log)
    const emptied = repairs.filter((r) => r.emptied).length
    const parcels = loaded - emptied
    const report = { ...source.report, file, srid: crs.srid, crsSource: crs.source, fields, candidates: candidates.length }
    const result = { communeCode, parcels, rejected: rejected + emptied, sheets: [...sheets].sort(), replacedParcels, findingCounts: log.counts(), report }
    await attachPartition(trx, target, communeCode)
    await options.onLoaded?.(trx, result)
    return result
  })
}

function unmappedAttributes(attributes: Record<string, unknown>, mapped: Set<string | undefined>): Record<string, unknown> {
  const rest: Record<string, unknown> = {}
  for (const key in attributes) if (!mapped.has(key)) rest[key] = attributes[key]
  return rest
}

async function countParcels(trx: Knex.Transaction, communeCode: string): Promise<number> {
  const [row] = await trx('parcels').where({ commune_code: communeCode }).count<Array<{ n: number }>>({ n: '*' })
  return Number(row?.n ?? 0)
}

/**
 * A signed parcel is a signed entry of the cadastral book: a new delivery of its sheet does not
 * replace it silently. The signature must first be superseded by a decision (reopen), which
 * sends the parcel back to review; then the sheet can be re-imported.
 */
async function refuseToReplaceSignedParcels(trx: Knex.Transaction, communeCode: string, sheets: string[], jobId: number, file: string): Promise<void> {
  const { rows } = await trx.raw<{ rows: Array<{ sheet_number: string; n: number }> }>(
    `SELECT sheet_number, count(*)::int AS n FROM parcels
     WHERE commune_code = ? AND sheet_number = ANY(?::text[]) AND import_job_id IS DISTINCT FROM ? AND status IN ('signed', 'synced')
     GROUP BY sheet_number ORDER BY sheet_number`,
    [communeCode, sheets, jobId],
  )
  if (rows.length === 0) return
  const total = rows.reduce((sum, r) => sum + r.n, 0)
  const list = rows.map((r) => `tờ ${r.sheet_number}: ${r.n} thửa`).join('; ')
  throw new Conflict(
    `Tệp ${file}: xã ${communeCode} có ${total} thửa đã ký số trên các tờ bản đồ tệp này giao lại (${list}); thửa đã ký không bị thay thế. Hãy mở lại (reopen) các thửa đó để hủy hiệu lực chữ ký rồi nhập lại (signed parcels are not replaced by a re-import; nothing was changed).`,
    { file },
    { signedParcels: total, sheets: rows.map((r) => r.sheet_number) },
  )
}

/** Parcels on the re-delivered sheets that carry a clerk's decision (they go to history with it). */
async function decidedParcelsOn(trx: Knex.Transaction, communeCode: string, sheets: string[], jobId: number): Promise<{ parcels: number; sheets: string[] }> {
  const { rows } = await trx.raw<{ rows: Array<{ sheet_number: string; n: number }> }>(
    `SELECT p.sheet_number, count(DISTINCT p.id)::int AS n FROM parcels p
     JOIN matches m ON m.commune_code = p.commune_code AND m.parcel_id = p.id AND m.decided
     WHERE p.commune_code = ? AND p.sheet_number = ANY(?::text[]) AND p.import_job_id IS DISTINCT FROM ?
     GROUP BY p.sheet_number ORDER BY p.sheet_number`,
    [communeCode, sheets, jobId],
  )
  return { parcels: rows.reduce((sum, r) => sum + r.n, 0), sheets: rows.map((r) => r.sheet_number) }
}

/** Moves the commune's earlier parcels on the re-delivered sheets to history; returns how many. */
async function supersedeSheets(trx: Knex.Transaction, communeCode: string, sheets: string[], jobId: number): Promise<number> {
  // The commune's matching lock: a matching run or a decision never links a parcel being replaced
  // (matches → parcels is checked per statement, see migration 20261123104000).
  await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`landbook.match.${communeCode}`])
  const { rowCount } = await trx.raw(
    `WITH replaced AS (
       DELETE FROM parcels WHERE commune_code = ? AND sheet_number = ANY(?::text[]) AND import_job_id IS DISTINCT FROM ?
       RETURNING *
     )
     INSERT INTO parcel_history (id, commune_code, sheet_number, parcel_number, sheet_number_raw, parcel_number_raw, geom, srid,
       area_m2, legal_area_m2, land_use_codes, land_use_raw, owner_name, address, place_name, attributes, import_job_id,
       source_row, status, version, created_at, updated_at, superseded_by_job)
     SELECT id, commune_code, sheet_number, parcel_number, sheet_number_raw, parcel_number_raw, geom, srid,
       area_m2, legal_area_m2, land_use_codes, land_use_raw, owner_name, address, place_name, attributes, import_job_id,
       source_row, status, version, created_at, updated_at, ? FROM replaced`,
    [communeCode, sheets, jobId, jobId],
  )
  return rowCount ?? 0
}

/** The commune code from the file's commune field, else from a 5-digit code in the file name. */
function communeFromData(file: string, fieldValue: string | undefined): string {
  if (fieldValue && fieldValue.trim() !== '') return normalizeCommuneCode(fieldValue)
  const fromName = /(?:^|\D)(\d{5})(?:\D|$)/.exec(file)?.[1]
  if (fromName) return fromName
  throw new Invalid(`Tệp ${file}: không xác định được mã xã (không có trường mã xã, tên tệp không chứa mã); hãy chọn xã khi nhập (commune code not found).`, { file })
}
