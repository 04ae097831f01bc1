/**
 * The signer page in a real browser (Chromium driven by playwright-core): a PKCS#12 file opened
 * in the browser (pkijs bundled by Vite), the batch signed with WebCrypto and uploaded; and its
 * words in English from the message files. Skipped where no Chromium is found.
 */
import fs from 'node:fs'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '../../src/auth/index.js'
import { createApp } from '../../src/http/index.js'
import { issueDemoSigners, verifyCommune } from '../../src/signing/index.js'
import { silentLogger, testImports } from '../helpers/app.js'
import { TEST_PASSWORD, uniqueUsername } from '../helpers/auth.js'
import { testDatabase } from '../helpers/db.js'
import { matchedProvince } from '../helpers/matched-commune.js'
import type { TestProvince } from '../helpers/province.js'

function findChromium(): string | undefined {
  if (process.env.CHROMIUM_PATH) return fs.existsSync(process.env.CHROMIUM_PATH) ? process.env.CHROMIUM_PATH : undefined
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    for (const name of ['chromium', 'chromium-browser', 'google-chrome']) if (dir && fs.existsSync(path.join(dir, name))) return path.join(dir, name)
  }
  return undefined
}
const chromiumPath = findChromium()
const unless = chromiumPath ? '' : ' [skipped: no Chromium on PATH]'

const db = testDatabase()
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'landbook-sign-page-'))
let province: TestProvince
let code: string
let server: Server
let base: string
let browser: Browser
let p12File: string
const username = uniqueUsername('web-signer')

beforeAll(async () => {
  if (!chromiumPath) return
  province = await matchedProvince(db.knex, { firstCode: 42200, communes: 1, parcelsPerCommune: 120, seed: 29 })
  code = province.codes[0]!
  await db.knex('parcels').where({ commune_code: code }).update({ status: 'reconciled' })
  await createUser(db.knex, { username, password: TEST_PASSWORD, role: 'signer', displayName: 'Người ký thử', communes: [code] })
  p12File = (await issueDemoSigners(db.knex, { outDir: dir, communes: [code], kind: 'ECDSA', password: 'mat-khau-p12' })).signers[0]!.file
  server = await new Promise<Server>((resolve) => {
    const s = createApp({ db, logger: silentLogger, imports: testImports() }).listen(0, '127.0.0.1', () => resolve(s))
  })
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] })
})
afterAll(async () => {
  await browser?.close()
  if (server) {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
  province?.cleanUp()
  fs.rmSync(dir, { recursive: true, force: true })
  await db.close()
})

describe('the signer page', () => {
  it.skipIf(!chromiumPath)(`signs the commune with a PKCS#12 file opened in the browser${unless}`, async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    page.on('response', (r) => r.status() >= 400 && !r.url().endsWith('/favicon.ico') && !r.url().includes('/api/') && errors.push(`${r.status()} ${r.url()}`))
    const login = await context.request.post(`${base}/api/auth/login`, { data: { username, password: TEST_PASSWORD } })
    expect(login.status()).toBe(200)
    await page.goto(`${base}/sign.html`)
    await page.locator(`#commune option[value="${code}"]`).waitFor({ state: 'attached' })
    await page.setInputFiles('#p12', p12File)
    await page.getByLabel('Mật khẩu tệp').fill('sai')
    await page.getByRole('button', { name: 'Chuẩn bị lô và ký' }).click()
    await expect.poll(() => page.locator('#sign-error').textContent()).toContain('Không mở được tệp PKCS#12')
    await page.getByLabel('Mật khẩu tệp').fill('mat-khau-p12')
    await page.getByRole('button', { name: 'Chuẩn bị lô và ký' }).click()
    await page.locator('#result').waitFor({ state: 'visible', timeout: 30_000 })
    const parcels = Number((await db.knex('parcels').where({ commune_code: code }).count({ n: '*' }))[0]!.n)
    expect(await page.locator('#result-counts dd').nth(1).textContent()).toBe(String(parcels))
    expect(errors).toEqual([])
    await context.close()
    const report = await verifyCommune(db.knex, code)
    expect(report.counts).toMatchObject({ valid: parcels, unsigned: 0, broken: 0 })
  })

  it.skipIf(!chromiumPath)(`speaks English from the message files, and stays English on the next visit${unless}`, async () => {
    const en = JSON.parse(fs.readFileSync(path.resolve('web/i18n/en.json'), 'utf8')) as Record<string, string>
    const context = await browser.newContext()
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    expect((await context.request.post(`${base}/api/auth/login`, { data: { username, password: TEST_PASSWORD } })).status()).toBe(200)
    await page.goto(`${base}/sign.html`)
    await page.locator(`#commune option[value="${code}"]`).waitFor({ state: 'attached' })
    await page.getByRole('button', { name: 'English' }).click()
    await expect.poll(() => page.locator('#sign-title').textContent()).toBe(en['sign.title'])
    expect(await page.locator('html').getAttribute('lang')).toBe('en')
    await page.setInputFiles('#p12', p12File)
    await page.getByLabel(en['sign.password']!).fill('sai')
    await page.getByRole('button', { name: en['sign.submit'] }).click()
    await expect.poll(() => page.locator('#sign-error').textContent()).toBe(en['sign.badP12'])
    fs.mkdirSync('test-results', { recursive: true })
    await page.screenshot({ path: path.join('test-results', 'sign-english.png'), fullPage: true })
    await page.reload()
    await expect.poll(() => page.locator('label[for="p12"]').textContent()).toBe(en['sign.p12'])
    expect(await page.title()).toBe(en['sign.pageTitle'])
    // The header as on every page: the signer's page links, and log-out back to the sign-in page.
    await expect.poll(() => page.locator('nav.pages a').allTextContents()).toContain(en['nav.sign'])
    await page.getByRole('button', { name: en['session.logout'] }).click()
    await page.waitForURL(/\/login\.html/)
    expect(errors).toEqual([])
    await context.close()
  })
})
