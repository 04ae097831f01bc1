/**
 * The parcel import against real bad inputs: each folder of fixtures/import (written by
 * scripts/make-import-fixtures.ts) is a delivery with one thing wrong, and its expected.json
 * says what the import must make of it: the job's state and counts, every finding code with
 * its count, values stored, and for a refused delivery that the database is as it was.
 * Communes 33001–33019 and 09922 belong to this file.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { upsertCommunes } from '../../src/communes/index.js'
import { createParcelJob, datasetSha256, runParcelJob, type Dataset, type JobRow } from '../../src/imports/index.js'
import { FIXTURE_NAMES, makeImportFixtures, type Expected } from '../../scripts/make-import-fixtures.js'
import { testDatabase } from '../helpers/db.js'

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/import')
const db = testDatabase()

const names = fs.readdirSync(FIXTURES).filter((name) => fs.existsSync(path.join(FIXTURES, name, 'expected.json'))).sort()
const expectedOf = (name: string): Expected => JSON.parse(fs.readFileSync(path.join(FIXTURES, name, 'expected.json'), 'utf8'))

function datasetOf(name: string): Dataset {
  const dir = path.join(FIXTURES, name)
  const d = expectedOf(name).dataset
  if (d.kind === 'geojson') return { kind: 'geojson', name, path: path.join(dir, d.path) }
  const at = (file?: string) => (file ? path.join(dir, file) : undefined)
  return { kind: 'shapefile', name, shp: path.join(dir, d.shp), dbf: at(d.dbf), shx: at(d.shx), prj: at(d.prj), cpg: at(d.cpg) }
}

/** Imports a fixture as a new job; `tag` makes the hash differ when a fixture is delivered again. */
async function importFixture(name: string, tag = ''): Promise<JobRow> {
  const dataset = datasetOf(name)
  const job = await createParcelJob(db.knex, { sourceName: name, sha256: `${await datasetSha256(dataset)}${tag}` })
  return runParcelJob(db.knex, job.id, dataset)
}

async function findingCounts(jobId: number): Promise<Record<string, number>> {
  const rows = await db.knex('import_findings').where({ job_id: jobId }).groupBy('code').select('code').count<Array<{ code: string; n: string }>>({ n: '*' })
  return Object.fromEntries(rows.map((r) => [r.code, Number(r.n)]))
}

async function parcelCount(where: Record<string, unknown>): Promise<number> {
  const [row] = await db.knex('parcels').where(where).count({ n: '*' })
  return Number(row!.n)
}

/** Everything of a commune an import could change, in a comparable form. */
async function snapshot(code: string) {
  const parcels = await db.knex.raw(
    `SELECT id, sheet_number, parcel_number, sheet_number_raw, parcel_number_raw, owner_name, address, land_use_codes, area_m2,
            import_job_id, source_row, status, version, md5(ST_AsEWKB(geom)::text) AS geom_md5
     FROM parcels WHERE commune_code = ? ORDER BY id`,
    [code],
  )
  const history = await db.knex('parcel_history').where({ commune_code: code }).orderBy('history_id').select('history_id', 'id', 'superseded_by_job')
  const sheets = await db.knex('map_sheets').where({ commune_code: code }).orderBy('sheet_number').select('sheet_number', 'srid')
  return { parcels: parcels.rows, history, sheets }
}

beforeAll(async () => {
  const communes = new Map(names.map((name) => {
    const c = expectedOf(name).commune
    return [c.code, { code: c.code, name: c.name, provinceCode: c.provinceCode, srid: c.srid, boundaryWkt: c.boundaryWkt }]
  }))
  await upsertCommunes(db.knex, [...communes.values()])
})
afterAll(async () => {
  await db.close()
})

describe('the bad-input fixtures', () => {
  it('cover every case they are meant to', () => {
    expect(names).toEqual(expect.arrayContaining([
      'utf8-cpg', 'tcvn3-no-cpg', 'vni-no-cpg', 'cpg-garbage', 'prj-missing', 'prj-wrong-degrees', 'null-shapes', 'holes', 'bow-tie',
      'spike', 'duplicate-keys', 'numbers-as-floats', 'encoding-residue', 'truncated-shp', 'dbf-row-count', 'shx-missing', 'geojson-crs',
    ]))
    expect(names).toEqual([...FIXTURE_NAMES].sort())
  })

  it('are what scripts/make-import-fixtures.ts writes, byte for byte', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'landbook-fixtures-'))
    try {
      const written = await makeImportFixtures(out)
      for (const name of written) {
        const files = fs.readdirSync(path.join(out, name)).sort()
        expect(fs.readdirSync(path.join(FIXTURES, name)).sort(), name).toEqual(files)
        for (const file of files) {
          const same = fs.readFileSync(path.join(out, name, file)).equals(fs.readFileSync(path.join(FIXTURES, name, file)))
          expect(same, `${name}/${file} differs: run npm run fixtures:import`).toBe(true)
        }
      }
    } finally {
      fs.rmSync(out, { recursive: true, force: true })
    }
  })

  it('are each a few KB', () => {
    for (const name of fs.readdirSync(FIXTURES)) {
      for (const file of fs.readdirSync(path.join(FIXTURES, name))) {
        expect(fs.statSync(path.join(FIXTURES, name, file)).size, `${name}/${file}`).toBeLessThan(16 * 1024)
      }
    }
  })
})

describe.each(names)('importing %s', (name) => {
  const expected = expectedOf(name)
  const code = expected.commune.code
  let job: JobRow
  let before: Awaited<ReturnType<typeof snapshot>>

  beforeAll(async () => {
    if (expected.loadFirst) {
      // The good delivery, loaded as a new job each time, is what the bad one must not touch.
      const first = await importFixture(expected.loadFirst, `#before-${name}`)
      expect(first.state, first.error ?? '').toBe('succeeded')
    }
    before = await snapshot(code)
    job = await importFixture(name)
  })

  it(`ends ${expected.state} with the expected counts`, () => {
    expect(job.state, job.error ?? '').toBe(expected.state)
    if (expected.state === 'succeeded') {
      expect(job.counts).toMatchObject({ parcels: expected.parcels, rejected: expected.rejected })
      expect(job.commune_code).toBe(code)
    }
  })

  it('reports exactly the expected findings', async () => {
    expect(await findingCounts(job.id)).toEqual(expected.findings)
    const findings = await db.knex('import_findings').where({ job_id: job.id })
    for (const f of findings) expect(f.file, `${f.code}: ${f.message}`).toBeTruthy()
  })

  if (expected.report) {
    it('reports how the file was read', () => {
      expect(job.report).toMatchObject(expected.report!)
    })
  }

  if (expected.state === 'succeeded') {
    it('stores the parcels with the expected values', async () => {
      const stored = await db.knex('parcels').where({ import_job_id: job.id }).select('*', db.knex.raw('ST_NumGeometries(geom) AS n_polygons, ST_NRings(geom) AS n_rings, ST_IsValid(geom) AS valid, ST_XMin(geom) AS xmin, ST_YMin(geom) AS ymin, ST_XMax(geom) AS xmax, ST_YMax(geom) AS ymax'))
      expect(stored).toHaveLength(expected.parcels)
      expect(await parcelCount({ commune_code: code })).toBe(expected.parcels)
      for (const p of stored) expect(p.valid, `row ${p.source_row} stored an invalid geometry`).toBe(true)
      for (const want of expected.stored ?? []) {
        const got = stored.find((p) => p.source_row === want.row)
        expect(got, `row ${want.row} not stored`).toBeDefined()
        for (const [column, value] of Object.entries(want.values)) {
          if (column === 'area_m2' || column === 'legal_area_m2') expect(Number(got[column]), `row ${want.row} ${column}`).toBeCloseTo(value as number, 2)
          else expect(got[column], `row ${want.row} ${column}`).toEqual(value)
        }
        if (want.polygons !== undefined) expect(got.n_polygons, `row ${want.row} polygons`).toBe(want.polygons)
        if (want.rings !== undefined) expect(got.n_rings, `row ${want.row} rings`).toBe(want.rings)
        if (want.bbox) {
          const bbox = [got.xmin, got.ymin, got.xmax, got.ymax]
          want.bbox.forEach((v, i) => expect(Math.abs(bbox[i] - v), `row ${want.row} bbox ${bbox} vs ${want.bbox}`).toBeLessThan(0.05))
        }
      }
      for (const row of expected.notStored ?? []) expect(stored.find((p) => p.source_row === row), `row ${row} stored`).toBeUndefined()
    })
  }

  if (expected.notStored) {
    it('names each skipped row in a finding', async () => {
      const rows = await db.knex('import_findings').where({ job_id: job.id }).whereIn('code', ['null_shape', 'deleted_record', 'geometry_rejected', 'missing_key']).orderBy('row').pluck('row')
      expect(rows).toEqual(expected.notStored)
    })
  }

  if (expected.state === 'failed') {
    it('names the damaged file in the error and its finding', async () => {
      for (const words of expected.error!.contains) expect(job.error).toContain(words)
      const [finding] = await db.knex('import_findings').where({ job_id: job.id, code: 'import_failed' })
      expect(finding).toMatchObject({ severity: 'error', file: expected.error!.file })
      expect(job.counts).toEqual({})
    })

    it('leaves the database exactly as it was, the earlier delivery intact', async () => {
      expect(before.parcels.length).toBeGreaterThan(0)
      expect(await snapshot(code)).toEqual(before)
      expect(await parcelCount({ import_job_id: job.id })).toBe(0)
    })
  }
})
