// Bulk accept from the queue (chấp nhận hàng loạt): every matched parcel nobody has decided yet,
// of the sheet the queue is filtered to or else of the whole commune, accepted at once after the
// clerk confirms how many the queue lists and that each acceptance goes into the audit trail.
import { getJson, sendJson } from '../api.js'
import { byId } from '../dom.js'
import { formatNumber, t } from '../i18n.js'
import type { QueuePage } from '../types.js'

/** What `POST /api/communes/:code/decisions/bulk-accept` answers. */
export interface BulkAcceptResult {
  commune: string
  sheet: string | null
  accepted: number
  events: { first: number; last: number } | null
}

/** The commune (with its name) and the sheet filter, if any, the bulk accept covers. */
export interface BulkScope {
  commune: string
  communeName: string
  sheet: string
}

const $ = byId
const dialog = (): HTMLDialogElement => $('bulk-dialog', HTMLDialogElement)
/** Settles the open confirmation: the reason, or null when cancelled. */
let answer: ((reason: string | null) => void) | null = null

/** The button's words for the scope. */
export const bulkLabel = (scope: { sheet: string }): string => t(scope.sheet ? 'bulk.buttonSheet' : 'bulk.buttonCommune', { sheet: scope.sheet })

/** How many undecided matched items the queue lists for the scope (one row each); null if unknown. */
async function countMatched(scope: BulkScope): Promise<number | null> {
  const q = new URLSearchParams({ category: 'matched', decided: 'false', limit: '1' })
  if (scope.sheet) q.set('sheet', scope.sheet)
  try {
    return (await getJson<QueuePage>(`/api/communes/${encodeURIComponent(scope.commune)}/queue?${q}`)).total
  } catch {
    return null // the confirmation still says what will happen, without the number
  }
}

/**
 * Asks the clerk to confirm bulk accept for `scope`: resolves with the reason given ('' for
 * none) once confirmed, null when cancelled. Nothing is sent here.
 */
export async function askBulkAccept(scope: BulkScope): Promise<string | null> {
  answer?.(null)
  const where = scope.sheet ? t('bulk.whereSheet', { sheet: scope.sheet, commune: scope.communeName }) : t('bulk.whereCommune', { commune: scope.communeName })
  $('bulk-title').textContent = t('bulk.title')
  $('bulk-count').textContent = t('queue.loading')
  byId('bulk-reason', HTMLTextAreaElement).value = ''
  const confirm = $('bulk-confirm', HTMLButtonElement)
  confirm.disabled = true
  confirm.textContent = t('bulk.confirm')
  const answered = new Promise<string | null>((resolve) => {
    answer = resolve
  })
  dialog().showModal()
  const n = await countMatched(scope)
  if (dialog().open) {
    $('bulk-count').textContent = n === null ? t('bulk.countUnknown', { where }) : n === 0 ? t('bulk.countNone', { where }) : t('bulk.count', { n: formatNumber(n), where })
    confirm.disabled = n === 0
    if (n) confirm.textContent = t('bulk.confirmN', { n: formatNumber(n) })
  }
  return answered
}

/** Accepts them; the answer says how many were. */
export function sendBulkAccept(commune: string, sheet: string, reason: string): Promise<BulkAcceptResult> {
  const body = { ...(sheet ? { sheet } : {}), ...(reason ? { reason } : {}) }
  return sendJson<BulkAcceptResult>('POST', `/api/communes/${encodeURIComponent(commune)}/decisions/bulk-accept`, body)
}

$('bulk-form').addEventListener('submit', () => {
  answer?.(byId('bulk-reason', HTMLTextAreaElement).value.trim())
  answer = null
})
$('bulk-cancel').addEventListener('click', () => dialog().close())
// Escape or Cancel: a confirmation has already answered before the dialog closes.
dialog().addEventListener('close', () => {
  answer?.(null)
  answer = null
})
