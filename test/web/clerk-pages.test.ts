/**
 * The clerk's pages in a real browser: the queue of a matched commune (filters in the address,
 * j/k/Enter/a/f shortcuts), a parcel's detail with its record beside it and the differences
 * marked, accepting it, the dashboard figure that moves, and a decision that loses the race to
 * another clerk (409 shown, current state reloaded). Skipped, saying why, without Chromium.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../src/http/index.js'
import { silentLogger, testImports } from '../helpers/app.js'
import { signIn, type TestAgent } from '../helpers/auth.js'
import { testDatabase } from '../helpers/db.js'
import { matchedProvince, parcelsIn } from '../helpers/matched-commune.js'
import type { TestProvince } from '../helpers/province.js'
import { chromiumPath, makeUser, messages, screenshot, signInAt, startWebApp, unless, type WebApp } from './browser.js'

const db = testDatabase()
const vi = messages('vi')
const en = messages('en')
let province: TestProvince
let code: string
let web: WebApp
let clerkName: string
let page: Page
/** A second clerk deciding through the API, to race the page. */
let rival: { agent: TestAgent; csrf: string }

beforeAll(async () => {
  if (!chromiumPath) return
  province = await matchedProvince(db.knex, { firstCode: 45100, communes: 1, parcelsPerCommune: 400, seed: 31 })
  code = province.codes[0]!
  clerkName = await makeUser(db, 'clerk', [code], 'Cán bộ đối soát thử')
  rival = await signIn(createApp({ db, logger: silentLogger, imports: testImports() }), db.knex, 'clerk', [code])
  web = await startWebApp(db)
  page = await web.newPage()
})
afterAll(async () => {
  await web?.close()
  province?.cleanUp()
  await db.close()
})

/** The dashboard's "reconciled" cell of the commune (e.g. "1 (0,3 %)"). */
async function reconciledOnDashboard(): Promise<string> {
  await page.goto(`${web.base}/dashboard.html`)
  const cell = page.locator(`#progress tbody tr[data-commune="${code}"] td[data-col="reconciled"]`)
  await cell.waitFor()
  return (await cell.textContent())!
}

describe('the clerk pages', () => {
  let before: string

  it.skipIf(!chromiumPath)(`sign in from the queue, which opens on the clerk's commune and lists its discrepancies${unless}`, async () => {
    await signInAt(page, web.base, '/queue.html', clerkName)
    await page.waitForURL(new RegExp(`/queue\\.html\\?commune=${code}$`))
    await page.locator('#queue tbody tr').first().waitFor()
    expect(await page.locator('#queue-count').textContent()).toMatch(/\d+ mục/)
    // Only the pages a clerk uses are in the navigation.
    const nav = await page.locator('nav.pages a').allTextContents()
    expect(nav).toEqual([vi['nav.home'], vi['nav.map'], vi['nav.dashboard'], vi['nav.queue']])
    before = await reconciledOnDashboard()
    expect(before).toMatch(/^0 /)
    await screenshot(page, 'dashboard-before')
  })

  it.skipIf(!chromiumPath)(`filters by category into the address, and walks the rows with j/k then opens one with Enter${unless}`, async () => {
    await page.goto(`${web.base}/queue.html`)
    await page.locator('#queue tbody tr').first().waitFor()
    await page.locator('#category').selectOption('area_mismatch')
    await page.waitForURL(/category=area_mismatch/)
    await expect.poll(async () => new Set(await page.locator('#queue tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-category'))))).toEqual(new Set(['area_mismatch']))
    const rows = page.locator('#queue tbody tr')
    expect(await rows.count()).toBeGreaterThan(1)
    await screenshot(page, 'queue-area-mismatch')
    await page.locator('body').click({ position: { x: 5, y: 5 } })
    await page.keyboard.press('j')
    await expect.poll(() => rows.nth(1).getAttribute('aria-current')).toBe('true')
    await page.keyboard.press('k')
    await expect.poll(() => rows.nth(0).getAttribute('aria-current')).toBe('true')
    const href = await rows.nth(0).locator('th a').getAttribute('href')
    await page.keyboard.press('Enter')
    await page.waitForURL(`${web.base}${href}`)
  })

  it.skipIf(!chromiumPath)(`shows the record beside the geometry with the area marked, accepts, and the dashboard moves${unless}`, async () => {
    await page.locator('#compare tbody tr[data-field="area"] td[data-differs="true"]').waitFor()
    expect(await page.locator('#parcel-status').getAttribute('data-status')).toBe('needs_review')
    // The small map draws the parcel and its neighbours from the tiles.
    await page.locator('#parcel-map path.leaflet-interactive, #parcel-map path').first().waitFor()
    await screenshot(page, 'parcel-before-accept')
    await page.getByRole('button', { name: vi['decision.accept'], exact: true }).click()
    await page.getByLabel(vi['decision.reasonOptional']!).fill('Đã kiểm tra hồ sơ gốc')
    await page.getByRole('button', { name: vi['decision.submit.accept'] }).click()
    await expect.poll(() => page.locator('#parcel-status').getAttribute('data-status')).toBe('reconciled')
    expect(await page.locator('#notice').textContent()).toContain(vi['history.kind.accept'])
    expect(await page.locator('#history li').first().textContent()).toContain('Đã kiểm tra hồ sơ gốc')
    await screenshot(page, 'parcel-after-accept')
    const after = await reconciledOnDashboard()
    expect(after).toMatch(/^1 /)
    await screenshot(page, 'dashboard-after')
  })

  it.skipIf(!chromiumPath)(`says so when another clerk decided first, and shows the parcel as it is now${unless}`, async () => {
    const [id] = await parcelsIn(db.knex, code, 'landuse_mismatch', { withRecord: true })
    await page.goto(`${web.base}/parcel.html?commune=${code}&id=${id}`)
    await page.locator('#parcel-status').waitFor()
    // The rival flags it while this page still shows version 1.
    const res = await rival.agent.post(`/api/communes/${code}/parcels/${id}/decisions`).set('x-csrf-token', rival.csrf).send({ kind: 'flag', version: 1, note: 'Cần đo lại' })
    expect(res.status).toBe(201)
    await page.getByRole('button', { name: vi['decision.accept'], exact: true }).click()
    await page.getByRole('button', { name: vi['decision.submit.accept'] }).click()
    await page.locator('#conflict').waitFor({ state: 'visible' })
    expect(await page.locator('#conflict').textContent()).toContain('phiên bản 2')
    expect(await page.locator('#parcel-status').getAttribute('data-status')).toBe('needs_review')
    expect(await page.locator('#parcel-state .flagged').textContent()).toContain('Cần đo lại')
    await screenshot(page, 'parcel-conflict')
  })

  it.skipIf(!chromiumPath)(`opens a record without parcel from the queue and links it to a suggested parcel${unless}`, async () => {
    await page.goto(`${web.base}/queue.html?commune=${code}&category=record_only`)
    await page.locator('#queue tbody tr').first().locator('th a').click()
    await page.waitForURL(/\/parcel\.html\?commune=\d+&record=\d+$/)
    const candidate = page.locator('#candidates tbody tr').first()
    await candidate.waitFor()
    await screenshot(page, 'record-candidates')
    await candidate.locator('button[data-action="link"]').click()
    await expect.poll(() => page.locator('#notice').textContent()).toContain(vi['history.kind.link'])
    expect(await page.locator('#compare-note a').count()).toBe(1)
    expect(await page.locator('#history li').first().getAttribute('data-kind')).toBe('link')
  })

  it.skipIf(!chromiumPath)(`accepts with "a" and flags with "f" from the queue, in English${unless}`, async () => {
    await page.goto(`${web.base}/queue.html?commune=${code}&category=spatial_only&decided=false`)
    await page.getByRole('button', { name: 'English' }).click()
    await expect.poll(() => page.locator('#queue-title').textContent()).toBe(en['queue.title'])
    const first = page.locator('#queue tbody tr').first()
    await first.waitFor()
    const total = Number((await page.locator('#queue-count').textContent())!.replace(/\D/g, ''))
    await page.locator('body').click({ position: { x: 5, y: 5 } })
    await page.keyboard.press('a')
    await expect.poll(() => page.locator('#announcer').textContent()).toMatch(/accepted\.$/)
    await expect.poll(async () => Number((await page.locator('#queue-count').textContent())!.replace(/\D/g, ''))).toBe(total - 1)
    await page.keyboard.press('f')
    await page.getByLabel(en['decision.flagNote']!).fill('Ranh giới chưa rõ')
    await page.locator('#flag-form').getByRole('button', { name: en['decision.flag'] }).click()
    await expect.poll(() => page.locator('#announcer').textContent()).toMatch(/flagged\.$/)
    await screenshot(page, 'queue-english')
    const flagged = await db.knex('parcels').where({ commune_code: code }).whereNotNull('review_flag').count({ n: '*' })
    expect(Number(flagged[0]!.n)).toBe(2) // the rival's flag and this one
  })

  it.skipIf(!chromiumPath)(`runs without script errors${unless}`, () => {
    expect(web.pageErrors).toEqual([])
  })
})
