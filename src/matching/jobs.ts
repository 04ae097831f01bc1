/**
 * Matching runs as background jobs (lượt đối chiếu): asking for a run records it as queued and
 * hands it to the app's job queue; the run completes its own row in the matching transaction
 * (engine.ts), so a run is "succeeded" exactly when its matches are stored. A run that fails
 * keeps its error; one cut off by a stopped process is marked interrupted at the next start.
 */
import type { Knex } from 'knex'
import { AppError, NotFound } from '../errors.js'
import type { Logger } from '../logger.js'
import { matchCommune, type MatchOptions } from './engine.js'

export type MatchRunState = 'queued' | 'running' | 'succeeded' | 'failed' | 'interrupted'

export interface MatchRunRow {
  id: number
  commune_code: string
  state: MatchRunState
  rule: string
  counts: Record<string, number>
  keys_rematched: number
  error: string | null
  requested_by: number | null
  requested_at: string
  started_at: string | null
  finished_at: string | null
}

/** Where background work runs: the app's job queue (one job at a time on two cores). */
export interface BackgroundQueue {
  enqueue(name: string, work: () => Promise<unknown>): void
}

const RUN_COLUMNS = ['id', 'commune_code', 'state', 'rule', 'counts', 'keys_rematched', 'error', 'requested_by', 'requested_at', 'started_at', 'finished_at']

/**
 * Records a queued run for the commune and queues it. A commune with a run already waiting gets
 * that run back instead of a second one: it will see every change made before it starts.
 */
export async function requestMatchRun(knex: Knex, queue: BackgroundQueue, communeCode: string, options: { requestedBy?: number | null; logger?: Logger } & MatchOptions = {}): Promise<MatchRunRow> {
  const waiting = await knex('match_runs').where({ commune_code: communeCode, state: 'queued' }).first(RUN_COLUMNS)
  if (waiting) return waiting as MatchRunRow
  const [run] = await knex('match_runs')
    .insert({ commune_code: communeCode, state: 'queued', rule: (options.rule?.name ?? 'pending'), requested_by: options.requestedBy ?? null })
    .returning(RUN_COLUMNS)
  queue.enqueue(`match ${communeCode}`, () => runMatchRun(knex, run as MatchRunRow, options))
  return run as MatchRunRow
}

/** Runs a queued run; its failure is stored on the run, not thrown (no one awaits it). */
export async function runMatchRun(knex: Knex, run: MatchRunRow, options: { logger?: Logger } & MatchOptions = {}): Promise<void> {
  await knex('match_runs').where({ commune_code: run.commune_code, id: run.id }).update({ state: 'running' })
  try {
    await matchCommune(knex, run.commune_code, { ...options, runId: run.id })
  } catch (error) {
    options.logger?.error({ err: error, commune: run.commune_code, run: run.id }, 'matching run failed')
    // Internal errors are not shown to clerks as they are; they are in the server log.
    const message = error instanceof AppError ? error.message : 'Lỗi hệ thống khi đối chiếu; chưa có thay đổi nào được lưu. Hãy báo quản trị viên (internal error; nothing was changed).'
    await knex('match_runs').where({ commune_code: run.commune_code, id: run.id }).update({ state: 'failed', error: message, finished_at: knex.fn.now() })
  }
}

export async function getMatchRun(knex: Knex, communeCode: string, id: number): Promise<MatchRunRow> {
  const run = await knex('match_runs').where({ commune_code: communeCode, id }).first(RUN_COLUMNS)
  if (!run) throw new NotFound(`Xã ${communeCode} không có lượt đối chiếu số ${id} (no such matching run).`, { field: 'id' })
  return run as MatchRunRow
}

export async function listMatchRuns(knex: Knex, communeCode: string, limit = 20): Promise<MatchRunRow[]> {
  return knex('match_runs').where({ commune_code: communeCode }).orderBy('id', 'desc').limit(limit).select(RUN_COLUMNS)
}

/** Runs left queued or running by a stopped process: nothing of them was applied. */
export async function markInterruptedMatchRuns(knex: Knex, onlyCommune?: string): Promise<number> {
  return knex('match_runs')
    .whereIn('state', ['queued', 'running'])
    .modify((q) => (onlyCommune ? q.where({ commune_code: onlyCommune }) : q))
    .update({ state: 'interrupted', finished_at: knex.fn.now(), error: 'Lượt đối chiếu bị dừng khi máy chủ khởi động lại; chưa có thay đổi nào được lưu, hãy chạy lại (interrupted by a restart; nothing was applied).' })
}
