/**
 * The import page in a real browser (Chromium driven by playwright-core), used as a GIS
 * officer uses it: sent to the sign-in page first, then choose a commune's shapefile set,
 * upload, wait for the report, match the commune from it, open it again from its address in
 * English, and log out.
 * Skipped, saying why, where no Chromium is installed.
 */
import fs from 'node:fs'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '../../src/auth/index.js'
import { createApp } from '../../src/http/index.js'
import { silentLogger, testImports } from '../helpers/app.js'
import { TEST_PASSWORD, uniqueUsername } from '../helpers/auth.js'
import { testDatabase } from '../helpers/db.js'
import { makeProvince, registerCommunes, type TestProvince } from '../helpers/province.js'

/** `CHROMIUM_PATH`, else the first Chromium or Chrome on the PATH. */
function findChromium(): string | undefined {
  if (process.env.CHROMIUM_PATH) return fs.existsSync(process.env.CHROMIUM_PATH) ? process.env.CHROMIUM_PATH : undefined
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
      if (dir && fs.existsSync(path.join(dir, name))) return path.join(dir, name)
    }
  }
  return undefined
}

const chromiumPath = findChromium()
const unless = chromiumPath ? '' : ' [skipped: no Chromium on PATH; `apt-get install -y chromium` or set CHROMIUM_PATH]'
// The default reporter does not list skipped tests by name: say it once where it is seen.
if (!chromiumPath) console.warn(`test/web/import-page.test.ts${unless}`)
const messages = (lang: string): Record<string, string> => JSON.parse(fs.readFileSync(path.resolve('web/i18n', `${lang}.json`), 'utf8'))

const db = testDatabase()
const imports = testImports()
let province: TestProvince
let server: Server
let base: string
let browser: Browser
/** One browser profile for the whole file: the pages share the session cookie, as tabs do. */
let context: BrowserContext
const username = uniqueUsername('web-gis')
const pageErrors: string[] = []

beforeAll(async () => {
  if (!chromiumPath) return
  province = await makeProvince({ firstCode: 35500, communes: 1, parcelsPerCommune: 250 })
  await registerCommunes(db.knex, province)
  await createUser(db.knex, { username, password: TEST_PASSWORD, role: 'gis', displayName: 'Cán bộ GIS thử', communes: province.codes })
  const app = createApp({ db, logger: silentLogger, imports })
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s))
  })
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  })
  context = await browser.newContext()
})
afterAll(async () => {
  await browser?.close()
  if (server) {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
  await imports.queue.idle()
  province?.cleanUp()
  await db.close()
})

async function newPage(): Promise<Page> {
  const page = await context.newPage()
  page.on('pageerror', (error) => pageErrors.push(error.message))
  return page
}

describe('the import page', () => {
  let jobUrl: string

  it.skipIf(!chromiumPath)(`uploads a commune's shapefile set and shows its report with the parcel count${unless}`, async () => {
    const vi = messages('vi')
    const code = province.codes[0]!
    const set = province.shapefile(code)
    const truth = province.truth(code)
    const page = await newPage()
    await page.goto(`${base}/import.html`)
    // Not signed in: the sign-in page, which comes back here afterwards.
    await page.waitForURL(/\/login\.html\?next=%2Fimport\.html$/)
    await expect.poll(() => page.getByRole('heading', { level: 2 }).first().textContent()).toBe(vi['login.title'])
    await page.getByLabel(vi['login.username']!).fill(username)
    await page.getByLabel(vi['login.password']!).fill('sai-mat-khau')
    await page.getByRole('button', { name: vi['login.submit'] }).click()
    await expect.poll(() => page.getByRole('alert').textContent()).toBe(vi['login.wrong'])
    await page.getByLabel(vi['login.password']!).fill(TEST_PASSWORD)
    await page.getByRole('button', { name: vi['login.submit'] }).click()
    await page.waitForURL(`${base}/import.html`)
    await expect.poll(() => page.getByRole('heading', { level: 2 }).first().textContent()).toBe(vi['upload.title'])
    expect(await page.locator('#session-user').textContent()).toBe(`Cán bộ GIS thử · ${vi['role.gis']}`)

    await page.setInputFiles('#files', [set.shp, set.shx, set.dbf, set.prj, set.cpg].filter((f): f is string => f !== undefined))
    await page.getByLabel(vi['upload.commune']!).fill(code)
    await page.getByRole('button', { name: vi['upload.submit'] }).click()

    const outcome = page.locator('#report-outcome .state')
    await outcome.filter({ hasText: vi['job.state.succeeded'] }).waitFor({ timeout: 45_000 })
    const parcels = new Intl.NumberFormat('vi').format(truth.parcels)
    expect(await page.locator('[data-count="parcels"] dd').textContent()).toBe(parcels)
    expect(page.url()).toMatch(/\/import\.html\?job=\d+$/)
    const row = page.locator(`#jobs tr[data-job-row="${new URL(page.url()).searchParams.get('job')}"]`)
    expect(await row.textContent()).toContain(parcels)
    // The findings are fetched once the job has ended, a moment after its final state shows.
    await page.locator('#by-code tbody tr').first().waitFor()
    jobUrl = page.url()

    // The GIS officer then matches the commune just imported, from its report.
    expect(await db.knex('match_runs').where({ commune_code: code }).count({ n: '*' })).toEqual([{ n: 0 }])
    await page.getByRole('button', { name: vi['match.runImported'] }).click()
    const status = page.locator('#report-match-status')
    await expect.poll(() => status.getAttribute('data-state'), { timeout: 60_000 }).toBe('succeeded')
    // No records yet: the parcels are map-only, but for the planted duplicate numbers.
    const spatialOnly = Number((await db.knex('matches').where({ commune_code: code, category: 'spatial_only' }).count({ n: '*' }))[0]!.n)
    expect(spatialOnly).toBeGreaterThan(0)
    expect(await status.textContent()).toContain(`${vi['category.spatial_only']} ${new Intl.NumberFormat('vi').format(spatialOnly)}`)
    fs.mkdirSync('test-results', { recursive: true })
    await page.screenshot({ path: path.join('test-results', 'import-matched.png'), fullPage: true })
    const runs = await db.knex('match_runs').where({ commune_code: code }).select('state')
    expect(runs).toEqual([{ state: 'succeeded' }])
    await page.close()
  })

  it.skipIf(!chromiumPath)(`opens a bookmarked report in English and filters its findings by kind${unless}`, async () => {
    if (!jobUrl) throw new Error('the upload test did not run')
    const en = messages('en')
    const page = await newPage()
    await page.goto(jobUrl)
    await page.getByRole('button', { name: 'English' }).click()
    await expect.poll(() => page.locator('#report-title').textContent()).toMatch(/^Report of import job \d+/)
    const parcels = new Intl.NumberFormat('en').format(province.truth(province.codes[0]!).parcels)
    expect(await page.locator('[data-count="parcels"] dd').textContent()).toBe(parcels)

    const firstKind = page.locator('#by-code tbody tr').first()
    const count = (await firstKind.locator('td.num').textContent())!
    await firstKind.getByRole('button').click()
    await expect.poll(() => page.url()).toContain('code=')
    await expect.poll(() => page.locator('#report .page-info').first().textContent()).toContain(`${count} findings`)
    expect(await page.locator('#code-filter').inputValue()).toBe(new URL(page.url()).searchParams.get('code'))
    expect(await page.locator('#code-filter option:checked').textContent()).not.toBe(en['report.allKinds'])
    await page.close()
  })

  it.skipIf(!chromiumPath)(`logs out, back to the sign-in page, and the pages ask for it again${unless}`, async () => {
    const en = messages('en')
    const page = await newPage()
    await page.goto(`${base}/`)
    await page.getByRole('button', { name: en['session.logout'] }).click()
    await page.waitForURL(/\/login\.html/)
    await page.goto(`${base}/`)
    await page.waitForURL(/\/login\.html\?next=%2F$/)
    await page.close()
  })

  it.skipIf(!chromiumPath)(`runs without script errors${unless}`, () => {
    expect(pageErrors).toEqual([])
  })
})
