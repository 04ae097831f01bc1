/**
 * GDAL as a real OGC API – Features client: the app listens on a free port, `ogrinfo` reads the
 * parcels collection's count and fields, `ogr2ogr` pages through every feature a reader may
 * see and gets exactly the stored count. GDAL authenticates with an API token sent as
 * `Authorization: Bearer …` (GDAL_HTTP_HEADERS, or a header file: GDAL_HTTP_HEADER_FILE), or with the session
 * cookie (GDAL_HTTP_COOKIE). Communes 43020–43021 belong to this file.
 */
import fs from 'node:fs'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import type { Server } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '../../src/auth/index.js'
import { createApp } from '../../src/http/index.js'
import { createApiToken } from '../../src/ogc/index.js'
import { silentLogger, testImports } from '../helpers/app.js'
import { uniqueUsername } from '../helpers/auth.js'
import { testDatabase } from '../helpers/db.js'
import { featureCount, fieldNames, gdal, gdalAvailable, GDAL_MISSING } from '../helpers/gdal.js'
import { matchedProvince } from '../helpers/matched-commune.js'
import type { TestProvince } from '../helpers/province.js'

if (!gdalAvailable) console.warn(`test/ogc/gdal-client.test.ts skipped: ${GDAL_MISSING}`)

describe.skipIf(!gdalAvailable)('GDAL reads the OGC API', () => {
  const db = testDatabase()
  const app = createApp({ db, logger: silentLogger, imports: testImports() })
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'landbook-gdal-'))
  let server: Server
  let base: string
  let province: TestProvince
  let A: string
  let headerFile: string
  /** GDAL config options for a reader holding the token of a GIS officer of commune A. */
  let tokenConfig: string[]

  beforeAll(async () => {
    province = await matchedProvince(db.knex, { firstCode: 43020, communes: 2, parcelsPerCommune: 250, seed: 23 })
    A = province.codes[0]!
    const user = await createUser(db.knex, { username: uniqueUsername('qgis'), password: 'mat-khau-qgis-1', role: 'gis', communes: [A], displayName: 'QGIS phòng GIS' })
    const { token } = await createApiToken(db.knex, { userId: user.id, name: 'QGIS' })
    headerFile = path.join(dir, 'headers.txt')
    fs.writeFileSync(headerFile, `Authorization: Bearer ${token}\n`)
    tokenConfig = ['--config', 'GDAL_HTTP_HEADER_FILE', headerFile]
    server = app.listen(0, '127.0.0.1')
    await new Promise((resolve) => server.once('listening', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ogc`
  })
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve))
    province?.cleanUp()
    fs.rmSync(dir, { recursive: true, force: true })
    await db.close()
  })

  const stored = async (code: string) => Number((await db.knex('parcels').where({ commune_code: code }).count({ n: '*' }))[0]!.n)

  it('ogrinfo lists the three collections (token in GDAL_HTTP_HEADERS)', async () => {
    const header = fs.readFileSync(headerFile, 'utf8').trim()
    const report = await gdal('ogrinfo', ['-ro', '-q', `OAPIF:${base}`, '--config', 'GDAL_HTTP_HEADERS', header])
    for (const layer of ['communes', 'parcels', 'attribute_records']) expect(report).toContain(layer)
  })

  it('ogrinfo reports the parcels the token may see, with their fields, in WGS 84', async () => {
    const report = await gdal('ogrinfo', ['-ro', '-so', `OAPIF:${base}`, 'parcels', ...tokenConfig])
    expect(featureCount(report)).toBe(await stored(A))
    expect(fieldNames(report)).toEqual(
      expect.arrayContaining(['commune_code', 'sheet_number', 'parcel_number', 'area_m2', 'land_use', 'owner_name', 'status', 'category']),
    )
    expect(report).toMatch(/WGS 84|CRS84/)
  })

  it('ogr2ogr pages through every feature and gets exactly the stored count, Vietnamese text intact', async () => {
    const out = path.join(dir, 'parcels.geojson')
    await gdal('ogr2ogr', ['-f', 'GeoJSON', out, `OAPIF:${base}`, 'parcels', '-oo', 'PAGE_SIZE=100', ...tokenConfig])
    const copied = JSON.parse(fs.readFileSync(out, 'utf8')) as { features: Array<{ id?: string; properties: Record<string, string> }> }
    expect(copied.features).toHaveLength(await stored(A))
    // Each parcel once: the feature ids ("43020-17") GDAL keeps as the id field.
    const ids = copied.features.map((f) => f.properties.id ?? f.id)
    expect(ids.every((id) => typeof id === 'string' && id.startsWith(`${A}-`))).toBe(true)
    expect(new Set(ids).size).toBe(copied.features.length)
    const owners = await db.knex('parcels').where({ commune_code: A }).whereNotNull('owner_name').pluck('owner_name')
    const copiedOwners = new Set(copied.features.map((f) => f.properties.owner_name))
    expect(owners.length).toBeGreaterThan(0)
    for (const owner of owners.slice(0, 20)) expect(copiedOwners).toContain(owner)
    expect(owners.some((o: string) => /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i.test(o))).toBe(true)
  })

  it('a spatial filter goes to the server as bbox', async () => {
    const { rows } = await db.knex.raw(
      `SELECT ST_XMin(e) AS x0, ST_YMin(e) AS y0, ST_XMax(e) AS x1, ST_YMax(e) AS y1
       FROM (SELECT ST_Extent(ST_Transform(geom, 4326)) AS e FROM (SELECT geom FROM parcels WHERE commune_code = ? ORDER BY id LIMIT 5) p) s`,
      [A],
    )
    const { x0, y0, x1, y1 } = rows[0]
    const report = await gdal('ogrinfo', ['-ro', '-so', '-spat', String(x0), String(y0), String(x1), String(y1), `OAPIF:${base}`, 'parcels', ...tokenConfig])
    const inBox = await db.knex.raw(
      `SELECT count(*)::int AS n FROM parcels WHERE commune_code = ? AND ST_Intersects(geom, ST_Transform(ST_MakeEnvelope(?::float8, ?::float8, ?::float8, ?::float8, 4326), srid))`,
      [A, x0, y0, x1, y1],
    )
    const n = featureCount(report)
    expect(n).toBe(inBox.rows[0].n)
    expect(n).toBeLessThan(await stored(A))
  })

  it('a session cookie works too (GDAL_HTTP_COOKIE)', async () => {
    const username = uniqueUsername('cookie')
    await createUser(db.knex, { username, password: 'mat-khau-cookie-1', role: 'clerk', communes: [A], displayName: 'Cookie' })
    const login = await fetch(`${base.replace(/\/ogc$/, '')}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: 'mat-khau-cookie-1' }),
    })
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!
    const report = await gdal('ogrinfo', ['-ro', '-so', `OAPIF:${base}`, 'communes', '--config', 'GDAL_HTTP_COOKIE', cookie])
    expect(featureCount(report)).toBe(1)
    expect(fieldNames(report)).toEqual(expect.arrayContaining(['code', 'name', 'parcels', 'reconciled_percent']))
  })

  it('without credentials GDAL is refused', async () => {
    await expect(gdal('ogrinfo', ['-ro', '-so', `OAPIF:${base}`, 'parcels'])).rejects.toThrow(/401|HTTP error/)
  })
})
