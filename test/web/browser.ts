/**
 * What the page tests share: finding Chromium (the tests skip, saying why, without it), the
 * app listening on a free port over the test database, a headless browser, signing in through
 * the sign-in page, collecting script errors, and screenshots under test-results/ (looked at by
 * people, not compared).
 */
import fs from 'node:fs'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { createUser, type Role } from '../../src/auth/index.js'
import type { Database } from '../../src/db/index.js'
import { createApp } from '../../src/http/index.js'
import { silentLogger, testImports } from '../helpers/app.js'
import { TEST_PASSWORD, uniqueUsername } from '../helpers/auth.js'

/** `CHROMIUM_PATH`, else the first Chromium or Chrome on the PATH. */
export function findChromium(): string | undefined {
  if (process.env.CHROMIUM_PATH) return fs.existsSync(process.env.CHROMIUM_PATH) ? process.env.CHROMIUM_PATH : undefined
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
      if (dir && fs.existsSync(path.join(dir, name))) return path.join(dir, name)
    }
  }
  return undefined
}

export const chromiumPath = findChromium()
/** Appended to each test's name, so a skipped run says why. */
export const unless = chromiumPath ? '' : ' [skipped: no Chromium on PATH; `apt-get install -y chromium` or set CHROMIUM_PATH]'

export const messages = (lang: 'vi' | 'en'): Record<string, string> => JSON.parse(fs.readFileSync(path.resolve('web/i18n', `${lang}.json`), 'utf8'))

export interface WebApp {
  base: string
  browser: Browser
  /** Script errors of every page opened with `newPage`. */
  pageErrors: string[]
  newPage(options?: { width?: number; height?: number }): Promise<Page>
  close(): Promise<void>
}

export async function startWebApp(db: Database): Promise<WebApp> {
  const imports = testImports()
  const app = createApp({ db, logger: silentLogger, imports })
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s))
  })
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  })
  const pageErrors: string[] = []
  return {
    base,
    browser,
    pageErrors,
    async newPage({ width = 1280, height = 900 } = {}) {
      // A context per page: each sign-in is its own browser profile.
      const context = await browser.newContext({ viewport: { width, height } })
      const page = await context.newPage()
      page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`))
      return page
    },
    async close() {
      await browser.close()
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
      await imports.queue.idle()
    },
  }
}

/** A new user of the role (and communes), with the test password. */
export async function makeUser(db: Database, role: Role, communes: string[] = [], displayName = `Người thử ${role}`): Promise<string> {
  const username = uniqueUsername(`web-${role}`)
  await createUser(db.knex, { username, password: TEST_PASSWORD, role, displayName, communes })
  return username
}

/** Opens `url`, is sent to the sign-in page, signs in, and comes back to `url`. */
export async function signInAt(page: Page, base: string, url: string, username: string, password = TEST_PASSWORD): Promise<void> {
  const vi = messages('vi')
  await page.goto(`${base}${url}`)
  await page.waitForURL(/\/login\.html\?next=/)
  await page.getByLabel(vi['login.username']!).fill(username)
  await page.getByLabel(vi['login.password']!).fill(password)
  await page.getByRole('button', { name: vi['login.submit'] }).click()
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
}

/** Writes a full-page screenshot to test-results/<name>.png, for people to look at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync('test-results', { recursive: true })
  await page.screenshot({ path: path.join('test-results', `${name}.png`), fullPage: true })
}
