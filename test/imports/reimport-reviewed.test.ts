/**
 * Re-delivering sheets whose parcels the office has already worked on: signed parcels are
 * never replaced by an import (the job fails, nothing changes); parcels with a clerk's decision
 * are replaced (kept in history) and the report says so. The progress counters follow a
 * commune's first load, which joins `parcels` as a new partition.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { countFromTables, readCounters } from '../../src/progress/index.js'
import { testDatabase } from '../helpers/db.js'
import { importParcels, makeProvince, registerCommunes, type TestProvince } from '../helpers/province.js'

const db = testDatabase()
let first: TestProvince
let second: TestProvince
let code: string

const load = (province: TestProvince) => importParcels(db.knex, province, code)

beforeAll(async () => {
  first = await makeProvince({ firstCode: 31900, communes: 1, parcelsPerCommune: 300, seed: 3 })
  // The contractor's second delivery of the same commune: other geometry, same sheets.
  second = await makeProvince({ firstCode: 31900, communes: 1, parcelsPerCommune: 300, seed: 4 })
  await registerCommunes(db.knex, first)
  code = first.codes[0]!
  expect((await load(first)).state).toBe('succeeded')
}, 60_000)

afterAll(async () => {
  first?.cleanUp()
  second?.cleanUp()
  await db.close()
})

describe('re-importing sheets the office has worked on', () => {
  it('counts a commune first loaded as a new partition in the progress counters', async () => {
    const counters = (await readCounters(db.knex, [code])).filter((c) => c.metric.startsWith('status:') && c.n !== 0)
    const fromTables = (await countFromTables(db.knex, [code])).filter((c) => c.metric.startsWith('status:'))
    expect(counters.map((c) => [c.metric, c.n])).toEqual(fromTables.map((c) => [c.metric, c.n]))
  })

  it('refuses to replace signed parcels, naming the sheets, and changes nothing', async () => {
    const signed = await db.knex('parcels').where({ commune_code: code }).orderBy('id').limit(2).pluck('id')
    await db.knex('parcels').where({ commune_code: code }).whereIn('id', signed).update({ status: 'signed' })
    const before = await db.knex('parcels').where({ commune_code: code }).orderBy('id').pluck('id')
    const job = await load(second)
    expect(job.state).toBe('failed')
    expect(job.error).toContain('2 thửa đã ký số')
    expect(job.error).toContain('nothing was changed')
    expect(await db.knex('parcels').where({ commune_code: code }).orderBy('id').pluck('id')).toEqual(before)
    await db.knex('parcels').where({ commune_code: code }).whereIn('id', signed).update({ status: 'reconciled' })
  })

  it('replaces parcels with a clerk decision, keeps them in history and reports it', async () => {
    const [decided] = await db.knex('parcels').where({ commune_code: code }).orderBy('id').limit(1).select('id', 'sheet_number')
    await db.knex('matches').insert({ commune_code: code, parcel_id: decided.id, category: 'spatial_only', decided: true })
    const job = await load(second)
    expect(job.state).toBe('succeeded')
    const [finding] = await db.knex('import_findings').where({ job_id: job.id, code: 'decisions_replaced' })
    expect(finding.message).toContain(`tờ ${decided.sheet_number}`)
    expect(finding.details).toMatchObject({ parcels: 1 })
    expect(await db.knex('parcel_history').where({ commune_code: code, id: decided.id }).first('status')).toEqual({ status: 'reconciled' })
  })
})
