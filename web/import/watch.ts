// Following a running import job: the server's event stream (one update a second), or polling
// GET /api/imports/:id each second when the stream cannot be opened or breaks.
// A browser keeps at most six connections to one server, and an open stream holds one; so at
// most MAX_FOLLOWED jobs are followed at once, oldest first, and the others wait their turn
// (the server runs one job at a time, so the waiting ones are queued anyway).
import { getJson } from './api.js'
import type { ImportCounts, ImportJobRow, ImportProgress } from '../types.js'

/** One update of a job: the stream's message, or the job polled. */
export interface JobUpdate {
  state: string
  progress: ImportProgress | null
  counts?: ImportCounts | null
}

export interface FollowHandlers {
  onUpdate(update: JobUpdate): void
  onEnd(): void
  onTrouble?(error: unknown): void
}

type Stop = () => void

const MAX_FOLLOWED = 3
const POLL_MS = 1000

const followed = new Map<number, Stop>()
const waiting: { id: number; handlers: FollowHandlers }[] = []

export const isActive = (state: string): boolean => state === 'queued' || state === 'running'

/**
 * Follows job `id` until it ends. `onUpdate({ state, progress, counts })` on every update,
 * `onEnd()` once when the job has ended, `onTrouble(error)` when an update could not be had
 * (following goes on).
 */
export function follow(id: number, handlers: FollowHandlers): void {
  if (followed.has(id) || waiting.some((w) => w.id === id)) return
  waiting.push({ id, handlers })
  waiting.sort((a, b) => a.id - b.id)
  startWaiting()
}

function startWaiting(): void {
  while (followed.size < MAX_FOLLOWED) {
    const next = waiting.shift()
    if (!next) break
    const { id, handlers } = next
    const end = () => {
      followed.get(id)?.()
      followed.delete(id)
      startWaiting()
      handlers.onEnd()
    }
    const update = (data: JobUpdate): void => {
      handlers.onUpdate(data)
      if (!isActive(data.state)) end()
    }
    const fallBack = () => followed.set(id, poll(id, update, handlers.onTrouble))
    followed.set(id, typeof EventSource === 'function' ? stream(id, update, fallBack) : poll(id, update, handlers.onTrouble))
  }
}

/** Opens the event stream; on an error before the job ended, closes it and calls `fallBack`. */
function stream(id: number, update: (data: JobUpdate) => void, fallBack: () => void): Stop {
  const source = new EventSource(`/api/imports/${id}/events`)
  source.addEventListener('message', (e) => update(JSON.parse(String(e.data)) as JobUpdate))
  // Without closing, EventSource would reconnect by itself, also after the server ends the stream.
  source.addEventListener('error', () => {
    source.close()
    fallBack()
  })
  return () => source.close()
}

function poll(id: number, update: (data: JobUpdate) => void, onTrouble: FollowHandlers['onTrouble']): Stop {
  let stopped = false
  let timer: ReturnType<typeof setTimeout> | undefined
  const tick = async () => {
    try {
      const { job, progress } = await getJson<{ job: ImportJobRow; progress: ImportProgress | null }>(`/api/imports/${id}`)
      if (!stopped) update({ state: job.state, progress, counts: job.counts })
    } catch (error) {
      onTrouble?.(error)
    }
    if (!stopped) timer = setTimeout(tick, POLL_MS)
  }
  void tick()
  return () => {
    stopped = true
    clearTimeout(timer)
  }
}
