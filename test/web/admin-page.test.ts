/**
 * The administrator's page in a real browser: create a user (the generated password shown
 * once), change a role, assign communes, disable an account; the new user then signs in with
 * that password and sees only the pages of their role. Skipped, saying why, without Chromium.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDatabase } from '../helpers/db.js'
import { makeProvince, registerCommunes, type TestProvince } from '../helpers/province.js'
import { chromiumPath, makeUser, messages, screenshot, signInAt, startWebApp, unless, type WebApp } from './browser.js'
import { uniqueUsername } from '../helpers/auth.js'

const db = testDatabase()
const vi = messages('vi')
let province: TestProvince
let web: WebApp
let page: Page
const newName = uniqueUsername('web-new')
let password = ''

beforeAll(async () => {
  if (!chromiumPath) return
  province = await makeProvince({ firstCode: 45300, communes: 2, parcelsPerCommune: 20 })
  await registerCommunes(db.knex, province)
  web = await startWebApp(db)
  page = await web.newPage()
  await signInAt(page, web.base, '/admin.html', await makeUser(db, 'admin', [], 'Quản trị thử'))
})
afterAll(async () => {
  await web?.close()
  province?.cleanUp()
  await db.close()
})

const row = () => page.locator(`#users tbody tr[data-user="${newName}"]`)
const stored = () => db.knex('users').where({ username: newName }).first('id', 'role', 'active')

describe('the admin page', () => {
  it.skipIf(!chromiumPath)(`creates a clerk for a commune and shows the generated password once${unless}`, async () => {
    await page.locator('#users tbody tr').first().waitFor()
    expect(await page.locator('nav.pages a').allTextContents()).toContain(vi['nav.admin'])
    await page.getByLabel(vi['admin.username']!, { exact: true }).fill(newName)
    await page.getByLabel(vi['admin.displayName']!, { exact: true }).fill('Nguyễn Thị Mai')
    await page.getByLabel(vi['admin.role']!, { exact: true }).selectOption('clerk')
    await page.locator('#new-communes-filter').fill(province.codes[0]!)
    await page.getByLabel(new RegExp(`^${province.codes[0]} — `)).check()
    await page.getByRole('button', { name: vi['admin.create'] }).click()
    await page.locator('#generated-password').waitFor()
    password = (await page.locator('#generated-password').textContent())!
    expect(password.length).toBeGreaterThanOrEqual(8)
    await row().waitFor()
    expect(await row().textContent()).toContain(province.codes[0])
    await screenshot(page, 'admin-created')
  })

  it.skipIf(!chromiumPath)(`changes the role and the communes in place${unless}`, async () => {
    await row().locator('select[data-field="role"]').selectOption('signer')
    await expect.poll(async () => (await stored()).role).toBe('signer')
    await row().locator('button[data-action="communes"]').click()
    await page.locator('#edit-communes-list').getByLabel(new RegExp(`^${province.codes[1]} — `)).check()
    await page.locator('#communes-form').getByRole('button', { name: vi['admin.saveCommunes'] }).click()
    await expect.poll(() => row().locator('.communes-cell').textContent()).toContain(`${province.codes[0]}, ${province.codes[1]}`)
    await screenshot(page, 'admin-edited')
  })

  it.skipIf(!chromiumPath)(`lets the new user in with that password, to the pages of their role only${unless}`, async () => {
    const theirs = await web.newPage()
    await signInAt(theirs, web.base, '/', newName, password)
    await expect.poll(() => theirs.locator('nav.pages').textContent()).toContain(vi['nav.queue'])
    const nav = await theirs.locator('nav.pages').textContent()
    expect(nav).not.toContain(vi['nav.admin'])
    expect(nav).not.toContain(vi['nav.import'])
    await theirs.goto(`${web.base}/admin.html`)
    await expect.poll(() => theirs.locator('main h2').first().textContent()).toBe(vi['page.forbiddenTitle'])
    await screenshot(theirs, 'admin-forbidden-for-signer')
  })

  it.skipIf(!chromiumPath)(`shows an administrator every page in the navigation, in either language${unless}`, async () => {
    const en = messages('en')
    await page.goto(`${web.base}/`)
    await page.locator('#communes tbody tr').first().waitFor()
    expect(await page.locator('nav.pages a').allTextContents()).toEqual(['nav.home', 'nav.map', 'nav.dashboard', 'nav.import', 'nav.queue', 'nav.admin'].map((k) => vi[k]))
    await screenshot(page, 'home')
    await page.goto(`${web.base}/import.html`)
    await expect.poll(() => page.locator('#upload-title').textContent()).toBe(vi['upload.title'])
    await screenshot(page, 'import')
    await page.goto(`${web.base}/dashboard.html`)
    await page.getByRole('button', { name: 'English' }).click()
    await expect.poll(() => page.locator('#table-title').textContent()).toBe(en['dashboard.title'])
    expect(await page.locator('#download-csv').getAttribute('href')).toBe('/api/progress/communes.csv?lang=en')
    await page.locator('#progress thead button[data-sort="parcels"]').click()
    await page.waitForURL(/sort=parcels/)
    expect(await page.locator('#progress thead th[aria-sort]').textContent()).toContain(en['figure.parcels'])
    await screenshot(page, 'dashboard-english')
    await page.getByRole('button', { name: 'Tiếng Việt' }).click()
    await expect.poll(() => page.locator('#table-title').textContent()).toBe(vi['dashboard.title'])
  })

  it.skipIf(!chromiumPath)(`disables the account${unless}`, async () => {
    await page.goto(`${web.base}/admin.html`)
    await row().locator('input[data-field="active"]').uncheck()
    await expect.poll(async () => (await stored()).active).toBe(false)
    await expect.poll(() => row().getAttribute('class')).toContain('inactive')
  })

  it.skipIf(!chromiumPath)(`runs without script errors${unless}`, () => {
    expect(web.pageErrors).toEqual([])
  })
})
