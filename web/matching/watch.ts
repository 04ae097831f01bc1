// Matching runs of the shown commune started elsewhere (another clerk's page, a GIS officer's
// import report, `npm run match`): the queue page asks for the commune's recent runs every few
// seconds while it is visible, says when one is running, and when one has succeeded calls back
// so the page reloads what the run changed. Runs this page started itself (run.ts) are left to
// the page's own status line.
import { getJson } from '../api.js'
import { startedHere, type MatchRun } from './run.js'

/** How often a visible page asks (a run takes a few seconds; the request is one small query). */
const WATCH_MS = 5000

export interface RunWatch {
  /** The commune to watch; null stops watching. */
  setCommune(code: string | null): void
}

/**
 * `onRun` is called with each run started elsewhere when it is first seen running or queued,
 * and again when it ends (succeeded, failed or interrupted).
 */
export function watchRuns(onRun: (run: MatchRun) => unknown): RunWatch {
  let commune: string | null = null
  // The newest run id when watching began (older runs are not news), and the states last told.
  let since = 0
  const told = new Map<number, MatchRun['state']>()
  let timer: ReturnType<typeof setTimeout> | undefined

  const recent = async (code: string): Promise<MatchRun[]> =>
    (await getJson<{ runs: MatchRun[] }>(`/api/communes/${encodeURIComponent(code)}/match-runs`)).runs

  async function poll(code: string): Promise<void> {
    try {
      if (document.visibilityState === 'visible') {
        for (const run of (await recent(code)).reverse()) {
          if (commune !== code) return
          if (run.id <= since || startedHere.has(run.id) || told.get(run.id) === run.state) continue
          told.set(run.id, run.state)
          await onRun(run)
        }
      }
    } catch {
      // Offline or signed out: the page's own requests say so; try again at the next tick.
    }
    if (commune === code) timer = setTimeout(() => void poll(code), WATCH_MS)
  }

  return {
    setCommune(code) {
      if (code === commune) return
      commune = code
      clearTimeout(timer)
      told.clear()
      since = Number.POSITIVE_INFINITY // nothing is news until the baseline is read
      if (code === null) return
      void recent(code)
        .then((runs) => {
          if (commune !== code) return
          since = Math.max(0, ...runs.filter((r) => r.state !== 'queued' && r.state !== 'running').map((r) => r.id))
          // A run already under way when the page opened is news: its end changes the queue.
          timer = setTimeout(() => void poll(code), 0)
        })
        .catch(() => {
          if (commune === code) {
            since = 0
            timer = setTimeout(() => void poll(code), WATCH_MS)
          }
        })
    },
  }
}
