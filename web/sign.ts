// The signer page: choose a commune and a PKCS#12 file, the server prepares a batch of the
// commune's reconciled parcels, the browser checks what it was given and signs it with the key
// from the file (WebCrypto; the key never leaves the browser), then uploads the CMS.
import { ApiError, getJson, messageOf, sendJson } from './api.js'
import { byId } from './dom.js'
import { startI18n, t } from './i18n.js'
import { renderSession, startSession } from './session.js'
import { signDetached } from './sign/cms.js'
import { readPkcs12, type Signer } from './sign/pkcs12.js'
import type { Commune } from './types.js'

/** A batch the server prepared (POST /api/communes/:code/signing/batches). */
interface Prepared {
  batchId: number
  root: string
  content: string
  contentSha256: string
}

interface Signed {
  batch: { id: number; signer?: { subject: string } | null }
  parcels: number
}

const $ = byId
const form = $('sign-form', HTMLFormElement)

/** Shows a message by key (kept as `data-i18n`, so a language switch redraws it) or as given text (the server's words). */
function say(id: string, message: { key: string } | string): void {
  const el = $(id)
  if (typeof message === 'string') {
    delete el.dataset.i18n
    el.textContent = message
  } else {
    el.dataset.i18n = message.key
    el.textContent = t(message.key)
  }
}
const status = (key: string | null): void => say('sign-status', key ? { key: `sign.${key}` } : '')

function showError(message: { key: string } | string): void {
  say('sign-error', message)
  $('sign-error').hidden = !$('sign-error').textContent
}

/** An error whose words are a message key of the signer page. */
class SignError extends Error {
  constructor(readonly key: string) {
    super(t(key))
  }
}

const toBase64 = (bytes: Uint8Array): string => btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(''))
const fromBase64 = (text: string): Uint8Array<ArrayBuffer> => Uint8Array.from(atob(text), (c) => c.charCodeAt(0))
const hex = (buffer: ArrayBuffer): string => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('')

/** The batch content must be this commune's statement with the announced digest and root. */
async function checkedContent(prepared: Prepared, commune: string): Promise<Uint8Array<ArrayBuffer>> {
  const content = fromBase64(prepared.content)
  const statement = JSON.parse(new TextDecoder().decode(content)) as { commune?: unknown; root?: unknown; batchId?: unknown }
  const digest = hex(await crypto.subtle.digest('SHA-256', content))
  if (digest !== prepared.contentSha256 || statement.commune !== commune || statement.root !== prepared.root || statement.batchId !== prepared.batchId) throw new SignError('sign.mismatch')
  return content
}

function showResult(result: Signed, prepared: Prepared): void {
  const dl = $('result-counts')
  dl.replaceChildren()
  const rows: [string, string | number][] = [['batch', result.batch.id], ['parcels', result.parcels], ['signer', result.batch.signer?.subject ?? ''], ['root', prepared.root]]
  for (const [key, value] of rows) {
    const dt = document.createElement('dt')
    dt.dataset.i18n = `sign.${key}`
    dt.textContent = t(`sign.${key}`)
    const dd = document.createElement('dd')
    dd.textContent = String(value)
    if (key === 'signer' || key === 'root') dd.style.fontSize = '0.9rem'
    dl.append(dt, dd)
  }
  $('result').hidden = false
}

async function sign(event: SubmitEvent): Promise<void> {
  event.preventDefault()
  showError('')
  const commune = $('commune', HTMLSelectElement).value
  const file = $('p12', HTMLInputElement).files?.[0]
  if (!commune || !file) return
  $('submit', HTMLButtonElement).disabled = true
  try {
    status('reading')
    let signer: Signer
    try {
      signer = await readPkcs12(await file.arrayBuffer(), $('password', HTMLInputElement).value)
    } catch {
      throw new SignError('sign.badP12')
    }
    status('preparing')
    const prepared = await sendJson<Prepared>('POST', `/api/communes/${commune}/signing/batches`, {})
    status('signing')
    const cms = await signDetached(await checkedContent(prepared, commune), signer)
    status('uploading')
    const result = await sendJson<Signed>('POST', `/api/communes/${commune}/signing/batches/${prepared.batchId}/signature`, { cms: toBase64(cms) })
    status('done')
    showResult(result, prepared)
  } catch (error) {
    status(null)
    showError(error instanceof SignError ? { key: error.key } : error instanceof ApiError ? error.problem?.detail ?? error.message : messageOf(error))
  } finally {
    $('submit', HTMLButtonElement).disabled = false
  }
}

async function start(): Promise<void> {
  // Words from i18n/{vi,en}.json like every page; what is built in code carries its keys as data-i18n.
  // The header as on every page: who is signed in, the page links, log-out.
  const user = await startSession()
  await startI18n(renderSession)
  if (user.role !== 'signer') return showError({ key: 'sign.notSigner' })
  const { communes } = await getJson<{ communes: Commune[] }>('/api/communes')
  const list = (Array.isArray(communes) ? communes : []).filter((c) => user.communes.includes(c.code))
  if (list.length === 0) return showError({ key: 'sign.noCommune' })
  $('commune', HTMLSelectElement).replaceChildren(...list.map((c) => Object.assign(document.createElement('option'), { value: c.code, textContent: `${c.code} — ${c.name}` })))
  form.addEventListener('submit', sign)
}

void start()
