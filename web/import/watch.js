// Following a running import job: the server's event stream (one update a second), or polling
// GET /api/imports/:id each second when the stream cannot be opened or breaks.
// A browser keeps at most six connections to one server, and an open stream holds one; so at
// most MAX_FOLLOWED jobs are followed at once, oldest first, and the others wait their turn
// (the server runs one job at a time, so the waiting ones are queued anyway).
import { getJson } from './api.js'

const MAX_FOLLOWED = 3
const POLL_MS = 1000

const followed = new Map() // job id → stop()
const waiting = [] // { id, handlers }

export const isActive = (state) => state === 'queued' || state === 'running'

/**
 * Follows job `id` until it ends. `onUpdate({ state, progress, counts })` on every update,
 * `onEnd()` once when the job has ended, `onTrouble(error)` when an update could not be had
 * (following goes on).
 */
export function follow(id, handlers) {
  if (followed.has(id) || waiting.some((w) => w.id === id)) return
  waiting.push({ id, handlers })
  waiting.sort((a, b) => a.id - b.id)
  startWaiting()
}

function startWaiting() {
  while (followed.size < MAX_FOLLOWED && waiting.length > 0) {
    const { id, handlers } = waiting.shift()
    const end = () => {
      followed.get(id)?.()
      followed.delete(id)
      startWaiting()
      handlers.onEnd()
    }
    const update = (data) => {
      handlers.onUpdate(data)
      if (!isActive(data.state)) end()
    }
    const fallBack = () => followed.set(id, poll(id, update, handlers.onTrouble))
    followed.set(id, typeof EventSource === 'function' ? stream(id, update, fallBack) : poll(id, update, handlers.onTrouble))
  }
}

/** Opens the event stream; on an error before the job ended, closes it and calls `fallBack`. */
function stream(id, update, fallBack) {
  const source = new EventSource(`/api/imports/${id}/events`)
  source.addEventListener('message', (e) => update(JSON.parse(e.data)))
  // Without closing, EventSource would reconnect by itself, also after the server ends the stream.
  source.addEventListener('error', () => {
    source.close()
    fallBack()
  })
  return () => source.close()
}

function poll(id, update, onTrouble) {
  let stopped = false
  let timer
  const tick = async () => {
    try {
      const { job, progress } = await getJson(`/api/imports/${id}`)
      if (!stopped) update({ state: job.state, progress, counts: job.counts })
    } catch (error) {
      onTrouble?.(error)
    }
    if (!stopped) timer = setTimeout(tick, POLL_MS)
  }
  tick()
  return () => {
    stopped = true
    clearTimeout(timer)
  }
}
