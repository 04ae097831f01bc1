/**
 * OGC API – Features over HTTP: the landing page, conformance, collections, items with keyset
 * paging, CRS (Part 2), bbox, filters, one feature, the OpenAPI document; problem+json for bad
 * parameters; readers by session or bearer token, within their communes. Communes 43010–43011
 * belong to this file.
 */
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../src/http/index.js'
import { createApiToken } from '../../src/ogc/index.js'
import { silentLogger, testImports } from '../helpers/app.js'
import { signIn } from '../helpers/auth.js'
import { testDatabase } from '../helpers/db.js'
import { matchedProvince } from '../helpers/matched-commune.js'
import type { TestProvince } from '../helpers/province.js'

const db = testDatabase()
const app = createApp({ db, logger: silentLogger, imports: testImports() })
let province: TestProvince
let A: string
let B: string
let gis: Awaited<ReturnType<typeof signIn>>
let admin: Awaited<ReturnType<typeof signIn>>
let token: string
const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84'
const EPSG = (code: number) => `http://www.opengis.net/def/crs/EPSG/0/${code}`

beforeAll(async () => {
  province = await matchedProvince(db.knex, { firstCode: 43010, communes: 2, parcelsPerCommune: 250, seed: 21 })
  ;[A, B] = province.codes as [string, string]
  gis = await signIn(app, db.knex, 'gis', [A])
  admin = await signIn(app, db.knex, 'admin')
  token = (await createApiToken(db.knex, { userId: gis.user.id, name: 'QGIS thử' })).token
})
afterAll(async () => {
  province?.cleanUp()
  await db.close()
})

const parcelCount = async (code: string) => Number((await db.knex('parcels').where({ commune_code: code }).count({ n: '*' }))[0]!.n)

describe('who may read', () => {
  it('refuses a request without a session or token (401, Bearer challenge)', async () => {
    const res = await request(app).get('/ogc/collections').expect(401)
    expect(res.headers['content-type']).toContain('application/problem+json')
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/)
    await request(app).get('/ogc').set('authorization', 'Bearer lbk_not-a-token').expect(401)
  })

  it('accepts a bearer token, as its user, within the user’s communes', async () => {
    const res = await request(app).get(`/ogc/collections/parcels/items?commune=${A}&limit=5`).set('authorization', `Bearer ${token}`).expect(200)
    expect(res.body.features).toHaveLength(5)
    const other = await request(app).get(`/ogc/collections/parcels/items?commune=${B}`).set('authorization', `Bearer ${token}`).expect(403)
    expect(other.body.detail).toContain(B)
  })

  it('shows a restricted user only their communes; an administrator all', async () => {
    const mine = await gis.agent.get('/ogc/collections/communes/items').expect(200)
    expect(mine.body.features.map((f: { id: string }) => f.id)).toEqual([A])
    const all = await admin.agent.get(`/ogc/collections/communes/items?commune=${A},${B}`).expect(200)
    expect(all.body.features.map((f: { id: string }) => f.id)).toEqual([A, B])
    const parcels = await gis.agent.get('/ogc/collections/parcels/items?limit=1').expect(200)
    expect(parcels.body.numberMatched).toBe(await parcelCount(A))
    const first = (await admin.agent.get(`/ogc/collections/parcels/items?commune=${B}&limit=1`).expect(200)).body.features[0]
    await gis.agent.get(`/ogc/collections/parcels/items/${first.id}`).expect(403)
  })
})

describe('the API documents', () => {
  it('landing page, conformance and OpenAPI link to each other', async () => {
    const landing = await gis.agent.get('/ogc').expect(200)
    const rels = Object.fromEntries(landing.body.links.map((l: { rel: string; href: string }) => [l.rel, l.href]))
    expect(rels['service-desc']).toMatch(/\/ogc\/api$/)
    expect(rels.conformance).toMatch(/\/ogc\/conformance$/)
    const conformance = await gis.agent.get('/ogc/conformance').expect(200)
    expect(conformance.body.conformsTo).toEqual(
      expect.arrayContaining(['http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core', 'http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs']),
    )
    const api = await gis.agent.get('/ogc/api').expect(200)
    expect(api.headers['content-type']).toContain('application/vnd.oai.openapi+json')
    const doc = JSON.parse(api.text)
    const limit = doc.paths['/collections/parcels/items'].get.parameters.find((p: { name: string }) => p.name === 'limit')
    expect(limit.schema).toMatchObject({ maximum: 10000, default: 100 })
  })

  it('collections list the three with CRS lists, extent and storage CRS', async () => {
    const res = await gis.agent.get('/ogc/collections').expect(200)
    expect(res.body.collections.map((c: { id: string }) => c.id)).toEqual(['communes', 'parcels', 'attribute_records'])
    const parcels = res.body.collections[1]
    expect(parcels.crs).toEqual(expect.arrayContaining([CRS84, EPSG(4326), EPSG(9218)]))
    expect(parcels.storageCrs).toBe(EPSG(9218))
    expect(parcels.extent.spatial.bbox[0]).toHaveLength(4)
    expect(res.body.collections[2].crs).toBeUndefined()
    await gis.agent.get('/ogc/collections/parcels').expect(200)
    const missing = await gis.agent.get('/ogc/collections/buildings').expect(404)
    expect(missing.body.detail).toContain('buildings')
  })
})

describe('items', () => {
  it('pages through a commune with next links and gets every parcel once', async () => {
    const total = await parcelCount(A)
    const seen = new Set<string>()
    let url: string | null = `/ogc/collections/parcels/items?commune=${A}&limit=100`
    let pages = 0
    while (url) {
      const res: request.Response = await gis.agent.get(url.replace(/^https?:\/\/[^/]+/, '')).expect(200)
      expect(res.headers['content-type']).toContain('application/geo+json')
      expect(res.headers['content-crs']).toBe(`<${CRS84}>`)
      expect(res.body.numberMatched).toBe(total)
      expect(res.body.numberReturned).toBe(res.body.features.length)
      for (const f of res.body.features) seen.add(f.id)
      url = res.body.links.find((l: { rel: string }) => l.rel === 'next')?.href ?? null
      pages++
    }
    expect(seen.size).toBe(total)
    expect(pages).toBe(Math.ceil(total / 100))
  })

  it('goes back with prev links to the same features', async () => {
    const first = await gis.agent.get(`/ogc/collections/parcels/items?commune=${A}&limit=10`).expect(200)
    expect(first.body.links.some((l: { rel: string }) => l.rel === 'prev')).toBe(false)
    const nextHref = first.body.links.find((l: { rel: string }) => l.rel === 'next').href
    const second = await gis.agent.get(new URL(nextHref).pathname + new URL(nextHref).search).expect(200)
    const prevHref = second.body.links.find((l: { rel: string }) => l.rel === 'prev').href
    const back = await gis.agent.get(new URL(prevHref).pathname + new URL(prevHref).search).expect(200)
    expect(back.body.features.map((f: { id: string }) => f.id)).toEqual(first.body.features.map((f: { id: string }) => f.id))
  })

  it('features carry status and category; filters by status, category and sheet', async () => {
    const res = await gis.agent.get(`/ogc/collections/parcels/items?commune=${A}&category=area_mismatch&limit=1000`).expect(200)
    expect(res.body.numberMatched).toBeGreaterThan(0)
    for (const f of res.body.features) {
      expect(f.properties.category).toBe('area_mismatch')
      expect(f.geometry.type).toBe('MultiPolygon')
    }
    const { sheet_number: sheet } = res.body.features[0].properties
    const bySheet = await gis.agent.get(`/ogc/collections/parcels/items?commune=${A}&sheet=${sheet}&limit=1000`).expect(200)
    const stored = await db.knex('parcels').where({ commune_code: A, sheet_number: sheet }).count({ n: '*' })
    expect(bySheet.body.numberMatched).toBe(Number(stored[0]!.n))
    const matched = await gis.agent.get(`/ogc/collections/parcels/items?commune=${A}&status=matched&limit=3`).expect(200)
    expect(matched.body.features.every((f: { properties: { status: string } }) => f.properties.status === 'matched')).toBe(true)
  })

  it('answers in VN-2000 TM-3 or EPSG:4326 (latitude first) on request', async () => {
    const base = `/ogc/collections/parcels/items?commune=${A}&limit=1`
    const wgs = (await gis.agent.get(base).expect(200)).body.features[0].geometry.coordinates[0][0][0]
    const tm3 = await gis.agent.get(`${base}&crs=${encodeURIComponent(EPSG(9218))}`).expect(200)
    expect(tm3.headers['content-crs']).toBe(`<${EPSG(9218)}>`)
    const [x, y] = tm3.body.features[0].geometry.coordinates[0][0][0]
    expect(x).toBeGreaterThan(100_000)
    expect(y).toBeGreaterThan(1_000_000)
    const latLon = (await gis.agent.get(`${base}&crs=${encodeURIComponent(EPSG(4326))}`).expect(200)).body.features[0].geometry.coordinates[0][0][0]
    expect(latLon[0]).toBeCloseTo(wgs[1], 6)
    expect(latLon[1]).toBeCloseTo(wgs[0], 6)
    expect(wgs[0]).toBeGreaterThan(107)
    expect(wgs[1]).toBeGreaterThan(10)
  })

  it('bbox in CRS84 and in TM-3 find the same parcels; a bbox elsewhere finds none', async () => {
    const one = (await gis.agent.get(`/ogc/collections/parcels/items?commune=${A}&limit=1&crs=${encodeURIComponent(EPSG(9218))}`).expect(200)).body.features[0]
    const ring: number[][] = one.geometry.coordinates[0][0]
    const xs = ring.map((p) => p[0]!)
    const ys = ring.map((p) => p[1]!)
    const tm3Box = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)].join(',')
    const inTm3 = await gis.agent.get(`/ogc/collections/parcels/items?bbox=${tm3Box}&bbox-crs=${encodeURIComponent(EPSG(9218))}&limit=100`).expect(200)
    const ids = inTm3.body.features.map((f: { id: string }) => f.id)
    expect(ids).toContain(one.id)
    expect(ids.length).toBeLessThan(20) // the parcel and its neighbours
    const wgs = (await gis.agent.get(`/ogc/collections/parcels/items/${one.id}`).expect(200)).body.geometry.coordinates[0][0] as number[][]
    const box84 = [Math.min(...wgs.map((p) => p[0]!)), Math.min(...wgs.map((p) => p[1]!)), Math.max(...wgs.map((p) => p[0]!)), Math.max(...wgs.map((p) => p[1]!))]
    const in84 = await gis.agent.get(`/ogc/collections/parcels/items?bbox=${box84.join(',')}&limit=100`).expect(200)
    expect(in84.body.features.map((f: { id: string }) => f.id)).toContain(one.id)
    const nowhere = await gis.agent.get('/ogc/collections/parcels/items?bbox=0,0,1,1').expect(200)
    expect(nowhere.body.numberMatched).toBe(0)
  })

  it('one feature by id, with links; 404 for an unknown one', async () => {
    const list = await gis.agent.get(`/ogc/collections/attribute_records/items?commune=${A}&limit=2`).expect(200)
    const record = list.body.features[0]
    expect(record.geometry).toBeNull()
    expect(record.properties).toHaveProperty('owner_name')
    const one = await gis.agent.get(`/ogc/collections/attribute_records/items/${record.id}`).expect(200)
    expect(one.body.id).toBe(record.id)
    expect(one.body.links.map((l: { rel: string }) => l.rel)).toEqual(['self', 'collection'])
    const commune = await gis.agent.get(`/ogc/collections/communes/items/${A}`).expect(200)
    expect(commune.body.properties.parcels).toBe(await parcelCount(A))
    expect(commune.body.properties.discrepancies).toBeGreaterThan(0)
    expect(commune.body.geometry.type).toBe('MultiPolygon')
    await gis.agent.get(`/ogc/collections/parcels/items/${A}-999999999`).expect(404)
    await gis.agent.get('/ogc/collections/parcels/items/nonsense').expect(404)
  })
})

describe('bad parameters are 400 problem+json naming the parameter', () => {
  it.each([
    ['limit=10001', 'limit'],
    ['limit=0', 'limit'],
    ['limit=abc', 'limit'],
    ['bbox=108,14,107,15', 'bbox'],
    ['bbox=107,14,108', 'bbox'],
    ['bbox=107,14,x,15', 'bbox'],
    ['bbox=107,14,108,15&bbox-crs=http://www.opengis.net/def/crs/EPSG/0/3857', 'bbox-crs'],
    ['crs=http://www.opengis.net/def/crs/EPSG/0/3857', 'crs'],
    ['status=lost', 'status'],
    ['category=odd', 'category'],
    ['datetime=yesterday', 'datetime'],
    ['cursor=bm90LWEtY3Vyc29y', 'cursor'],
    ['colour=red', 'colour'],
  ])('%s', async (query, field) => {
    const res = await gis.agent.get(`/ogc/collections/parcels/items?${query}`).expect(400)
    expect(res.headers['content-type']).toContain('application/problem+json')
    expect(res.body.field).toBe(field)
    expect(res.body.detail.length).toBeGreaterThan(20)
  })

  it('bbox on attribute records (no geometry) is refused', async () => {
    const res = await gis.agent.get('/ogc/collections/attribute_records/items?bbox=107,14,108,15').expect(400)
    expect(res.body.field).toBe('bbox')
  })

  it('datetime filters on the last change', async () => {
    const future = await gis.agent.get('/ogc/collections/parcels/items?datetime=2999-01-01T00:00:00Z/..').expect(200)
    expect(future.body.numberMatched).toBe(0)
    const past = await gis.agent.get('/ogc/collections/parcels/items?datetime=../2999-01-01T00:00:00Z&limit=1').expect(200)
    expect(past.body.numberMatched).toBe(await parcelCount(A))
  })
})
