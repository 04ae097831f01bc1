import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createParcelJob, datasetSha256, markInterruptedJobs, runParcelJob } from '../../src/imports/index.js'
import { testDatabase } from '../helpers/db.js'
import { makeProvince, registerCommunes, type TestProvince } from '../helpers/province.js'

const db = testDatabase()
let province: TestProvince

beforeAll(async () => {
  province = await makeProvince({ firstCode: 31000, communes: 3, parcelsPerCommune: 400 })
  await registerCommunes(db.knex, province)
})
afterAll(async () => {
  province?.cleanUp()
  await db.close()
})

async function importCommune(code: string) {
  const dataset = province.shapefile(code)
  const job = await createParcelJob(db.knex, { sourceName: dataset.name, sha256: await datasetSha256(dataset) })
  return runParcelJob(db.knex, job.id, dataset)
}

async function findings(jobId: number, code: string) {
  return db.knex('import_findings').where({ job_id: jobId, code }).orderBy('seq')
}

describe('parcel import of a synthetic commune', () => {
  let job: Awaited<ReturnType<typeof importCommune>>
  let code: string
  beforeAll(async () => {
    code = province.codes[0]!
    job = await importCommune(code)
  })

  it('loads every map parcel of the file into its commune, in the TM-3 zone', async () => {
    expect(job.state, job.error ?? '').toBe('succeeded')
    const truth = province.truth(code)
    const [{ n, srids }] = (await db.knex.raw('SELECT count(*)::int AS n, array_agg(DISTINCT srid) AS srids FROM parcels WHERE commune_code = ?', [code])).rows
    expect(n).toBe(truth.parcels)
    expect(srids).toEqual([9218])
    expect(job.counts).toMatchObject({ parcels: truth.parcels, rejected: 0 })
  })

  it('stores areas that equal the DBF area for every unplanted parcel', async () => {
    const truth = province.truth(code)
    const planted = new Set(truth.planted.flatMap((p) => p.keys.map(([s, n]) => `${s}/${n}`)))
    const rows = await db.knex('parcels').where({ commune_code: code }).select('sheet_number', 'parcel_number', 'area_m2', 'attributes')
    let compared = 0
    for (const r of rows) {
      if (planted.has(`${r.sheet_number}/${r.parcel_number}`)) continue
      const dbfArea = Number(r.attributes[truth.dbf.fields.area])
      expect(Math.abs(r.area_m2 - dbfArea), `${r.sheet_number}/${r.parcel_number}`).toBeLessThan(0.06)
      compared++
    }
    expect(compared).toBeGreaterThan(rows.length * 0.9)
  })

  it('repairs and flags every planted invalid geometry, and nothing else', async () => {
    const planted = province.truth(code).planted.filter((p) => p.kind === 'invalid_geometry').map((p) => `${p.sheet}/${p.parcel}`)
    const repaired = (await findings(job.id, 'geometry_repaired')).map((f) => `${f.sheet_number}/${f.parcel_number}`)
    expect(planted.length).toBeGreaterThan(0)
    expect(repaired.sort()).toEqual(planted.sort())
    const { rows } = await db.knex.raw('SELECT count(*)::int AS n FROM parcels WHERE commune_code = ? AND NOT ST_IsValid(geom)', [code])
    expect(rows[0].n).toBe(0)
  })

  it('finds every planted sliver overlap, and only overlaps that involve planted parcels', async () => {
    const truth = province.truth(code)
    const plantedKeys = new Set(truth.planted.flatMap((p) => p.keys.map(([s, n]) => `${s}/${n}`)))
    const overlaps = await findings(job.id, 'overlap')
    for (const sliver of truth.planted.filter((p) => p.kind === 'sliver_overlap')) {
      const [[s1, p1], [s2, p2]] = sliver.keys as [[number, number], [number, number]]
      const found = overlaps.some(
        (f) => (f.sheet_number === `${s1}` && f.parcel_number === `${p1}` && f.details.otherParcel === `${p2}`) || (f.sheet_number === `${s2}` && f.parcel_number === `${p2}` && f.details.otherParcel === `${p1}`),
      )
      expect(found, `sliver ${s1}/${p1} ~ ${s2}/${p2}`).toBe(true)
    }
    for (const f of overlaps) {
      const involved = plantedKeys.has(`${f.sheet_number}/${f.parcel_number}`) || plantedKeys.has(`${f.details.otherSheet}/${f.details.otherParcel}`)
      expect(involved, `unexpected overlap ${f.message}`).toBe(true)
    }
  })

  it('flags every planted duplicate key on the map side and keeps both parcels', async () => {
    const truth = province.truth(code)
    const duplicates = truth.planted.filter((p) => p.kind === 'duplicate_key' && (p.detail as { side?: string }).side === 'map')
    const flagged = (await findings(job.id, 'duplicate_key')).map((f) => `${f.sheet_number}/${f.parcel_number}`)
    expect(flagged.sort()).toEqual(duplicates.map((p) => `${p.sheet}/${p.parcel}`).sort())
    for (const p of duplicates) {
      const n = await db.knex('parcels').where({ commune_code: code, sheet_number: `${p.sheet}`, parcel_number: `${p.parcel}` }).count({ n: '*' })
      expect(Number(n[0]!.n)).toBe(2)
    }
  })

  it('recognises the same file uploaded again and loads nothing twice', async () => {
    const before = await db.knex('parcels').where({ commune_code: code }).count({ n: '*' })
    const again = await importCommune(code)
    expect(again.state).toBe('duplicate')
    expect(again.duplicate_of).toBe(job.id)
    expect(await db.knex('parcels').where({ commune_code: code }).count({ n: '*' })).toEqual(before)
  })
})

describe('re-importing a commune', () => {
  it('replaces the parcels of the re-delivered sheets and keeps the previous version as history', async () => {
    const code = province.codes[1]!
    const first = await importCommune(code)
    expect(first.state, first.error ?? '').toBe('succeeded')
    const before = await db.knex('parcels').where({ commune_code: code }).select('id', 'sheet_number', 'parcel_number')
    // A corrected delivery of the same sheets: different bytes, same content here.
    const dataset = province.shapefile(code)
    const job = await createParcelJob(db.knex, { sourceName: 'corrected', sha256: `${await datasetSha256(dataset)}-v2` })
    const second = await runParcelJob(db.knex, job.id, dataset)
    expect(second.state, second.error ?? '').toBe('succeeded')
    expect(second.counts).toMatchObject({ replaced: before.length })
    const after = await db.knex('parcels').where({ commune_code: code }).select('import_job_id')
    expect(after).toHaveLength(before.length)
    expect(new Set(after.map((r) => r.import_job_id))).toEqual(new Set([job.id]))
    const history = await db.knex('parcel_history').where({ commune_code: code, superseded_by_job: job.id }).select('id')
    expect(history.map((h) => h.id).sort()).toEqual(before.map((b) => b.id).sort())
  })
})

describe('checks against the commune', () => {
  it('flags exactly the parcels that lie outside the commune boundary', async () => {
    const code = province.codes[2]!
    const dataset = province.shapefile(code)
    const job = await createParcelJob(db.knex, { sourceName: dataset.name, sha256: await datasetSha256(dataset) })
    const first = await runParcelJob(db.knex, job.id, dataset)
    expect(first.state, first.error ?? '').toBe('succeeded')
    const { rows: box } = await db.knex.raw('SELECT ST_XMin(e) x0, ST_YMin(e) y0, ST_XMax(e) x1, ST_YMax(e) y1 FROM (SELECT ST_Extent(geom) e FROM parcels WHERE commune_code = ?) q', [code])
    // Shrink the boundary to the west half of the commune's parcels, then load again.
    const mid = (box[0].x0 + box[0].x1) / 2
    await db.knex.raw('UPDATE communes SET boundary = ST_Multi(ST_MakeEnvelope(?, ?, ?, ?, 9218)) WHERE code = ?', [box[0].x0 - 1, box[0].y0 - 1, mid, box[0].y1 + 1, code])
    const again = await createParcelJob(db.knex, { sourceName: 'west half', sha256: `${await datasetSha256(dataset)}-west` })
    const done = await runParcelJob(db.knex, again.id, dataset)
    expect(done.state, done.error ?? '').toBe('succeeded')
    const flagged = (await db.knex('import_findings').where({ job_id: again.id, code: 'outside_commune' }).select('row')).map((f) => f.row).sort((a, b) => a - b)
    const { rows: outside } = await db.knex.raw(
      'SELECT source_row FROM parcels p, communes c WHERE c.code = p.commune_code AND p.commune_code = ? AND NOT ST_Covers(c.boundary, p.geom) ORDER BY 1',
      [code],
    )
    expect(outside.length).toBeGreaterThan(10)
    expect(flagged).toEqual(outside.map((r: { source_row: number }) => r.source_row))
  })

  it('marks jobs left running by a stopped process as interrupted, with nothing applied', async () => {
    const job = await createParcelJob(db.knex, { sourceName: 'crashed', sha256: 'not-a-real-file-hash' })
    await db.knex('import_jobs').where({ id: job.id }).update({ state: 'running' })
    expect(await markInterruptedJobs(db.knex)).toBeGreaterThanOrEqual(1)
    const after = await db.knex('import_jobs').where({ id: job.id }).first()
    expect(after.state).toBe('interrupted')
    expect(after.error).toMatch(/nhập lại/)
    expect(await db.knex('parcels').where({ import_job_id: job.id }).count({ n: '*' })).toEqual([{ n: 0 }])
  })
})

describe('inputs that must not break the import', () => {
  const write = (name: string, body: unknown) => {
    const file = path.join(province.dir, name)
    fs.writeFileSync(file, JSON.stringify(body))
    return { kind: 'geojson' as const, name, path: file }
  }
  const square = (x: number, y: number) => ({ type: 'Polygon', coordinates: [[[x, y], [x, y + 20], [x + 20, y + 20], [x + 20, y], [x, y]]] })

  it('replaces NUL characters in text (PostgreSQL cannot store them) and says so', async () => {
    await db.knex('communes').insert({ code: '31091', name: 'Xã NUL', province_code: '64', srid: 9218 }).onConflict('code').ignore()
    const dataset = write('31091.geojson', {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: { MAXA: '31091', SHBANDO: 1, SHTHUA: 1, TENCHU: 'Nguyễn\u0000Văn', GHICHU: 'a\u0000b' }, geometry: square(450000, 1550000) }],
    })
    const job = await createParcelJob(db.knex, { sourceName: dataset.name, sha256: await datasetSha256(dataset) })
    const done = await runParcelJob(db.knex, job.id, dataset)
    expect(done.state, done.error ?? '').toBe('succeeded')
    const parcel = await db.knex('parcels').where({ commune_code: '31091' }).first()
    expect(parcel.owner_name).toBe('Nguyễn\ufffdVăn')
    expect(parcel.attributes.GHICHU).toBe('a\ufffdb')
    const fields = (await db.knex('import_findings').where({ job_id: job.id, code: 'nul_replaced' }).pluck('field')).sort()
    expect(fields).toEqual(['GHICHU', 'TENCHU'])
  })

  it('fails a file with no usable parcel, naming it, and loads nothing', async () => {
    const dataset = write('31091-empty.geojson', {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: { MAXA: '31091', SHBANDO: 2, SHTHUA: 1 }, geometry: null }],
    })
    const job = await createParcelJob(db.knex, { sourceName: dataset.name, sha256: await datasetSha256(dataset) })
    const done = await runParcelJob(db.knex, job.id, dataset)
    expect(done.state).toBe('failed')
    expect(done.error).toContain('31091-empty.geojson')
    expect(await db.knex('parcels').where({ import_job_id: job.id }).count({ n: '*' })).toEqual([{ n: 0 }])
  })

  it('loads a delivery again once a later delivery has replaced its parcels (going back to it)', async () => {
    const code = province.codes[1]!
    const dataset = province.shapefile(code)
    // The commune's original delivery was replaced by the "corrected" one above.
    const again = await createParcelJob(db.knex, { sourceName: 'back to the original', sha256: await datasetSha256(dataset) })
    expect(again.state).toBe('queued')
    const done = await runParcelJob(db.knex, again.id, dataset)
    expect(done.state, done.error ?? '').toBe('succeeded')
    const again2 = await createParcelJob(db.knex, { sourceName: 'twice', sha256: await datasetSha256(dataset) })
    expect(again2.state).toBe('duplicate')
    expect(again2.duplicate_of).toBe(again.id)
  })
})
