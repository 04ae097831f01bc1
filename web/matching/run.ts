// Running matching (đối chiếu) for one commune from a page: a button that asks the server for a
// run (a background job), a status line that follows it until it ends, and what it found. Used
// by the clerk's queue page and by the import page after a GIS officer's import.
import { ApiError, getJson, messageOf, sendJson } from '../api.js'
import { formatNumber, t } from '../i18n.js'
import { CATEGORIES } from '../reconcile/labels.js'
import type { User } from '../types.js'

export type MatchRunState = 'queued' | 'running' | 'succeeded' | 'failed' | 'interrupted'

/** A run as `GET /api/communes/:code/match-runs/:id` gives it (the fields the page uses). */
export interface MatchRun {
  id: number
  commune_code: string
  state: MatchRunState
  counts: Record<string, number> | null
  keys_rematched: number | null
  error: string | null
}

interface RunAnswer {
  run: MatchRun
  summary: { categories: Record<string, number> } | null
}

/** Runs this page started (watch.ts leaves them to the page's own status line). */
export const startedHere = new Set<number>()

/** How often a waiting page asks again (a commune's run takes a few seconds). */
const POLL_MS = 1000

/** Who may start a run (the API's roles for POST /match; the commune is checked by the server). */
export const mayRunMatching = (user: User | null): boolean => user?.role === 'gis' || user?.role === 'clerk' || user?.role === 'admin'

const ended = (state: MatchRunState): boolean => state !== 'queued' && state !== 'running'
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** The line to show for a run in its current state (re-callable after a language switch). */
export function runText(run: MatchRun, categories: Record<string, number> | null): string {
  if (run.state === 'succeeded') {
    const counts = categories ?? run.counts ?? {}
    const found = CATEGORIES.filter((c) => counts[c]).map((c) => `${t(`category.${c}`)} ${formatNumber(counts[c] ?? 0)}`)
    return t('match.succeeded', { id: run.id, keys: formatNumber(run.keys_rematched ?? 0), found: found.join(' · ') || t('match.nothing') })
  }
  if (run.state === 'failed' || run.state === 'interrupted') return t(`match.${run.state}`, { id: run.id, error: run.error ?? '' })
  return t(`match.${run.state}`, { id: run.id })
}

export interface MatchControl {
  /** The commune the button runs; null hides the control. */
  setCommune(code: string | null): void
  /** Redraws the button and the status line (after a language change). */
  render(): void
}

/**
 * Wires `button` to start a run of the chosen commune and `status` (a role=status element) to
 * show it until it ends; `onEnd` is called once it has, with the run.
 */
export function matchControl(box: HTMLElement, button: HTMLButtonElement, status: HTMLElement, onEnd: (run: MatchRun) => unknown): MatchControl {
  let commune: string | null = null
  let busy = false
  // The run as last seen, or why it could not be started (no run) or followed (its id).
  let shown: { run: MatchRun; categories: Record<string, number> | null } | { error: string; runId: number | null } | null = null

  function render(): void {
    box.hidden = commune === null
    button.disabled = busy
    const text = shown === null ? '' : !('error' in shown) ? runText(shown.run, shown.categories) : shown.runId === null ? t('match.startFailed', { detail: shown.error }) : t('match.followFailed', { id: shown.runId, detail: shown.error })
    // Unchanged words are not set again, so a screen reader does not repeat them at every poll.
    if (status.textContent !== text) status.textContent = text
    status.dataset.state = shown === null ? '' : 'error' in shown ? 'failed' : shown.run.state
    status.classList.toggle('error', shown !== null && ('error' in shown || shown.run.state === 'failed' || shown.run.state === 'interrupted'))
  }

  async function run(): Promise<void> {
    const code = commune
    if (code === null || busy) return
    busy = true
    shown = null
    render()
    const url = `/api/communes/${encodeURIComponent(code)}`
    let runId: number | null = null
    try {
      let { run } = await sendJson<{ run: MatchRun }>('POST', `${url}/match`)
      runId = run.id
      startedHere.add(run.id)
      shown = { run, categories: null }
      render()
      let summary: RunAnswer['summary'] = null
      while (!ended(run.state)) {
        await sleep(POLL_MS)
        ;({ run, summary } = await getJson<RunAnswer>(`${url}/match-runs/${run.id}`))
        if (commune !== code) return // the page moved to another commune: this run is no longer shown
        shown = { run, categories: summary?.categories ?? null }
        render()
      }
      busy = false
      render()
      await onEnd(run)
    } catch (error) {
      if (commune !== code) return
      shown = { error: error instanceof ApiError ? error.problem?.detail ?? error.message : messageOf(error), runId }
    } finally {
      if (commune === code) {
        busy = false
        render()
      }
    }
  }

  button.addEventListener('click', () => void run())
  return {
    setCommune(code) {
      if (code === commune) return
      commune = code
      busy = false
      shown = null
      render()
    },
    render,
  }
}
