// The decision actions of the parcel page (quyết định): accept, correct the record's fields
// with a reason, move a record to another parcel, unlink a record, flag with a note, reopen.
// One form open at a time; the page sends the decision with the version it shows.
import { messageOf } from '../api.js'
import { h, type Child } from '../dom.js'
import { t } from '../i18n.js'
import type { Decision } from '../reconcile/decide.js'
import type { AttributeRecord, ParcelDetail } from '../types.js'

const ACTIONS = ['accept', 'correct', 'relink', 'unlink', 'flag', 'reopen'] as const
export type Action = (typeof ACTIONS)[number]
const DONE_STATUSES = ['reconciled', 'signed', 'synced']

/** A decision with, for `relink`, the target parcel named by sheet and number (the page finds it). */
export type FormDecision = Decision & { target?: { sheet: string; number: string } }

/** What is wrong with a form's input: a message key, and the field to go back to. */
class FormProblem {
  constructor(
    readonly key: string,
    readonly focus: HTMLElement,
  ) {}
}

type Control = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement

/** The form's field of that name, or null when this form has none. */
function optionalControl(form: HTMLFormElement, name: string): Control | null {
  const el = form.elements.namedItem(name)
  return el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement ? el : null
}

function control(form: HTMLFormElement, name: string): Control {
  const el = optionalControl(form, name)
  if (!el) throw new Error(`the form has no field ${name}`)
  return el
}

const text = (form: HTMLFormElement, name: string): string => control(form, name).value.trim()

/** The actions that make sense for the parcel as it is now. */
export function availableActions(detail: ParcelDetail): Action[] {
  const hasRecord = detail.links.some((l) => l.record)
  const decided = detail.links.some((l) => l.decided)
  return ACTIONS.filter((a) => {
    if (a === 'correct' || a === 'relink' || a === 'unlink') return hasRecord
    if (a === 'reopen') return decided || DONE_STATUSES.includes(detail.parcel.status) || Boolean(detail.parcel.flag)
    return true
  })
}

function field(id: string, labelKey: string, input: HTMLElement, hintKey?: string): HTMLElement {
  return h('div', { class: 'field stacked' }, h('label', { for: id }, t(labelKey)), input, hintKey ? h('span', { class: 'hint', id: `${id}-hint` }, t(hintKey)) : null)
}

function recordSelect(id: string, records: AttributeRecord[]): HTMLElement {
  return field(id, 'decision.record', h('select', { id, name: 'recordId' }, ...records.map((r) => h('option', { value: r.id }, t('decision.recordOption', { id: r.id, sheet: r.sheet, number: r.number, owner: r.ownerName ?? '—' })))))
}

const parseCodes = (value: string): string[] => value.split(/[+,;\s]+/).map((s) => s.trim().toUpperCase()).filter(Boolean)

/** The controls of one action's form; `read(form)` returns the decision or throws a message key. */
interface FormParts {
  controls: Child[]
  read: (form: HTMLFormElement) => FormDecision
}

function formParts(kind: Action, detail: ParcelDetail): FormParts {
  const records = detail.links.flatMap((l) => (l.record ? [l.record] : []))
  const first = records[0]
  const reason = (required: boolean): HTMLElement => field(`${kind}-reason`, required ? 'decision.reasonRequired' : 'decision.reasonOptional', h('textarea', { id: `${kind}-reason`, name: 'reason', rows: 2, required }))
  switch (kind) {
    case 'accept':
      return { controls: [reason(false)], read: (f) => ({ kind, reason: text(f, 'reason') || undefined }) }
    case 'flag':
      return {
        controls: [field('flag-note', 'decision.flagNote', h('textarea', { id: 'flag-note', name: 'note', rows: 2, required: true }))],
        read: (f) => {
          const note = text(f, 'note')
          if (!note) throw new FormProblem('decision.noteRequired', control(f, 'note'))
          return { kind, note }
        },
      }
    case 'reopen':
      return { controls: [reason(false)], read: (f) => ({ kind, reason: text(f, 'reason') || undefined }) }
    case 'unlink':
      return {
        controls: [recordSelect('unlink-record', records), reason(false)],
        read: (f) => ({ kind, recordId: Number(text(f, 'recordId')), reason: text(f, 'reason') || undefined }),
      }
    case 'relink':
      return {
        controls: [
          recordSelect('relink-record', records),
          h('div', { class: 'inline-fields' }, field('relink-sheet', 'decision.targetSheet', h('input', { id: 'relink-sheet', name: 'sheet', size: 6, required: true, autocomplete: 'off' })), field('relink-number', 'decision.targetNumber', h('input', { id: 'relink-number', name: 'number', size: 6, required: true, autocomplete: 'off' }))),
          reason(false),
        ],
        read: (f) => {
          const sheet = text(f, 'sheet')
          const number = text(f, 'number')
          if (!sheet) throw new FormProblem('decision.targetMissing', control(f, 'sheet'))
          if (!number) throw new FormProblem('decision.targetMissing', control(f, 'number'))
          return { kind, recordId: Number(text(f, 'recordId')), target: { sheet, number }, reason: text(f, 'reason') || undefined }
        },
      }
    case 'correct': {
      const p = detail.parcel
            const useMap = (name: string, value: unknown): HTMLElement => {
        const button = h('button', { type: 'button', class: 'small' }, t('decision.useMap'))
        button.addEventListener('click', () => {
          if (button.form) control(button.form, name).value = String(value)
        })
        return button
      }
      return {
        controls: [
          records.length > 1 ? recordSelect('correct-record', records) : null,
          h(
            'div',
            { class: 'inline-fields' },
            field('correct-area', 'decision.legalArea', h('span', { class: 'with-button' }, h('input', { id: 'correct-area', name: 'legalAreaM2', inputmode: 'decimal', size: 10, value: first?.legalAreaM2 ?? '' }), useMap('legalAreaM2', p.areaM2 ?? ''))),
            field('correct-landuse', 'decision.landUse', h('span', { class: 'with-button' }, h('input', { id: 'correct-landuse', name: 'landUseCodes', size: 12, value: (first?.landUseCodes ?? []).join('+') }), useMap('landUseCodes', (p.landUseCodes ?? []).join('+')))),
          ),
          h(
            'div',
            { class: 'inline-fields' },
            field('correct-owner', 'decision.ownerName', h('input', { id: 'correct-owner', name: 'ownerName', size: 28, value: first?.ownerName ?? '' })),
            field('correct-certificate', 'decision.certificate', h('input', { id: 'correct-certificate', name: 'certificateSerial', size: 14, value: first?.certificateSerial ?? '' })),
          ),
          reason(true),
        ],
        read: (f) => {
          const chosen = optionalControl(f, 'recordId')
          const recordId = chosen ? Number(chosen.value) : first?.id
          const record = records.find((r) => r.id === recordId) ?? first
          if (!record) throw new Error('no record to correct')
          const changes: Record<string, unknown> = {}
          const areaField = control(f, 'legalAreaM2')
          const areaText = areaField.value.trim().replace(',', '.')
          const area = areaText === '' ? null : Number(areaText)
          if (area !== null && !(Number.isFinite(area) && area >= 0)) throw new FormProblem('decision.badArea', areaField)
          if (area !== (record.legalAreaM2 === null ? null : Number(record.legalAreaM2))) changes.legalAreaM2 = area
          const codes = parseCodes(control(f, 'landUseCodes').value)
          if (codes.join('+') !== (record.landUseCodes ?? []).join('+')) changes.landUseCodes = codes
          const owner = text(f, 'ownerName') || null
          if (owner !== (record.ownerName ?? null)) changes.ownerName = owner
          const serial = text(f, 'certificateSerial') || null
          if (serial !== (record.certificateSerial ?? null)) changes.certificateSerial = serial
          if (Object.keys(changes).length === 0) throw new FormProblem('decision.nothingChanged', areaField)
          const reasonText = text(f, 'reason')
          if (!reasonText) throw new FormProblem('decision.reasonMissing', control(f, 'reason'))
          return { kind, recordId: records.length > 1 ? recordId : undefined, recordVersion: record.version, changes, reason: reasonText }
        },
      }
    }
  }
}

/**
 * Draws the action buttons and the open form. `state.open` is the open action (or null);
 * `onOpen(kind)` changes it; `onDecide(decision)` sends it and rejects with an Error to show.
 */
export interface ActionsState {
  open: Action | null
  busy: boolean
  onOpen: (kind: Action | null) => void
  onDecide: (decision: FormDecision) => Promise<void>
}

export function renderActions(buttonsBox: HTMLElement, formBox: HTMLElement, detail: ParcelDetail, { open, busy, onOpen, onDecide }: ActionsState): void {
  const actions = availableActions(detail)
  buttonsBox.replaceChildren(
    ...actions.map((kind) => h('button', { type: 'button', 'data-action': kind, 'aria-expanded': String(open === kind), 'aria-controls': 'action-form', class: open === kind ? 'primary' : '', onclick: () => onOpen(open === kind ? null : kind) }, t(`decision.${kind}`))),
  )
  if (!open || !actions.includes(open)) {
    formBox.replaceChildren()
    return
  }
  const { controls, read } = formParts(open, detail)
  const error = h('p', { class: 'error', role: 'alert', hidden: true })
  const submit = h('button', { type: 'submit', class: 'primary', disabled: busy }, t(`decision.submit.${open}`))
  const form = h(
    'form',
    { class: 'decision-form', 'data-kind': open, novalidate: true, 'aria-label': t(`decision.${open}`) },
    h('p', { class: 'hint' }, t(`decision.help.${open}`)),
    ...controls,
    error,
    h('div', { class: 'actions' }, submit, h('button', { type: 'button', onclick: () => onOpen(null) }, t('decision.cancel'))),
  )
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    error.hidden = true
    let decision: FormDecision
    try {
      decision = read(form)
    } catch (problem) {
      error.hidden = false
      error.textContent = problem instanceof FormProblem ? t(problem.key) : t('decision.failed', { detail: messageOf(problem) })
      if (problem instanceof FormProblem) problem.focus.focus()
      return
    }
    submit.disabled = true
    try {
      await onDecide(decision)
    } catch (failure) {
      error.hidden = false
      error.textContent = t('decision.failed', { detail: messageOf(failure) })
      submit.disabled = false
    }
  })
  formBox.replaceChildren(form)
  form.querySelector<HTMLElement>('input, textarea, select')?.focus()
}
