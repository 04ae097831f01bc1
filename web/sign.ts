// The signer page: choose a commune and a PKCS#12 file, the server prepares a batch of the
// commune's reconciled parcels, the browser checks what it was given and signs it with the key
// from the file (WebCrypto; the key never leaves the browser), then uploads the CMS.
import { ApiError, getJson, messageOf, sendJson, signedInUser } from './api.js'
import { byId } from './dom.js'
import { signDetached } from './sign/cms.js'
import { applyLanguage, m } from './sign/messages.js'
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
const status = (text: string): void => { $('sign-status').textContent = text }

function showError(text: string): void {
  $('sign-error').textContent = text
  $('sign-error').hidden = !text
}

const toBase64 = (bytes: Uint8Array): string => btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(''))
const fromBase64 = (text: string): Uint8Array<ArrayBuffer> => Uint8Array.from(atob(text), (c) => c.charCodeAt(0))
const hex = (buffer: ArrayBuffer): string => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('')

/** The batch content must be this commune's statement with the announced digest and root. */
async function checkedContent(prepared: Prepared, commune: string): Promise<Uint8Array<ArrayBuffer>> {
  const content = fromBase64(prepared.content)
  const statement = JSON.parse(new TextDecoder().decode(content)) as { commune?: unknown; root?: unknown; batchId?: unknown }
  const digest = hex(await crypto.subtle.digest('SHA-256', content))
  if (digest !== prepared.contentSha256 || statement.commune !== commune || statement.root !== prepared.root || statement.batchId !== prepared.batchId) throw new Error(m('mismatch'))
  return content
}

function showResult(result: Signed, prepared: Prepared): void {
  const dl = $('result-counts')
  dl.replaceChildren()
  const rows: [string, string | number][] = [['batch', result.batch.id], ['parcels', result.parcels], ['signer', result.batch.signer?.subject ?? ''], ['root', prepared.root]]
  for (const [key, value] of rows) {
    const dt = document.createElement('dt')
    dt.textContent = m(key)
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
    status(m('reading'))
    let signer: Signer
    try {
      signer = await readPkcs12(await file.arrayBuffer(), $('password', HTMLInputElement).value)
    } catch {
      throw new Error(m('badP12'))
    }
    status(m('preparing'))
    const prepared = await sendJson<Prepared>('POST', `/api/communes/${commune}/signing/batches`, {})
    status(m('signing'))
    const cms = await signDetached(await checkedContent(prepared, commune), signer)
    status(m('uploading'))
    const result = await sendJson<Signed>('POST', `/api/communes/${commune}/signing/batches/${prepared.batchId}/signature`, { cms: toBase64(cms) })
    status(m('done'))
    showResult(result, prepared)
  } catch (error) {
    status('')
    showError(error instanceof ApiError ? error.problem?.detail ?? error.message : messageOf(error))
  } finally {
    $('submit', HTMLButtonElement).disabled = false
  }
}

async function start(): Promise<void> {
  applyLanguage()
  for (const b of document.querySelectorAll<HTMLElement>('[data-lang]')) b.addEventListener('click', () => applyLanguage(b.dataset.lang))
  const user = await signedInUser()
  $('session-user').textContent = user.displayName
  $('session').hidden = false
  if (user.role !== 'signer') return showError(m('notSigner'))
  const { communes } = await getJson<{ communes: Commune[] }>('/api/communes')
  const list = (Array.isArray(communes) ? communes : []).filter((c) => user.communes.includes(c.code))
  if (list.length === 0) return showError(m('noCommune'))
  $('commune', HTMLSelectElement).replaceChildren(...list.map((c) => Object.assign(document.createElement('option'), { value: c.code, textContent: `${c.code} — ${c.name}` })))
  form.addEventListener('submit', sign)
}

void start()
