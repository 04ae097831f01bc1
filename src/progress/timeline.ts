/**
 * Progress over time (tiến độ theo ngày) for one commune or all the user sees: per day (Vietnam
 * time), the decisions by kind from the audit trail, the successful imports and matching runs,
 * the parcels signed, and the cumulative number of parcels at each stage.
 *
 * Each event keeps the parcel's status before and after (and, for a relink, the target
 * parcel's), so a day's change of "reconciled or beyond" is the events that crossed that line
 * upward minus those that fell back (a reopen, a decision on a signed parcel). Signing writes
 * no event: the parcels of each signed batch count as signed on the day it was signed.
 */
import type { Knex } from 'knex'

/** Vietnam keeps UTC+7 all year; days are counted as the office lives them (the roll-up uses the same zone). */
export const TIMELINE_TIME_ZONE = 'Asia/Ho_Chi_Minh'

export interface TimelineDay {
  date: string
  /** Decisions by kind (accept, correct, relink, link, unlink, flag, reopen, …). */
  decisions: Record<string, number>
  decisionsTotal: number
  /** Successful import jobs by kind (parcels, records). */
  imports: Record<string, number>
  matchRuns: number
  /** Parcels signed that day (entries of the batches signed). */
  signatures: number
  /** Parcels at or beyond each stage, cumulative up to this day. */
  reconciled: number
  signed: number
  synced: number
}

export interface Timeline {
  communes: string[] | null
  timeZone: string
  days: TimelineDay[]
}

interface DecisionRow {
  day: string
  kind: string
  n: number
  reconciled: number
  signed: number
  synced: number
}

/**
 * Decisions per day and kind, with each day's net change of parcels at or beyond each stage:
 * the roll-up the audit events keep by trigger (migrations/20261123103000_progress_counters.ts),
 * a few rows per commune and day instead of every event.
 */
async function decisionsPerDay(knex: Knex, communes: string[] | null): Promise<DecisionRow[]> {
  const { rows } = await knex.raw<{ rows: DecisionRow[] }>(
    `SELECT CAST(day AS text) AS day, kind, sum(n)::int AS n,
            sum(reconciled)::int AS reconciled, sum(signed)::int AS signed, sum(synced)::int AS synced
     FROM progress_daily_events
     WHERE CAST(? AS text[]) IS NULL OR commune_code = ANY(CAST(? AS text[]))
     GROUP BY day, kind ORDER BY day, kind`,
    [communes, communes],
  )
  return rows
}

/** Successful import jobs per day and kind, succeeded matching runs, and parcels signed. */
async function runsPerDay(knex: Knex, communes: string[] | null): Promise<Array<{ day: string; what: string; n: number }>> {
  const { rows } = await knex.raw(
    `SELECT CAST(CAST(finished_at AT TIME ZONE :zone AS date) AS text) AS day, 'import:' || kind AS what, count(*)::int AS n
     FROM import_jobs
     WHERE state = 'succeeded' AND finished_at IS NOT NULL
       AND (CAST(:communes AS text[]) IS NULL OR commune_code = ANY(CAST(:communes AS text[])))
     GROUP BY 1, 2
     UNION ALL
     SELECT CAST(CAST(finished_at AT TIME ZONE :zone AS date) AS text), 'match', count(*)::int
     FROM match_runs
     WHERE state = 'succeeded' AND finished_at IS NOT NULL
       AND (CAST(:communes AS text[]) IS NULL OR commune_code = ANY(CAST(:communes AS text[])))
     GROUP BY 1, 2
     UNION ALL
     SELECT CAST(CAST(signed_at AT TIME ZONE :zone AS date) AS text), 'sign', sum(entry_count)::int
     FROM signature_batches
     WHERE state = 'signed' AND signed_at IS NOT NULL
       AND (CAST(:communes AS text[]) IS NULL OR commune_code = ANY(CAST(:communes AS text[])))
     GROUP BY 1, 2`,
    { zone: TIMELINE_TIME_ZONE, communes },
  )
  return rows
}

/** Every day from the first activity to the last (days without any carry the totals on). */
export async function progressTimeline(knex: Knex, communes: string[] | null): Promise<Timeline> {
  const [decisions, runs] = await Promise.all([decisionsPerDay(knex, communes), runsPerDay(knex, communes)])
  const dates = [...decisions.map((d) => d.day), ...runs.map((r) => r.day)].sort()
  const days: TimelineDay[] = []
  if (dates.length > 0) {
    const byDate = new Map<string, TimelineDay>()
    const last = dates.at(-1)!
    for (let date = dates[0]!; date <= last; date = nextDate(date)) {
      const day: TimelineDay = { date, decisions: {}, decisionsTotal: 0, imports: {}, matchRuns: 0, signatures: 0, reconciled: 0, signed: 0, synced: 0 }
      byDate.set(date, day)
      days.push(day)
    }
    for (const d of decisions) {
      const day = byDate.get(d.day)!
      day.decisions[d.kind] = d.n
      day.decisionsTotal += d.n
      day.reconciled += d.reconciled
      day.signed += d.signed
      day.synced += d.synced
    }
    for (const r of runs) {
      const day = byDate.get(r.day)!
      if (r.what === 'match') day.matchRuns += r.n
      else if (r.what === 'sign') {
        day.signatures += r.n
        day.signed += r.n
      } else day.imports[r.what.slice('import:'.length)] = r.n
    }
    // Daily changes to running totals.
    for (let i = 1; i < days.length; i++) {
      days[i]!.reconciled += days[i - 1]!.reconciled
      days[i]!.signed += days[i - 1]!.signed
      days[i]!.synced += days[i - 1]!.synced
    }
  }
  return { communes, timeZone: TIMELINE_TIME_ZONE, days }
}

function nextDate(date: string): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + 1)
  return d.toISOString().slice(0, 10)
}
