/**
 * The `parcels` collection (thửa đất): every spatial parcel with its cadastral key, areas,
 * land use, owner, workflow status and discrepancy category (from matching). One statement
 * per page, walking the primary key (commune_code, id) from the cursor, so a page costs the
 * same at the start or the end of a province.
 */
import type { Knex } from 'knex'
import { communesExtent, splitFeatureId, type CollectionDef, type FeatureRow, type Scope } from './collection.js'
import type { OgcCrs } from './crs.js'
import type { ItemsQuery } from './params.js'
import { addBbox, addDatetime, geometryJson, keyset, Where } from './sql.js'

/** A parcel's category: the first that is not `matched` (a parcel may have several links), else `matched`. */
const CATEGORY = `(SELECT m.category FROM matches m WHERE m.commune_code = p.commune_code AND m.parcel_id = p.id
                   ORDER BY m.category = 'matched', m.id LIMIT 1)`

const COLUMNS = `p.commune_code, p.id, p.sheet_number, p.parcel_number, p.area_m2, p.legal_area_m2, p.land_use_codes,
                 p.owner_name, p.address, p.place_name, p.status, p.updated_at, ${CATEGORY} AS category`

async function filters(knex: Knex, query: ItemsQuery, scope: Scope): Promise<Where> {
  const where = new Where()
  if (scope.visible) where.add('p.commune_code = ANY(?::text[])', scope.visible)
  if (query.communes) where.add('p.commune_code = ANY(?::text[])', query.communes)
  if (query.sheets) where.add('p.sheet_number = ANY(?::text[])', query.sheets)
  if (query.statuses) where.add('p.status = ANY(?::text[])', query.statuses)
  if (query.categories) {
    where.add('EXISTS (SELECT 1 FROM matches m WHERE m.commune_code = p.commune_code AND m.parcel_id = p.id AND m.category = ANY(?::text[]))', query.categories)
  }
  addDatetime(where, query.datetime, 'p.updated_at')
  if (query.bbox) await addBbox(knex, where, query.bbox, 'p.geom', 'p.srid')
  return where
}

function toFeature(row: Record<string, any>): FeatureRow {
  return {
    id: `${row.commune_code}-${row.id}`,
    key: [row.commune_code, Number(row.id)],
    geometry: row.geometry,
    properties: {
      commune_code: row.commune_code,
      sheet_number: row.sheet_number,
      parcel_number: row.parcel_number,
      area_m2: Math.round(row.area_m2 * 10) / 10,
      legal_area_m2: row.legal_area_m2,
      land_use: (row.land_use_codes as string[]).join('+'),
      owner_name: row.owner_name,
      address: row.address,
      place_name: row.place_name,
      status: row.status,
      category: row.category,
      updated_at: new Date(row.updated_at).toISOString(),
    },
  }
}

export const parcelsCollection: CollectionDef = {
  id: 'parcels',
  title: 'Thửa đất (parcels)',
  description:
    'Thửa đất của bản đồ địa chính số, với trạng thái và loại sai lệch khi đối chiếu với hồ sơ. ' +
    '(Cadastral parcels with their workflow status and discrepancy category; filter by commune, sheet, status, category.)',
  spatial: true,
  parameters: ['bbox', 'bbox-crs', 'crs', 'datetime', 'commune', 'sheet', 'status', 'category'],
  filters: {
    commune: 'Mã xã, 5 chữ số; nhiều mã ngăn bằng dấu phẩy (commune code(s))',
    sheet: 'Số tờ bản đồ (map sheet number(s))',
    status: 'imported, matched, needs_review, reconciled, signed, synced',
    category: 'matched, area_mismatch, landuse_mismatch, spatial_only, record_only, duplicate_key',
  },
  properties: {
    commune_code: { type: 'string', title: 'Mã xã (commune code)' },
    sheet_number: { type: 'string', title: 'Số tờ bản đồ (map sheet)' },
    parcel_number: { type: 'string', title: 'Số thửa (parcel number)' },
    area_m2: { type: 'number', title: 'Diện tích bản đồ, m² (map area)' },
    legal_area_m2: { type: 'number', title: 'Diện tích pháp lý, m² (legal area)' },
    land_use: { type: 'string', title: 'Loại đất (land-use codes, + between)' },
    owner_name: { type: 'string', title: 'Chủ sử dụng (owner)' },
    address: { type: 'string', title: 'Địa chỉ (address)' },
    place_name: { type: 'string', title: 'Địa danh (place name)' },
    status: { type: 'string', title: 'Trạng thái (status)' },
    category: { type: 'string', title: 'Loại sai lệch (discrepancy category)' },
    updated_at: { type: 'string', format: 'date-time', title: 'Cập nhật lúc (updated at)' },
  },

  async page(knex, query, scope) {
    const where = await filters(knex, query, scope)
    const { order } = keyset(where, ['p.commune_code', 'p.id'], query.cursor)
    const geometry = geometryJson('p.geom', 'p.srid', query.crs)
    const { rows } = await knex.raw(
      `SELECT ${COLUMNS}, ${geometry.sql} AS geometry FROM parcels p WHERE ${where.sql} ORDER BY ${order} LIMIT ?`,
      [...geometry.bindings, ...where.bindings, query.limit + 1],
    )
    return rows.map(toFeature)
  },

  async count(knex, query, scope) {
    const where = await filters(knex, query, scope)
    const { rows } = await knex.raw(`SELECT count(*) AS n FROM parcels p WHERE ${where.sql}`, where.bindings)
    return Number(rows[0].n)
  },

  async one(knex, featureId, crs: OgcCrs) {
    const key = splitFeatureId(featureId)
    if (!key) return null
    const geometry = geometryJson('p.geom', 'p.srid', crs)
    const { rows } = await knex.raw(
      `SELECT ${COLUMNS}, ${geometry.sql} AS geometry FROM parcels p WHERE p.commune_code = ? AND p.id = ?`,
      [...geometry.bindings, ...key],
    )
    return rows[0] ? { commune: key[0], feature: toFeature(rows[0]) } : null
  },

  extent: communesExtent,
}
