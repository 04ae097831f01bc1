/**
 * OGC API – Features (Part 1 Core with GeoJSON, Part 2 CRS by reference): the documents the
 * routes send. The landing page, conformance and collection descriptions are small JSON
 * objects; a page of items is assembled as text around the GeoJSON geometries PostGIS
 * writes, so geometries are never parsed and re-serialised in Node.
 */
import type { Knex } from 'knex'
import { assertCommuneAccess, canSeeAllCommunes, type SessionUser } from '../auth/index.js'
import { Invalid, NotFound } from '../errors.js'
import type { CollectionDef, FeatureRow, Scope } from './collection.js'
import { COLLECTIONS, findCollection } from './collections.js'
import { CRS84, epsgUri, resolveCrs, supportedCrs } from './crs.js'
import { encodeCursor, type Cursor } from './cursor.js'
import { parseItemsQuery, single } from './params.js'

export const CONFORMANCE = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
  'http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs',
]

export const GEOJSON = 'application/geo+json'
export const OPENAPI_JSON = 'application/vnd.oai.openapi+json;version=3.0'

type Query = Record<string, unknown>
interface Link {
  href: string
  rel: string
  type?: string
  title?: string
}

export function scopeOf(user: SessionUser): Scope {
  return { visible: canSeeAllCommunes(user) ? null : user.communes }
}

/** The API's root (`/ogc`) with the links a client starts from. */
export function landingPage(base: string) {
  return {
    title: 'Landbook – OGC API Features',
    description: 'Dữ liệu địa chính: xã, thửa đất, hồ sơ (cadastral data: communes, parcels, attribute records).',
    links: [
      { href: `${base}`, rel: 'self', type: 'application/json', title: 'Trang này (this document)' },
      { href: `${base}/api`, rel: 'service-desc', type: OPENAPI_JSON, title: 'Định nghĩa API, OpenAPI 3.0 (API definition)' },
      { href: `${base}/conformance`, rel: 'conformance', type: 'application/json', title: 'Lớp tuân thủ (conformance classes)' },
      { href: `${base}/collections`, rel: 'data', type: 'application/json', title: 'Các tập dữ liệu (collections)' },
    ] satisfies Link[],
  }
}

async function collectionDocument(knex: Knex, def: CollectionDef, base: string, scope: Scope) {
  const href = `${base}/collections/${def.id}`
  const doc: Record<string, unknown> = {
    id: def.id,
    title: def.title,
    description: def.description,
    itemType: 'feature',
    links: [
      { href, rel: 'self', type: 'application/json', title: def.title },
      { href: `${href}/items`, rel: 'items', type: GEOJSON, title: `${def.title}, GeoJSON` },
    ] satisfies Link[],
  }
  if (def.spatial) {
    const bbox = (await def.extent?.(knex, scope)) ?? null
    if (bbox) doc.extent = { spatial: { bbox: [bbox], crs: CRS84 } }
    doc.crs = (await supportedCrs(knex)).map((c) => c.uri)
    // The storage CRS is the dataset's VN-2000 zone when the communes seen share one.
    const srids: number[] = await knex('communes')
      .modify((q) => (scope.visible ? q.whereIn('code', scope.visible) : q))
      .distinct('srid')
      .pluck('srid')
    if (srids.length === 1) doc.storageCrs = epsgUri(srids[0]!)
  }
  return doc
}

export async function listCollections(knex: Knex, base: string, scope: Scope) {
  return {
    links: [{ href: `${base}/collections`, rel: 'self', type: 'application/json', title: 'Các tập dữ liệu (collections)' }] satisfies Link[],
    collections: await Promise.all(COLLECTIONS.map((def) => collectionDocument(knex, def, base, scope))),
  }
}

function collectionOr404(id: string): CollectionDef {
  const def = findCollection(id)
  if (!def) {
    throw new NotFound(`Không có tập dữ liệu "${id}"; các tập là: ${COLLECTIONS.map((c) => c.id).join(', ')} (no such collection).`, { field: 'collectionId' })
  }
  return def
}

export async function describeCollection(knex: Knex, id: string, base: string, scope: Scope) {
  return collectionDocument(knex, collectionOr404(id), base, scope)
}

/** GeoJSON text of one feature; the geometry text goes in as PostGIS wrote it. */
function featureText(feature: FeatureRow, links?: Link[]): string {
  return (
    `{"type":"Feature","id":${JSON.stringify(feature.id)},"geometry":${feature.geometry ?? 'null'},` +
    `"properties":${JSON.stringify(feature.properties)}${links ? `,"links":${JSON.stringify(links)}` : ''}}`
  )
}

/** The same query string with `cursor` replaced (or dropped). */
function withCursor(query: Query, cursor: Cursor | null): string {
  const params = new URLSearchParams()
  for (const [name, value] of Object.entries(query)) if (name !== 'cursor' && typeof value === 'string') params.set(name, value)
  if (cursor) params.set('cursor', encodeCursor(cursor))
  const text = params.toString()
  return text ? `?${text}` : ''
}

export interface ItemsResponse {
  body: string
  contentCrs: string | null
}

/** A page of a collection's items: filters checked against the reader's communes, numberMatched, next/prev links. */
export async function itemsPage(knex: Knex, collectionId: string, rawQuery: Query, base: string, user: SessionUser): Promise<ItemsResponse> {
  const def = collectionOr404(collectionId)
  const query = await parseItemsQuery(knex, def, rawQuery)
  for (const commune of query.communes ?? []) assertCommuneAccess(user, commune)
  const scope = scopeOf(user)
  const [rows, counted] = await Promise.all([
    def.page(knex, query, scope),
    query.cursor?.matched != null ? Promise.resolve(query.cursor.matched) : def.count(knex, query, scope),
  ])
  const backwards = query.cursor?.direction === 'before'
  const more = rows.length > query.limit
  const features = rows.slice(0, query.limit)
  if (backwards) features.reverse()
  const first = features[0]
  const last = features[features.length - 1]
  const next = last && (backwards || more) ? { direction: 'after' as const, key: last.key, matched: counted } : null
  const prev = first && (backwards ? more : query.cursor !== null) ? { direction: 'before' as const, key: first.key, matched: counted } : null

  const href = `${base}/collections/${def.id}/items`
  const links: Link[] = [
    { href: `${href}${withCursor(rawQuery, query.cursor)}`, rel: 'self', type: GEOJSON, title: 'Trang này (this page)' },
    { href: `${base}/collections/${def.id}`, rel: 'collection', type: 'application/json', title: def.title },
  ]
  if (next) links.push({ href: `${href}${withCursor(rawQuery, next)}`, rel: 'next', type: GEOJSON, title: 'Trang sau (next page)' })
  if (prev) links.push({ href: `${href}${withCursor(rawQuery, prev)}`, rel: 'prev', type: GEOJSON, title: 'Trang trước (previous page)' })

  const head = {
    type: 'FeatureCollection',
    numberMatched: counted,
    numberReturned: features.length,
    timeStamp: new Date().toISOString(),
    links,
  }
  const body = `${JSON.stringify(head).slice(0, -1)},"features":[${features.map((f) => featureText(f)).join(',')}]}`
  return { body, contentCrs: def.spatial ? query.crs.uri : null }
}

/** One feature by id; 404 when there is none, 403 when its commune is not the reader's. */
export async function oneFeature(knex: Knex, collectionId: string, featureId: string, rawQuery: Query, base: string, user: SessionUser): Promise<ItemsResponse> {
  const def = collectionOr404(collectionId)
  const allowed = def.spatial ? ['f', 'crs'] : ['f']
  for (const name of Object.keys(rawQuery)) {
    if (!allowed.includes(name)) throw new Invalid(`Tham số "${name}" không dùng được ở đây; chỉ có: ${allowed.join(', ')} (unknown query parameter).`, { field: name })
  }
  const crs = await resolveCrs(knex, single(rawQuery, 'crs'), 'crs')
  const found = await def.one(knex, featureId, crs)
  if (!found) throw new NotFound(`Không có đối tượng "${featureId}" trong tập ${def.id} (no such feature).`, { field: 'featureId' })
  assertCommuneAccess(user, found.commune)
  const href = `${base}/collections/${def.id}/items/${encodeURIComponent(featureId)}`
  const links: Link[] = [
    { href: `${href}${withCursor(rawQuery, null)}`, rel: 'self', type: GEOJSON, title: 'Đối tượng này (this feature)' },
    { href: `${base}/collections/${def.id}`, rel: 'collection', type: 'application/json', title: def.title },
  ]
  return { body: featureText(found.feature, links), contentCrs: def.spatial ? crs.uri : null }
}
