/**
 * The `attribute_records` collection (hồ sơ địa chính): the register's rows, owners and
 * certificates, with the discrepancy category from matching. No geometry: features carry
 * `geometry: null`, so bbox and crs do not apply. Paged on the primary key (commune_code, id).
 */
import type { Knex } from 'knex'
import { splitFeatureId, type CollectionDef, type FeatureRow, type Scope } from './collection.js'
import type { ItemsQuery } from './params.js'
import { addDatetime, keyset, Where } from './sql.js'

const CATEGORY = `(SELECT m.category FROM matches m WHERE m.commune_code = r.commune_code AND m.record_id = r.id
                   ORDER BY m.category = 'matched', m.id LIMIT 1)`

const COLUMNS = `r.commune_code, r.id, r.sheet_number, r.parcel_number, r.owner_name, r.certificate_serial, r.book_entry_number,
                 r.legal_area_m2, r.land_use_codes, r.address, r.updated_at, ${CATEGORY} AS category`

function filters(query: ItemsQuery, scope: Scope): Where {
  const where = new Where()
  if (scope.visible) where.add('r.commune_code = ANY(?::text[])', scope.visible)
  if (query.communes) where.add('r.commune_code = ANY(?::text[])', query.communes)
  if (query.sheets) where.add('r.sheet_number = ANY(?::text[])', query.sheets)
  if (query.categories) {
    where.add('EXISTS (SELECT 1 FROM matches m WHERE m.commune_code = r.commune_code AND m.record_id = r.id AND m.category = ANY(?::text[]))', query.categories)
  }
  addDatetime(where, query.datetime, 'r.updated_at')
  return where
}

function toFeature(row: Record<string, any>): FeatureRow {
  return {
    id: `${row.commune_code}-${row.id}`,
    key: [row.commune_code, Number(row.id)],
    geometry: null,
    properties: {
      commune_code: row.commune_code,
      sheet_number: row.sheet_number,
      parcel_number: row.parcel_number,
      owner_name: row.owner_name,
      certificate_serial: row.certificate_serial,
      book_entry_number: row.book_entry_number,
      legal_area_m2: row.legal_area_m2,
      land_use: (row.land_use_codes as string[]).join('+'),
      address: row.address,
      category: row.category,
      updated_at: new Date(row.updated_at).toISOString(),
    },
  }
}

export const recordsCollection: CollectionDef = {
  id: 'attribute_records',
  title: 'Hồ sơ địa chính (attribute records)',
  description:
    'Hồ sơ thuộc tính của thửa đất (chủ sử dụng, giấy chứng nhận, diện tích pháp lý, mục đích sử dụng), không có hình học. ' +
    '(Attribute records: owners, certificates, legal area, land use; no geometry.)',
  spatial: false,
  parameters: ['datetime', 'commune', 'sheet', 'category'],
  filters: {
    commune: 'Mã xã, 5 chữ số; nhiều mã ngăn bằng dấu phẩy (commune code(s))',
    sheet: 'Số tờ bản đồ (map sheet number(s))',
    category: 'matched, area_mismatch, landuse_mismatch, record_only, duplicate_key',
  },
  properties: {
    commune_code: { type: 'string', title: 'Mã xã (commune code)' },
    sheet_number: { type: 'string', title: 'Số tờ bản đồ (map sheet)' },
    parcel_number: { type: 'string', title: 'Số thửa (parcel number)' },
    owner_name: { type: 'string', title: 'Tên chủ sử dụng (owner)' },
    certificate_serial: { type: 'string', title: 'Số phát hành GCN (certificate serial)' },
    book_entry_number: { type: 'string', title: 'Số vào sổ (book entry)' },
    legal_area_m2: { type: 'number', title: 'Diện tích pháp lý, m² (legal area)' },
    land_use: { type: 'string', title: 'Mục đích sử dụng (land-use codes)' },
    address: { type: 'string', title: 'Địa chỉ (address)' },
    category: { type: 'string', title: 'Loại sai lệch (discrepancy category)' },
    updated_at: { type: 'string', format: 'date-time', title: 'Cập nhật lúc (updated at)' },
  },

  async page(knex: Knex, query, scope) {
    const where = filters(query, scope)
    const { order } = keyset(where, ['r.commune_code', 'r.id'], query.cursor)
    const { rows } = await knex.raw(
      `SELECT ${COLUMNS} FROM attribute_records r WHERE ${where.sql} ORDER BY ${order} LIMIT ?`,
      [...where.bindings, query.limit + 1],
    )
    return rows.map(toFeature)
  },

  async count(knex, query, scope) {
    const where = filters(query, scope)
    const { rows } = await knex.raw(`SELECT count(*) AS n FROM attribute_records r WHERE ${where.sql}`, where.bindings)
    return Number(rows[0].n)
  },

  async one(knex, featureId) {
    const key = splitFeatureId(featureId)
    if (!key) return null
    const { rows } = await knex.raw(`SELECT ${COLUMNS} FROM attribute_records r WHERE r.commune_code = ? AND r.id = ?`, key)
    return rows[0] ? { commune: key[0], feature: toFeature(rows[0]) } : null
  },
}
