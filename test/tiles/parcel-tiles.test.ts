/**
 * Vector tiles of parcels, decoded as a map client decodes them: the known parcel is in its
 * tiles with its properties and shape, boundaries only at low zooms, empty tiles are 204, and a
 * user sees only their communes. Runs on either database: ST_AsMVT on a server, the Node
 * encoder on the embedded one (and on a server both, which must agree). Communes 44100–44101.
 */
import { booleanPointInPolygon, point } from '@turf/turf'
import { VectorTile } from '@mapbox/vector-tile'
import { PbfReader } from 'pbf'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createApp } from '../../src/http/index.js'
import { MVT_CONTENT_TYPE, tileAt, tileEncoder, type TileCoord } from '../../src/tiles/index.js'
import { encodeTile } from '../../src/tiles/encoder.js'
import { FEATURES_SQL, MVT_SQL, storedSrids, tileBindings } from '../../src/tiles/sql.js'
import { silentLogger, testImports } from '../helpers/app.js'
import { signIn, type TestAgent } from '../helpers/auth.js'
import { testDatabase } from '../helpers/db.js'
import { matchedProvince } from '../helpers/matched-commune.js'
import type { TestProvince } from '../helpers/province.js'

const db = testDatabase()
const knex = db.knex
const app = createApp({ db, logger: silentLogger, imports: testImports() })
let province: TestProvince
let code: string
let other: string
let admin: TestAgent
let clerk: TestAgent

interface KnownParcel {
  id: number
  sheet_number: string
  parcel_number: string
  status: string
  category: string
  lon: number
  lat: number
}
let known: KnownParcel
let otherParcel: KnownParcel

/** A parcel of the commune with a single link, and a point inside it (WGS84). */
async function parcelOf(commune: string, offset: number): Promise<KnownParcel> {
  const { rows: [row] } = await knex.raw(
    `SELECT p.id, p.sheet_number, p.parcel_number, p.status, m.category, ST_X(c) AS lon, ST_Y(c) AS lat
     FROM parcels p JOIN matches m ON m.commune_code = p.commune_code AND m.parcel_id = p.id,
          LATERAL (SELECT ST_Transform(ST_PointOnSurface(p.geom), 4326) AS c) pt
     WHERE p.commune_code = ?
       AND (SELECT count(*) FROM matches o WHERE o.commune_code = p.commune_code AND o.parcel_id = p.id) = 1
     ORDER BY p.id OFFSET ? LIMIT 1`,
    [commune, offset],
  )
  return { ...row, id: Number(row.id) }
}

function decode(body: Buffer) {
  return new VectorTile(new PbfReader(body))
}

/** The tile's body as a Buffer (supertest leaves unknown types unparsed unless told). */
function getTile(agent: TestAgent | ReturnType<typeof request>, coord: TileCoord, headers: Record<string, string> = {}) {
  return (agent as TestAgent)
    .get(`/tiles/parcels/${coord.z}/${coord.x}/${coord.y}.pbf`)
    .set(headers)
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => done(null, Buffer.concat(chunks)))
    })
}

function parcelFeatures(body: Buffer) {
  const layer = decode(body).layers.parcels
  return layer ? Array.from({ length: layer.length }, (_, i) => layer.feature(i)) : []
}

beforeAll(async () => {
  province = await matchedProvince(knex, { firstCode: 44100, communes: 2, parcelsPerCommune: 300, seed: 17 })
  ;[code, other] = province.codes as [string, string]
  known = await parcelOf(code, 3)
  otherParcel = await parcelOf(other, 3)
  admin = (await signIn(app, knex, 'admin')).agent
  clerk = (await signIn(app, knex, 'clerk', [code])).agent
})
afterAll(async () => {
  province?.cleanUp()
  await db.close()
})

describe('GET /tiles/parcels/{z}/{x}/{y}.pbf', () => {
  it('encodes with ST_AsMVT on a server and in Node on the embedded database', async () => {
    expect(await tileEncoder(knex)).toBe(inject('databaseKind') === 'server' ? 'postgis' : 'node')
  })

  it.each([16, 14])('has the known parcel at z%i with its properties and shape', async (z) => {
    const coord = tileAt(known.lon, known.lat, z)
    const res = await getTile(admin, coord).expect(200)
    expect(res.headers['content-type']).toContain(MVT_CONTENT_TYPE)
    expect(res.headers['cache-control']).toBe('private, max-age=60')
    expect(res.headers.etag).toBeTruthy()
    const features = parcelFeatures(res.body)
    const feature = features.find((f) => f.properties.id === known.id)
    expect(feature, `parcel ${known.id} in tile ${JSON.stringify(coord)}`).toBeDefined()
    expect(feature!.id).toBe(known.id)
    expect(feature!.properties).toEqual({
      id: known.id, commune_code: code, sheet_number: known.sheet_number, parcel_number: known.parcel_number,
      status: known.status, category: known.category,
    })
    expect(feature!.type).toBe(3) // polygon
    const shape = feature!.toGeoJSON(coord.x, coord.y, coord.z)
    expect(booleanPointInPolygon(point([known.lon, known.lat]), shape as never)).toBe(true)
    // Its neighbours come too: a tile holds every parcel it touches.
    expect(features.length).toBeGreaterThan(z === 14 ? 100 : 3)
    expect(decode(res.body).layers.communes).toBeUndefined()
  })

  it('draws only commune boundaries below zoom 13, so a province-wide tile never reads parcels', async () => {
    const coord = tileAt(known.lon, known.lat, 10)
    const res = await getTile(admin, coord).expect(200)
    const tile = decode(res.body)
    expect(tile.layers.parcels).toBeUndefined()
    const communes = tile.layers.communes!
    const names = Array.from({ length: communes.length }, (_, i) => communes.feature(i).properties)
    expect(names).toContainEqual({ code, name: expect.any(String) })
  })

  it('reads only the communes whose parcels reach the tile, and follows parcels written later', async () => {
    // An import's first load (attached as the partition) records where the commune's parcels lie.
    const { rows: [extent] } = await knex.raw(
      `SELECT (SELECT CAST(extent AS text) FROM parcel_extents WHERE commune_code = :code) AS kept,
              (SELECT CAST(ST_Extent(geom) AS text) FROM parcels WHERE commune_code = :code) AS actual`,
      { code },
    )
    expect(extent.kept).toBe(extent.actual)
    // A parcel written later through the table, 5 km east of everything the commune had.
    const { rows: columns } = await knex.raw(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'parcels' AND table_schema = current_schema()
       AND column_name NOT IN ('id', 'geom', 'parcel_number') AND is_generated = 'NEVER' ORDER BY ordinal_position`,
    )
    const names = columns.map((c: { column_name: string }) => `"${c.column_name}"`).join(', ')
    const { rows: [moved] } = await knex.raw(
      `INSERT INTO parcels (${names}, geom, parcel_number) SELECT ${names}, ST_Translate(geom, 5000, 0), '9999' FROM parcels WHERE commune_code = ? AND id = ?
       RETURNING id, ST_X(ST_Transform(ST_PointOnSurface(geom), 4326)) AS lon, ST_Y(ST_Transform(ST_PointOnSurface(geom), 4326)) AS lat`,
      [code, known.id],
    )
    // And one stored in another TM-3 zone (EPSG:9217, 108°15'), 5 km west, that no map sheet names.
    const { rows: [otherZone] } = await knex.raw(
      `INSERT INTO parcels (${names}, geom, parcel_number)
       SELECT ${names.replace('"srid"', '9217')}, ST_Transform(ST_Translate(geom, -5000, 0), 9217), '9998' FROM parcels WHERE commune_code = ? AND id = ?
       RETURNING id, ST_X(ST_Transform(ST_PointOnSurface(geom), 4326)) AS lon, ST_Y(ST_Transform(ST_PointOnSurface(geom), 4326)) AS lat`,
      [code, known.id],
    )
    // A new app: the zones a tile looks in are kept for 30 s by each.
    const fresh = testDatabase()
    try {
      const features = parcelFeatures((await getTile(admin, tileAt(moved.lon, moved.lat, 16)).expect(200)).body)
      expect(features.map((f) => f.properties.id)).toContain(Number(moved.id))
      const freshAdmin = (await signIn(createApp({ db: fresh, logger: silentLogger, imports: testImports() }), fresh.knex, 'admin')).agent
      const inZone = parcelFeatures((await getTile(freshAdmin, tileAt(otherZone.lon, otherZone.lat, 16)).expect(200)).body)
      expect(inZone.map((f) => f.properties.id)).toContain(Number(otherZone.id))
    } finally {
      await knex('parcels').where({ commune_code: code }).whereIn('id', [moved.id, otherZone.id]).delete()
      await fresh.close()
    }
  })

  it('answers 204 for a tile with nothing in it, and 400 for coordinates off the grid', async () => {
    await getTile(admin, { z: 16, x: 0, y: 0 }).expect(204)
    await getTile(admin, { z: 4, x: 0, y: 0 }).expect(204)
    const res = await admin.get('/tiles/parcels/16/70000/1.pbf').expect(400)
    expect(res.body.field).toBe('x')
    await admin.get('/tiles/parcels/23/0/0.pbf').expect(400)
  })

  it('revalidates with the ETag (304)', async () => {
    const coord = tileAt(known.lon, known.lat, 16)
    const first = await getTile(admin, coord).expect(200)
    await getTile(admin, coord, { 'if-none-match': first.headers.etag as string }).expect(304)
  })

  it('needs a session, and shows a clerk only the communes assigned', async () => {
    const coord = tileAt(otherParcel.lon, otherParcel.lat, 16)
    await getTile(request(app), coord).expect(401)
    const asAdmin = parcelFeatures((await getTile(admin, coord).expect(200)).body)
    expect(asAdmin.map((f) => f.properties.id)).toContain(otherParcel.id)
    const asClerk = await getTile(clerk, coord)
    const seen = asClerk.status === 204 ? [] : parcelFeatures(asClerk.body)
    expect(seen.every((f) => f.properties.commune_code === code)).toBe(true)
    expect(seen.map((f) => f.properties.id)).not.toContain(otherParcel.id)
    // Their own commune's parcels they do see.
    const own = parcelFeatures((await getTile(clerk, tileAt(known.lon, known.lat, 16)).expect(200)).body)
    expect(own.map((f) => f.properties.id)).toContain(known.id)
  })

  it.runIf(inject('databaseKind') === 'server')('the Node encoder draws the same features as ST_AsMVT', async () => {
    const coord = tileAt(known.lon, known.lat, 15)
    const bindings = tileBindings(coord, { communes: null }, await storedSrids(knex))
    const { rows: [{ mvt }] } = await knex.raw(MVT_SQL, bindings)
    const { rows } = await knex.raw(FEATURES_SQL, bindings)
    const node = encodeTile(coord, rows)!
    const summary = (body: Buffer) =>
      parcelFeatures(body)
        .map((f) => ({ id: f.id, ...f.properties }))
        .sort((a, b) => Number(a.id) - Number(b.id))
    expect(summary(node)).toEqual(summary(mvt))
    expect(summary(node).length).toBeGreaterThan(10)
  })
})
