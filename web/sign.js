// The signer page: choose a commune and a PKCS#12 file, the server prepares a batch of the
// commune's reconciled parcels, the browser checks what it was given and signs it with the key
// from the file (WebCrypto; the key never leaves the browser), then uploads the CMS.
import { ApiError, getJson, sendJson, signedInUser } from './api.js'
import { signDetached } from './sign/cms.js'
import { applyLanguage, m } from './sign/messages.js'
import { readPkcs12 } from './sign/pkcs12.js'

const $ = (id) => document.getElementById(id)
const form = $('sign-form')
const status = (text) => { $('sign-status').textContent = text }

function showError(text) {
  $('sign-error').textContent = text
  $('sign-error').hidden = !text
}

const toBase64 = (bytes) => btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(''))
const fromBase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0))
const hex = (buffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('')

/** The batch content must be this commune's statement with the announced digest and root. */
async function checkedContent(prepared, commune) {
  const content = fromBase64(prepared.content)
  const statement = JSON.parse(new TextDecoder().decode(content))
  const digest = hex(await crypto.subtle.digest('SHA-256', content))
  if (digest !== prepared.contentSha256 || statement.commune !== commune || statement.root !== prepared.root || statement.batchId !== prepared.batchId) throw new Error(m('mismatch'))
  return content
}

function showResult(result, prepared) {
  const dl = $('result-counts')
  dl.replaceChildren()
  for (const [key, value] of [['batch', result.batch.id], ['parcels', result.parcels], ['signer', result.batch.signer?.subject ?? ''], ['root', prepared.root]]) {
    const dt = document.createElement('dt')
    dt.textContent = m(key)
    const dd = document.createElement('dd')
    dd.textContent = String(value)
    if (key === 'signer' || key === 'root') dd.style.fontSize = '0.9rem'
    dl.append(dt, dd)
  }
  $('result').hidden = false
}

async function sign(event) {
  event.preventDefault()
  showError('')
  const commune = $('commune').value
  const file = $('p12').files[0]
  if (!commune || !file) return
  $('submit').disabled = true
  try {
    status(m('reading'))
    let signer
    try {
      signer = await readPkcs12(await file.arrayBuffer(), $('password').value)
    } catch {
      throw new Error(m('badP12'))
    }
    status(m('preparing'))
    const prepared = await sendJson('POST', `/api/communes/${commune}/signing/batches`, {})
    status(m('signing'))
    const cms = await signDetached(await checkedContent(prepared, commune), signer)
    status(m('uploading'))
    const result = await sendJson('POST', `/api/communes/${commune}/signing/batches/${prepared.batchId}/signature`, { cms: toBase64(cms) })
    status(m('done'))
    showResult(result, prepared)
  } catch (error) {
    status('')
    showError(error instanceof ApiError ? error.problem?.detail ?? error.message : error.message)
  } finally {
    $('submit').disabled = false
  }
}

async function start() {
  applyLanguage()
  for (const b of document.querySelectorAll('[data-lang]')) b.addEventListener('click', () => applyLanguage(b.dataset.lang))
  const user = await signedInUser()
  $('session-user').textContent = user.displayName
  $('session').hidden = false
  if (user.role !== 'signer') return showError(m('notSigner'))
  const { communes } = await getJson('/api/communes')
  const list = (Array.isArray(communes) ? communes : []).filter((c) => user.communes.includes(c.code))
  if (list.length === 0) return showError(m('noCommune'))
  $('commune').replaceChildren(...list.map((c) => Object.assign(document.createElement('option'), { value: c.code, textContent: `${c.code} — ${c.name}` })))
  form.addEventListener('submit', sign)
}

start()
