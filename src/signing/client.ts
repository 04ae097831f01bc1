/**
 * The signer's side (phía người ký), used by `npm run sign` and the benchmark: ask the server
 * for a batch, check what it hands out, sign its content with the key of a PKCS#12 file on this
 * machine, upload the CMS. Two ways to reach the server, one set of server-side checks: the
 * services on the database directly (local), or the HTTP API signed in as a user (remote).
 */
import { createHash } from 'node:crypto'
import type { Knex } from 'knex'
import { prepareBatch, submitSignature, type PreparedBatch, type SubmitResult } from './batches.js'
import { signDetached } from './cms.js'
import type { Pkcs12Contents } from './pkcs12.js'

export interface SignerTransport {
  prepare(commune: string, parcelIds?: number[]): Promise<PreparedBatch>
  upload(commune: string, batchId: number, cms: Uint8Array): Promise<SubmitResult>
}

/** The services on the database; `userId` is who signs (for authorisations tied to a user). */
export function localTransport(knex: Knex, userId: number | null = null): SignerTransport {
  return {
    prepare: (commune, parcelIds) => prepareBatch(knex, commune, { parcelIds, preparedBy: userId }),
    upload: (commune, batchId, cms) => submitSignature(knex, commune, batchId, cms, { userId }),
  }
}

/** The HTTP API of a running Landbook, signed in as `username`. */
export async function httpTransport(baseUrl: string, username: string, password: string): Promise<SignerTransport> {
  const login = await fetch(new URL('/api/auth/login', baseUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) })
  const body = (await login.json()) as { csrfToken?: string; detail?: string }
  if (!login.ok || !body.csrfToken) throw new Error(`Đăng nhập thất bại (sign-in failed): ${body.detail ?? login.status}`)
  const cookie = (login.headers.getSetCookie?.() ?? [login.headers.get('set-cookie') ?? '']).map((c) => c.split(';')[0]).join('; ')
  const headers = { cookie, 'x-csrf-token': body.csrfToken, 'content-type': 'application/json' }
  async function call<T>(path: string, payload: unknown): Promise<T> {
    const res = await fetch(new URL(path, baseUrl), { method: 'POST', headers, body: JSON.stringify(payload) })
    const json = (await res.json()) as T & { detail?: string }
    if (!res.ok) throw new Error(`${res.status}: ${json.detail ?? JSON.stringify(json)}`)
    return json
  }
  return {
    prepare: (commune, parcelIds) => call(`/api/communes/${commune}/signing/batches`, parcelIds ? { parcelIds } : {}),
    upload: (commune, batchId, cms) => call(`/api/communes/${commune}/signing/batches/${batchId}/signature`, { cms: Buffer.from(cms).toString('base64') }),
  }
}

/** Checks the content handed out is a batch statement for this commune with the announced digest. */
export function checkPrepared(prepared: PreparedBatch, commune: string): Uint8Array {
  const content = new Uint8Array(Buffer.from(prepared.content, 'base64'))
  const digest = createHash('sha256').update(content).digest('hex')
  const statement = JSON.parse(Buffer.from(content).toString('utf8')) as { commune?: string; root?: string; batchId?: number }
  if (digest !== prepared.contentSha256 || statement.commune !== commune || statement.root !== prepared.root || statement.batchId !== prepared.batchId) {
    throw new Error('Nội dung lô ký nhận được không khớp với xã, gốc Merkle hoặc mã băm đã công bố; không ký (the batch content does not match what was announced).')
  }
  return content
}

export interface SignRun {
  prepared: PreparedBatch
  result: SubmitResult
  ms: { prepare: number; sign: number; upload: number }
}

export async function signCommune(transport: SignerTransport, commune: string, signer: Pkcs12Contents, parcelIds?: number[]): Promise<SignRun> {
  let t = performance.now()
  const prepared = await transport.prepare(commune, parcelIds)
  const prepare = performance.now() - t
  t = performance.now()
  const cms = await signDetached(checkPrepared(prepared, commune), { certificate: signer.certificate, privateKey: signer.privateKey, chain: signer.chain })
  const sign = performance.now() - t
  t = performance.now()
  const result = await transport.upload(commune, prepared.batchId, cms)
  return { prepared, result, ms: { prepare, sign, upload: performance.now() - t } }
}
