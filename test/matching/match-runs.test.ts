/**
 * Matching runs as background jobs: queued, run by the job queue, completed in the matching
 * transaction; a failure is stored on the run and changes nothing; a restart marks the runs
 * it cut off.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { JobQueue } from '../../src/imports/index.js'
import { DEFAULT_TOLERANCE_RULE, getMatchRun, markInterruptedMatchRuns, matchSummary, requestMatchRun } from '../../src/matching/index.js'
import { testDatabase } from '../helpers/db.js'
import { silentLogger } from '../helpers/app.js'
import { importParcels, makeProvince, registerCommunes, type TestProvince } from '../helpers/province.js'
import { insertGeneratedRecords } from '../helpers/records.js'

const db = testDatabase()
const queue = new JobQueue(silentLogger)
let province: TestProvince
let code: string

beforeAll(async () => {
  province = await makeProvince({ firstCode: 38900, communes: 1, parcelsPerCommune: 300, seed: 5 })
  await registerCommunes(db.knex, province)
  code = province.codes[0]!
  await importParcels(db.knex, province, code)
  await insertGeneratedRecords(db.knex, province.dir, code)
}, 60_000)

afterAll(async () => {
  await queue.idle()
  province?.cleanUp()
  await db.close()
})

describe('matching runs as jobs', () => {
  it('queues a run, runs it in the background and stores its outcome with the matches', async () => {
    const run = await requestMatchRun(db.knex, queue, code)
    expect(run.state).toBe('queued')
    expect(run.started_at).toBeNull()
    await queue.idle()
    const done = await getMatchRun(db.knex, code, run.id)
    expect(done).toMatchObject({ state: 'succeeded', rule: DEFAULT_TOLERANCE_RULE.name, error: null })
    expect(done.started_at).not.toBeNull()
    const summary = await matchSummary(db.knex, code)
    expect(done.counts).toEqual(Object.fromEntries(Object.entries(summary.categories).filter(([, n]) => n > 0)))
    expect(summary.lastRun?.id).toBe(run.id)
  })

  it('gives back the run already waiting instead of queuing a second one', async () => {
    const held = new JobQueue(silentLogger)
    let release!: () => void
    held.enqueue('hold', () => new Promise<void>((resolve) => (release = resolve)))
    const first = await requestMatchRun(db.knex, held, code)
    const second = await requestMatchRun(db.knex, held, code)
    expect(second.id).toBe(first.id)
    release()
    await held.idle()
    expect((await getMatchRun(db.knex, code, first.id)).state).toBe('succeeded')
  })

  it('stores the failure of a run on it and leaves the earlier matches as they were', async () => {
    const before = await db.knex('matches').where({ commune_code: code }).orderBy('id').select('id', 'category')
    // A parcel changed since the last run makes the run do work; a rule without a name makes it fail at the end.
    await db.knex('parcels').where({ commune_code: code }).orderBy('id').limit(1).update({ updated_at: db.knex.fn.now() })
    const run = await requestMatchRun(db.knex, queue, code, { rule: { ...DEFAULT_TOLERANCE_RULE, name: null as unknown as string } })
    await queue.idle()
    const failed = await getMatchRun(db.knex, code, run.id)
    expect(failed.state).toBe('failed')
    expect(failed.error).toContain('chưa có thay đổi nào được lưu')
    expect(await db.knex('matches').where({ commune_code: code }).orderBy('id').select('id', 'category')).toEqual(before)
  })

  it('marks runs left queued or running by a stopped process as interrupted', async () => {
    const [orphan] = await db.knex('match_runs').insert({ commune_code: code, state: 'running', rule: 'pending' }).returning('id')
    // Scoped to this file's commune: other files' runs may be in flight in the same database.
    expect(await markInterruptedMatchRuns(db.knex, code)).toBe(1)
    const run = await getMatchRun(db.knex, code, Number(orphan.id))
    expect(run.state).toBe('interrupted')
    expect(run.error).toContain('khởi động lại')
  })

  it('answers an unknown run with NotFound', async () => {
    await expect(getMatchRun(db.knex, code, 987654)).rejects.toThrow(/không có lượt đối chiếu/)
  })
})
