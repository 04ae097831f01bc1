/**
 * The `communes` collection (xã/phường): each commune's boundary with its progress figures as
 * flat properties (GIS tools want one column per figure): parcels per workflow status,
 * records, discrepancies per category, the share reconciled and signed, the last matching.
 * The counts come from the progress counters (src/progress), kept by triggers, so a page of
 * every commune of a province costs a few milliseconds, not a scan of its 1.6 million parcels.
 */
import type { Knex } from 'knex'
import { CATEGORIES } from '../matching/index.js'
import { readCounters } from '../progress/index.js'
import { communesExtent, type CollectionDef, type FeatureRow, type Scope } from './collection.js'
import type { OgcCrs } from './crs.js'
import { PARCEL_STATUSES, type ItemsQuery } from './params.js'
import { addBbox, geometryJson, keyset, Where } from './sql.js'

const COLUMNS = 'c.code, c.name, c.province_code, c.srid, c.updated_at, lr.finished_at AS last_matched_at'

const LAST_RUN = `
  LEFT JOIN LATERAL (SELECT finished_at FROM match_runs mr WHERE mr.commune_code = c.code AND mr.state = 'succeeded'
                     ORDER BY mr.finished_at DESC NULLS LAST LIMIT 1) lr ON TRUE`

interface Counts {
  records: number
  statuses: Record<string, number>
  categories: Record<string, number>
}

/** The progress counters of the communes on the page, by code. */
async function countsOf(knex: Knex, codes: string[]): Promise<Map<string, Counts>> {
  const byCode = new Map<string, Counts>(codes.map((code) => [code, { records: 0, statuses: {}, categories: {} }]))
  if (codes.length === 0) return byCode
  for (const row of await readCounters(knex, codes)) {
    const counts = byCode.get(row.commune_code)
    if (!counts) continue
    const n = Number(row.n)
    if (row.metric === 'records') counts.records += n
    else if (row.metric.startsWith('status:')) counts.statuses[row.metric.slice(7)] = (counts.statuses[row.metric.slice(7)] ?? 0) + n
    else if (row.metric.startsWith('category:')) counts.categories[row.metric.slice(9)] = (counts.categories[row.metric.slice(9)] ?? 0) + n
  }
  return byCode
}

/** Rows of the communes table with their figures, as features. */
async function toFeatures(knex: Knex, rows: Array<Record<string, any>>): Promise<FeatureRow[]> {
  const counts = await countsOf(knex, rows.map((r) => r.code))
  return rows.map((row) => toFeature(row, counts.get(row.code)!))
}

async function filters(knex: Knex, query: ItemsQuery, scope: Scope): Promise<Where> {
  const where = new Where()
  if (scope.visible) where.add('c.code = ANY(?::text[])', scope.visible)
  if (query.communes) where.add('c.code = ANY(?::text[])', query.communes)
  if (query.bbox) await addBbox(knex, where, query.bbox, 'c.boundary', 'c.srid')
  return where
}

const percent = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10)

function toFeature(row: Record<string, any>, { statuses, categories, records }: Counts): FeatureRow {
  const parcels = Object.values(statuses).reduce((a, b) => a + Number(b), 0)
  const count = (counts: Record<string, number>, key: string) => Number(counts[key] ?? 0)
  const reconciled = count(statuses, 'reconciled') + count(statuses, 'signed') + count(statuses, 'synced')
  const signed = count(statuses, 'signed') + count(statuses, 'synced')
  return {
    id: row.code,
    key: [row.code],
    geometry: row.geometry,
    properties: {
      code: row.code,
      name: row.name,
      province_code: row.province_code,
      srid: row.srid,
      parcels,
      records,
      ...Object.fromEntries(PARCEL_STATUSES.map((s) => [`parcels_${s}`, count(statuses, s)])),
      ...Object.fromEntries(CATEGORIES.map((c) => [c, count(categories, c)])),
      discrepancies: CATEGORIES.filter((c) => c !== 'matched').reduce((sum, c) => sum + count(categories, c), 0),
      reconciled_percent: percent(reconciled, parcels),
      signed_percent: percent(signed, parcels),
      last_matched_at: row.last_matched_at ? new Date(row.last_matched_at).toISOString() : null,
    },
  }
}

export const communesCollection: CollectionDef = {
  id: 'communes',
  title: 'Xã, phường (communes)',
  description:
    'Ranh giới xã/phường với số liệu tiến độ: số thửa theo trạng thái, số hồ sơ, số sai lệch theo loại, tỷ lệ đã đối soát và đã ký. ' +
    '(Commune boundaries with progress figures.)',
  spatial: true,
  parameters: ['bbox', 'bbox-crs', 'crs', 'commune'],
  filters: { commune: 'Mã xã, 5 chữ số; nhiều mã ngăn bằng dấu phẩy (commune code(s))' },
  properties: {
    code: { type: 'string', title: 'Mã xã (commune code)' },
    name: { type: 'string', title: 'Tên xã (name)' },
    province_code: { type: 'string', title: 'Mã tỉnh (province code)' },
    srid: { type: 'integer', title: 'Hệ tọa độ của dữ liệu, EPSG (dataset CRS)' },
    parcels: { type: 'integer', title: 'Số thửa (parcels)' },
    records: { type: 'integer', title: 'Số hồ sơ (attribute records)' },
    ...Object.fromEntries(PARCEL_STATUSES.map((s) => [`parcels_${s}`, { type: 'integer', title: `Số thửa ${s} (parcels with status ${s})` }])),
    ...Object.fromEntries(CATEGORIES.map((c) => [c, { type: 'integer', title: `Số liên kết loại ${c} (links in category ${c})` }])),
    discrepancies: { type: 'integer', title: 'Số sai lệch (discrepancies, all categories but matched)' },
    reconciled_percent: { type: 'number', title: '% thửa đã đối soát (reconciled, signed or synced)' },
    signed_percent: { type: 'number', title: '% thửa đã ký số (signed or synced)' },
    last_matched_at: { type: 'string', format: 'date-time', title: 'Đối chiếu lần cuối (last matching run)' },
  },

  async page(knex, query, scope) {
    const where = await filters(knex, query, scope)
    const { order } = keyset(where, ['c.code'], query.cursor)
    const geometry = geometryJson('c.boundary', 'c.srid', query.crs)
    const { rows } = await knex.raw(
      `SELECT ${COLUMNS}, ${geometry.sql} AS geometry FROM communes c ${LAST_RUN} WHERE ${where.sql} ORDER BY ${order} LIMIT ?`,
      [...geometry.bindings, ...where.bindings, query.limit + 1],
    )
    return toFeatures(knex, rows)
  },

  async count(knex, query, scope) {
    const where = await filters(knex, query, scope)
    const { rows } = await knex.raw(`SELECT count(*) AS n FROM communes c WHERE ${where.sql}`, where.bindings)
    return Number(rows[0].n)
  },

  async one(knex, featureId, crs: OgcCrs) {
    if (!/^\d{5}$/.test(featureId)) return null
    const geometry = geometryJson('c.boundary', 'c.srid', crs)
    const { rows } = await knex.raw(`SELECT ${COLUMNS}, ${geometry.sql} AS geometry FROM communes c ${LAST_RUN} WHERE c.code = ?`, [
      ...geometry.bindings,
      featureId,
    ])
    return rows[0] ? { commune: featureId, feature: (await toFeatures(knex, rows))[0]! } : null
  },

  extent: communesExtent,
}
