// The upload form: map files chosen with the file picker or dropped on the page, an optional
// commune code, and the upload itself with its progress. Files picked in several goes add up;
// a file picked again under the same name replaces the earlier one.
import { byId, h } from '../dom.js'
import { formatNumber, formatPercent, language, t, type Params } from '../i18n.js'
import { ApiError, postForm } from './api.js'
import type { UploadedJob } from './jobs.js'

const $ = byId

/** The API's 202 answer to an upload. */
export interface UploadAnswer {
  jobs: UploadedJob[]
  orphans: { file: string; reason: string }[]
}
const COMMUNE = /^\d{4,5}$/

const size = (bytes: number): string =>
  bytes >= 1024 * 1024
    ? new Intl.NumberFormat(language(), { style: 'unit', unit: 'megabyte', maximumFractionDigits: 1 }).format(bytes / (1024 * 1024))
    : new Intl.NumberFormat(language(), { style: 'unit', unit: 'kilobyte', maximumFractionDigits: 0 }).format(Math.ceil(bytes / 1024))

/**
 * Wires the form. `onUploaded(answer)` gets the API's 202 answer (`{ jobs, orphans }`).
 * Returns `render()`, to redraw the words after a language change.
 */
export function setupUploadForm({ onUploaded }: { onUploaded: (answer: UploadAnswer) => void }): { render(): void } {
  const form = $('upload-form', HTMLFormElement)
  const input = $('files', HTMLInputElement)
  const commune = $('commune', HTMLInputElement)
  let chosen: File[] = []
  let busy = false
  let status: { key: string; params: Params } | null = null // the last status line, redrawn on a language change

  const setStatus = (key: string | null, params: Params = {}): void => {
    status = key ? { key, params } : null
    $('upload-status').textContent = key ? t(key, params) : ''
  }
  const showError = (text: string | null): void => {
    $('upload-error').textContent = text ?? ''
    $('upload-error').hidden = !text
  }

  function add(files: Iterable<File>): void {
    for (const file of files) {
      chosen = chosen.filter((f) => f.name.toLowerCase() !== file.name.toLowerCase())
      chosen.push(file)
    }
    showError(null)
    renderChosen()
  }

  function renderChosen(): void {
    $('chosen').hidden = chosen.length === 0
    const total = chosen.reduce((n, f) => n + f.size, 0)
    $('chosen-title').textContent = t('upload.chosen', { n: formatNumber(chosen.length), size: size(total) })
    $('chosen-list').replaceChildren(
      ...chosen.map((file) =>
        h(
          'li',
          {},
          h('span', { class: 'file' }, file.name),
          h('span', { class: 'hint' }, size(file.size)),
          h('button', { type: 'button', class: 'link', 'aria-label': t('upload.removeFile', { name: file.name }), onclick: () => remove(file) }, t('upload.remove')),
        ),
      ),
    )
  }

  function remove(file: File): void {
    chosen = chosen.filter((f) => f !== file)
    renderChosen()
    if (chosen.length === 0) input.focus()
  }

  function validCommune(): boolean {
    const value = commune.value.trim()
    const ok = value === '' || COMMUNE.test(value)
    commune.setAttribute('aria-invalid', String(!ok))
    $('commune-error').hidden = ok
    $('commune-error').textContent = ok ? '' : t('upload.communeInvalid')
    return ok
  }

  async function submit(event: SubmitEvent): Promise<void> {
    event.preventDefault()
    if (busy) return
    showError(null)
    if (chosen.length === 0) {
      showError(t('upload.noFiles'))
      input.focus()
      return
    }
    if (!validCommune()) {
      commune.focus()
      return
    }
    const body = new FormData()
    if (commune.value.trim()) body.append('commune', commune.value.trim())
    for (const file of chosen) body.append('files', file, file.name)

    busy = true
    $('submit', HTMLButtonElement).disabled = true
    const bar = $('upload-progress', HTMLProgressElement)
    bar.hidden = false
    bar.value = 0
    setStatus('upload.sending', { percent: formatPercent(0) })
    try {
      const answer = await postForm<UploadAnswer>('/api/imports/parcels', body, (f) => {
        bar.value = f
        setStatus(f < 1 ? 'upload.sending' : 'upload.unpacking', { percent: formatPercent(f) })
      })
      chosen = []
      renderChosen()
      setStatus(answer.jobs.length ? 'upload.done' : 'upload.noDatasets', { n: formatNumber(answer.jobs.length) })
      onUploaded(answer)
    } catch (error) {
      setStatus(null)
      const known = error instanceof ApiError
      showError(known && error.status === 0 ? t('upload.networkError') : t('upload.failed', { detail: known ? error.message : String(error) }))
    } finally {
      busy = false
      $('submit', HTMLButtonElement).disabled = false
      bar.hidden = true
    }
  }

  input.addEventListener('change', () => {
    add(input.files ?? [])
    input.value = '' // so that choosing the same file again is noticed
  })
  $('clear').addEventListener('click', () => {
    chosen = []
    renderChosen()
    input.focus()
  })
  // Checked on submit; once marked wrong, checked again while typing so the mark goes as soon
  // as the code is right. (Checking on blur would move the button away under a pointer.)
  commune.addEventListener('input', () => {
    if (commune.getAttribute('aria-invalid') === 'true') validCommune()
  })
  form.addEventListener('submit', submit)
  setupDrop($('dropzone'), add, showError)

  return {
    render() {
      renderChosen()
      if (status) setStatus(status.key, status.params)
      if (commune.getAttribute('aria-invalid') === 'true') validCommune()
    },
  }
}

/** Dropped files are added; dropped folders are refused (their files would lose their folders). */
function setupDrop(zone: HTMLElement, add: (files: File[]) => void, showError: (text: string) => void): void {
  let depth = 0 // dragenter/dragleave fire for every child element crossed
  const highlight = (on: boolean): boolean => zone.classList.toggle('dragging', on)
  zone.addEventListener('dragenter', (e) => {
    e.preventDefault()
    depth++
    highlight(true)
  })
  zone.addEventListener('dragleave', () => {
    depth = Math.max(0, depth - 1)
    if (depth === 0) highlight(false)
  })
  zone.addEventListener('dragover', (e) => {
    e.preventDefault()
    if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy'
  })
  zone.addEventListener('drop', (e) => {
    e.preventDefault()
    depth = 0
    highlight(false)
    const files: File[] = []
    const folders: string[] = []
    for (const item of e.dataTransfer?.items ?? []) {
      if (item.kind !== 'file') continue
      const entry = item.webkitGetAsEntry?.()
      if (entry?.isDirectory) folders.push(entry.name)
      else {
        const file = item.getAsFile()
        if (file) files.push(file)
      }
    }
    if (files.length) add(files)
    if (folders.length) showError(t('upload.folder', { names: folders.join(', ') }))
  })
  // A file dropped beside the zone would otherwise replace the page with the file.
  window.addEventListener('dragover', (e) => e.preventDefault())
  window.addEventListener('drop', (e) => e.preventDefault())
}
