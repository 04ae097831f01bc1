/**
 * Records that carry a point (X/Y in VN-2000, either order, or longitude/latitude): the point
 * is read, stored in the commune's CRS, and a record without a parcel gets the parcel that
 * covers its point as its first candidate. Unreadable coordinates are a warning, not a loss.
 */
import fs from 'node:fs'
import path from 'node:path'
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRecordsJob, fileSha256, runRecordsJob } from '../../src/imports/index.js'
import { matchCommune } from '../../src/matching/index.js'
import { testDatabase } from '../helpers/db.js'
import { importParcels, makeProvince, registerCommunes, type TestProvince } from '../helpers/province.js'

const db = testDatabase()
let province: TestProvince
let code: string
let wrong: Array<{ sheet: number; planted: number; truthNumber: number; form: 'vn' | 'gis' | 'lonlat' }>
let jobId: number

beforeAll(async () => {
  province = await makeProvince({ firstCode: 38800, communes: 1, parcelsPerCommune: 1500, seed: 21 })
  await registerCommunes(db.knex, province)
  code = province.codes[0]!
  await importParcels(db.knex, province, code)

  // The generated register, with coordinate columns: the planted wrong-number records get the
  // point of their true parcel, written in the three forms met in practice.
  const truth = province.truth(code)
  const forms = ['vn', 'gis', 'lonlat'] as const
  wrong = truth.planted
    .filter((p) => p.kind === 'wrong_parcel_number')
    .map((p, i) => {
      const [[sheet, planted], [, truthNumber]] = p.keys as [[number, number], [number, number]]
      return { sheet, planted, truthNumber, form: forms[i % 3]! }
    })
  expect(wrong.length).toBeGreaterThanOrEqual(3)
  const csvPath = path.join(province.dir, 'records', `${code}.csv`)
  const rows = parse(fs.readFileSync(csvPath), { bom: true }) as string[][]
  const out = [[...rows[0]!, 'Tọa độ X', 'Tọa độ Y', 'Kinh độ', 'Vĩ độ']]
  let garbage = false
  for (const row of rows.slice(1)) {
    const w = wrong.find((x) => String(x.sheet) === row[1] && String(x.planted) === row[2])
    if (!w) {
      // One row with coordinates that are not in Vietnam: a warning, and the record still loads.
      out.push([...row, ...(garbage ? ['', ''] : ['12', '34']), '', ''])
      garbage = true
      continue
    }
    const { rows: [p] } = await db.knex.raw(
      `SELECT ST_X(pt) AS e, ST_Y(pt) AS n, ST_X(ST_Transform(pt, 4326)) AS lon, ST_Y(ST_Transform(pt, 4326)) AS lat
       FROM (SELECT ST_PointOnSurface(geom) AS pt FROM parcels WHERE commune_code = ? AND sheet_number = ? AND parcel_number = ?) s`,
      [code, String(w.sheet), String(w.truthNumber)],
    )
    const vnComma = (v: number) => v.toFixed(3).replace('.', ',')
    if (w.form === 'vn') out.push([...row, vnComma(p.n), vnComma(p.e), '', ''])
    else if (w.form === 'gis') out.push([...row, p.e.toFixed(3), p.n.toFixed(3), '', ''])
    else out.push([...row, '', '', p.lon.toFixed(8), p.lat.toFixed(8)])
  }
  const withPoints = path.join(province.dir, `${code}-toado.csv`)
  fs.writeFileSync(withPoints, out.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')).join('\n'))
  const file = { name: path.basename(withPoints), path: withPoints }
  const recordsJob = await createRecordsJob(db.knex, { sourceName: file.name, sha256: await fileSha256(withPoints) })
  const done = await runRecordsJob(db.knex, recordsJob.id, file)
  expect(done.state).toBe('succeeded')
  jobId = recordsJob.id
  await matchCommune(db.knex, code)
}, 120_000)

afterAll(async () => {
  province?.cleanUp()
  await db.close()
})

describe('records with coordinates', () => {
  it('stores every readable point in the commune CRS, whichever form it was written in', async () => {
    const { rows } = await db.knex.raw(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE ST_SRID(location) = c.srid)::int AS in_crs
       FROM attribute_records r JOIN communes c ON c.code = r.commune_code
       WHERE r.commune_code = ? AND r.location IS NOT NULL`,
      [code],
    )
    expect(rows[0]).toEqual({ n: wrong.length, in_crs: wrong.length })
    const raw = await db.knex('attribute_records').where({ commune_code: code }).whereNotNull('location').pluck('location_raw')
    expect(raw.some((r: string) => r.startsWith('X=') && r.includes(','))).toBe(true)
    expect(raw.some((r: string) => r.startsWith('kinh độ'))).toBe(true)
  })

  it('reports coordinates outside Vietnam by row and columns, and loads the record without a point', async () => {
    const findings = await db.knex('import_findings').where({ job_id: jobId, code: 'location_unreadable' }).select('row', 'field', 'message')
    expect(findings).toHaveLength(1)
    expect(findings[0].field).toBe('Tọa độ X, Tọa độ Y')
    expect(findings[0].message).toContain(`Dòng ${findings[0].row}`)
    const record = await db.knex('attribute_records').where({ commune_code: code, source_row: findings[0].row }).first('location', 'location_raw')
    expect(record).toMatchObject({ location: null, location_raw: 'X=12; Y=34' })
  })

  it('ranks the parcel holding the record point first, for every located wrong-number record', async () => {
    for (const w of wrong) {
      const { rows } = await db.knex.raw(
        `SELECT p.parcel_number, c.rank, c.reasons FROM match_candidates c
         JOIN attribute_records r ON r.commune_code = c.commune_code AND r.id = c.record_id
         JOIN parcels p ON p.commune_code = c.commune_code AND p.id = c.parcel_id
         WHERE c.commune_code = ? AND r.sheet_number = ? AND r.parcel_number = ? ORDER BY c.rank`,
        [code, String(w.sheet), String(w.planted)],
      )
      expect(rows[0], `${w.sheet}/${w.planted} (${w.form})`).toMatchObject({ parcel_number: String(w.truthNumber), rank: 1 })
      expect(rows[0].reasons.point).toBe(1)
      expect(rows.slice(1).every((r: { reasons: { point: number } }) => r.reasons.point === 0)).toBe(true)
    }
  })
})
