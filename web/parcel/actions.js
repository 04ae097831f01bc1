// The decision actions of the parcel page (quyết định): accept, correct the record's fields
// with a reason, move a record to another parcel, unlink a record, flag with a note, reopen.
// One form open at a time; the page sends the decision with the version it shows.
import { h } from '../dom.js'
import { t } from '../i18n.js'

const ACTIONS = ['accept', 'correct', 'relink', 'unlink', 'flag', 'reopen']
const DONE_STATUSES = ['reconciled', 'signed', 'synced']

/** The actions that make sense for the parcel as it is now. */
export function availableActions(detail) {
  const hasRecord = detail.links.some((l) => l.record)
  const decided = detail.links.some((l) => l.decided)
  return ACTIONS.filter((a) => {
    if (a === 'correct' || a === 'relink' || a === 'unlink') return hasRecord
    if (a === 'reopen') return decided || DONE_STATUSES.includes(detail.parcel.status) || detail.parcel.flag
    return true
  })
}

function field(id, labelKey, control, hintKey) {
  return h('div', { class: 'field stacked' }, h('label', { for: id }, t(labelKey)), control, hintKey ? h('span', { class: 'hint', id: `${id}-hint` }, t(hintKey)) : null)
}

function recordSelect(id, records) {
  return field(id, 'decision.record', h('select', { id, name: 'recordId' }, ...records.map((r) => h('option', { value: r.id }, t('decision.recordOption', { id: r.id, sheet: r.sheet, number: r.number, owner: r.ownerName ?? '—' })))))
}

const parseCodes = (text) => text.split(/[+,;\s]+/).map((s) => s.trim().toUpperCase()).filter(Boolean)

/** The controls of one action's form; `read(form)` returns the decision or throws a message key. */
function formParts(kind, detail) {
  const records = detail.links.filter((l) => l.record).map((l) => l.record)
  const first = records[0]
  const reason = (required) => field(`${kind}-reason`, required ? 'decision.reasonRequired' : 'decision.reasonOptional', h('textarea', { id: `${kind}-reason`, name: 'reason', rows: 2, required }))
  switch (kind) {
    case 'accept':
      return { controls: [reason(false)], read: (f) => ({ kind, reason: f.reason.value.trim() || undefined }) }
    case 'flag':
      return {
        controls: [field('flag-note', 'decision.flagNote', h('textarea', { id: 'flag-note', name: 'note', rows: 2, required: true }))],
        read: (f) => {
          const note = f.note.value.trim()
          if (!note) throw { key: 'decision.noteRequired', focus: f.note }
          return { kind, note }
        },
      }
    case 'reopen':
      return { controls: [reason(false)], read: (f) => ({ kind, reason: f.reason.value.trim() || undefined }) }
    case 'unlink':
      return {
        controls: [recordSelect('unlink-record', records), reason(false)],
        read: (f) => ({ kind, recordId: Number(f.recordId.value), reason: f.reason.value.trim() || undefined }),
      }
    case 'relink':
      return {
        controls: [
          recordSelect('relink-record', records),
          h('div', { class: 'inline-fields' }, field('relink-sheet', 'decision.targetSheet', h('input', { id: 'relink-sheet', name: 'sheet', size: 6, required: true, autocomplete: 'off' })), field('relink-number', 'decision.targetNumber', h('input', { id: 'relink-number', name: 'number', size: 6, required: true, autocomplete: 'off' }))),
          reason(false),
        ],
        read: (f) => {
          const sheet = f.sheet.value.trim()
          const number = f.number.value.trim()
          if (!sheet) throw { key: 'decision.targetMissing', focus: f.sheet }
          if (!number) throw { key: 'decision.targetMissing', focus: f.number }
          return { kind, recordId: Number(f.recordId.value), target: { sheet, number }, reason: f.reason.value.trim() || undefined }
        },
      }
    case 'correct': {
      const p = detail.parcel
      const useMap = (name, value) => h('button', { type: 'button', class: 'small', onclick: (e) => (e.target.form[name].value = value) }, t('decision.useMap'))
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
          const recordId = f.recordId ? Number(f.recordId.value) : first.id
          const record = records.find((r) => r.id === recordId) ?? first
          const changes = {}
          const areaText = f.legalAreaM2.value.trim().replace(',', '.')
          const area = areaText === '' ? null : Number(areaText)
          if (area !== null && !(Number.isFinite(area) && area >= 0)) throw { key: 'decision.badArea', focus: f.legalAreaM2 }
          if (area !== (record.legalAreaM2 === null ? null : Number(record.legalAreaM2))) changes.legalAreaM2 = area
          const codes = parseCodes(f.landUseCodes.value)
          if (codes.join('+') !== (record.landUseCodes ?? []).join('+')) changes.landUseCodes = codes
          const owner = f.ownerName.value.trim() || null
          if (owner !== (record.ownerName ?? null)) changes.ownerName = owner
          const serial = f.certificateSerial.value.trim() || null
          if (serial !== (record.certificateSerial ?? null)) changes.certificateSerial = serial
          if (Object.keys(changes).length === 0) throw { key: 'decision.nothingChanged', focus: f.legalAreaM2 }
          const reasonText = f.reason.value.trim()
          if (!reasonText) throw { key: 'decision.reasonMissing', focus: f.reason }
          return { kind, recordId: records.length > 1 ? recordId : undefined, recordVersion: record.version, changes, reason: reasonText }
        },
      }
    }
    default:
      return { controls: [], read: () => ({ kind }) }
  }
}

/**
 * Draws the action buttons and the open form. `state.open` is the open action (or null);
 * `onOpen(kind)` changes it; `onDecide(decision)` sends it and rejects with an Error to show.
 */
export function renderActions(buttonsBox, formBox, detail, { open, busy, onOpen, onDecide }) {
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
    let decision
    try {
      decision = read(form)
    } catch (problem) {
      error.hidden = false
      error.textContent = t(problem.key ?? 'decision.failed', { detail: problem.message ?? '' })
      problem.focus?.focus()
      return
    }
    submit.disabled = true
    try {
      await onDecide(decision)
    } catch (failure) {
      error.hidden = false
      error.textContent = t('decision.failed', { detail: failure.message })
      submit.disabled = false
    }
  })
  formBox.replaceChildren(form)
  form.querySelector('input, textarea, select')?.focus()
}
