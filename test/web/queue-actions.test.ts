/**
 * The queue page's commune-wide actions in a real browser: a clerk accepts every undecided
 * matched parcel of one sheet after confirming (each acceptance one audit event), and runs
 * matching again from the page until it has succeeded, which another reader's page learns and
 * reloads for; roles that may not decide or match do not see the buttons. Skipped, saying why, without Chromium.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDatabase } from '../helpers/db.js'
import { matchedProvince } from '../helpers/matched-commune.js'
import type { TestProvince } from '../helpers/province.js'
import { chromiumPath, makeUser, messages, screenshot, signInAt, startWebApp, unless, type WebApp } from './browser.js'

const db = testDatabase()
const vi = messages('vi')
let province: TestProvince
let code: string
let web: WebApp
let page: Page
let sheet: string

/** Parcels bulk accept takes: matched, undecided, their only link, not yet reconciled. */
async function acceptable(onSheet: string): Promise<number> {
  const { rows } = await db.knex.raw(
    `SELECT count(*)::int AS n FROM parcels p JOIN matches m ON m.commune_code = p.commune_code AND m.parcel_id = p.id
     WHERE p.commune_code = ? AND p.sheet_number = ? AND m.category = 'matched' AND NOT m.decided AND p.status IN ('matched', 'needs_review')
       AND NOT EXISTS (SELECT 1 FROM matches o WHERE o.commune_code = p.commune_code AND o.parcel_id = p.id AND o.id <> m.id)`,
    [code, onSheet],
  )
  return rows[0].n
}
const events = async (): Promise<number> => Number((await db.knex('reconciliation_events').where({ commune_code: code }).count({ n: '*' }))[0]!.n)
const fill = (text: string, params: Record<string, string | number>): string => text.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k]))

beforeAll(async () => {
  if (!chromiumPath) return
  province = await matchedProvince(db.knex, { firstCode: 45600, communes: 1, parcelsPerCommune: 400, seed: 37 })
  code = province.codes[0]!
  // The sheet with the most matched parcels.
  const { rows } = await db.knex.raw(
    `SELECT p.sheet_number FROM parcels p JOIN matches m ON m.commune_code = p.commune_code AND m.parcel_id = p.id
     WHERE p.commune_code = ? AND m.category = 'matched' GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`,
    [code],
  )
  sheet = rows[0].sheet_number
  web = await startWebApp(db)
  page = await web.newPage()
})
afterAll(async () => {
  await web?.close()
  province?.cleanUp()
  await db.close()
})

describe('the queue page for a whole sheet or commune', () => {
  it.skipIf(!chromiumPath)(`accepts every matched parcel of the sheet after a confirmation, one audit event each${unless}`, async () => {
    const clerk = await makeUser(db, 'clerk', [code], 'Cán bộ đối soát thử')
    const n = await acceptable(sheet)
    expect(n).toBeGreaterThan(1)
    const before = await events()
    await signInAt(page, web.base, `/queue.html?commune=${code}&sheet=${sheet}`, clerk)
    await page.locator('#queue tbody tr').first().waitFor()
    await page.getByRole('button', { name: fill(vi['bulk.buttonSheet']!, { sheet }) }).click()
    const dialog = page.getByRole('dialog')
    await expect.poll(() => dialog.locator('#bulk-count').textContent()).toContain(`${n} mục khớp chưa quyết định trong tờ ${sheet}`)
    expect(await dialog.locator('#bulk-audit').textContent()).toBe(vi['bulk.audit'])
    await screenshot(page, 'queue-bulk-confirm')
    await dialog.getByLabel(vi['decision.reasonOptional']!).fill('Đã đối chiếu với sổ mục kê')
    await dialog.getByRole('button', { name: fill(vi['bulk.confirmN']!, { n }) }).click()
    await expect.poll(() => page.locator('#queue-notice').textContent()).toBe(fill(vi['bulk.doneSheet']!, { n, sheet }))
    expect(await page.locator('#queue-notice').getAttribute('role')).toBe('status')
    // The list was reloaded: the sheet's matched items now carry the decided tag.
    await expect.poll(() => page.locator('#queue tbody tr[data-category="matched"] .tag.decided').count()).toBeGreaterThan(0)
    await screenshot(page, 'queue-bulk-done')

    expect(await acceptable(sheet)).toBe(0)
    const undecided = await db.knex('matches as m').join('parcels as p', function () {
      this.on('p.commune_code', 'm.commune_code').andOn('p.id', 'm.parcel_id')
    }).where({ 'm.commune_code': code, 'p.sheet_number': sheet, 'm.category': 'matched', 'm.decided': false }).count({ n: '*' })
    expect(Number(undecided[0]!.n)).toBe(0)
    expect(await events()).toBe(before + n)
    const written = await db.knex('reconciliation_events').where({ commune_code: code }).orderBy('seq', 'desc').limit(n).select('kind', 'reason')
    expect(new Set(written.map((e) => `${e.kind}|${e.reason}`))).toEqual(new Set(['accept|Đã đối chiếu với sổ mục kê']))
    // Other sheets are untouched.
    expect(Number((await db.knex('parcels').where({ commune_code: code, status: 'reconciled' }).whereNot({ sheet_number: sheet }).count({ n: '*' }))[0]!.n)).toBe(0)
  })

  it.skipIf(!chromiumPath)(`runs matching again from the page until it has succeeded, and reloads the queue${unless}`, async () => {
    await page.goto(`${web.base}/queue.html?commune=${code}`)
    await page.locator('#queue tbody tr').first().waitFor()
    const runsBefore = Number((await db.knex('match_runs').where({ commune_code: code }).count({ n: '*' }))[0]!.n)
    await page.getByRole('button', { name: vi['match.run'] }).click()
    const status = page.locator('#match-status')
    await expect.poll(() => status.getAttribute('data-state'), { timeout: 60_000 }).toBe('succeeded')
    expect(await status.textContent()).toMatch(/^Đối chiếu xong \(lượt số \d+\): \d+ số hiệu thửa được đối chiếu lại\. Hiện có: khớp \d+/)
    expect(await status.getAttribute('role')).toBe('status')
    await screenshot(page, 'queue-matched-again')
    const runs = await db.knex('match_runs').where({ commune_code: code }).orderBy('id', 'desc').select('state')
    expect(runs.length).toBe(runsBefore + 1)
    expect(runs[0]!.state).toBe('succeeded')
    // Matching leaves the clerk's decisions alone: the bulk accepted sheet stays decided.
    expect(await acceptable(sheet)).toBe(0)
  })

  it.skipIf(!chromiumPath)(`tells a reader of the queue when a run started elsewhere ends, and reloads the list${unless}`, async () => {
    const signer = await makeUser(db, 'signer', [code])
    const other = await web.newPage()
    await signInAt(other, web.base, `/queue.html?commune=${code}`, signer)
    await other.locator('#queue tbody tr').first().waitFor()
    let reloads = 0
    other.on('response', (response) => {
      if (response.url().includes(`/api/communes/${code}/queue?`)) reloads++
    })
    await page.goto(`${web.base}/queue.html?commune=${code}`)
    await page.locator('#queue tbody tr').first().waitFor()
    await page.getByRole('button', { name: vi['match.run'] }).click()
    await expect.poll(() => page.locator('#match-status').getAttribute('data-state'), { timeout: 60_000 }).toBe('succeeded')
    const run = await db.knex('match_runs').where({ commune_code: code }).orderBy('id', 'desc').first('id')
    const notice = other.locator('#queue-notice')
    await expect.poll(() => notice.textContent(), { timeout: 30_000 }).toBe(vi['match.elsewhere.succeeded']!.replace('{id}', String(run.id)))
    expect(await notice.getAttribute('role')).toBe('status')
    expect(reloads).toBeGreaterThan(0)
    await screenshot(other, 'queue-run-elsewhere')
    // The page that started the run says so in its own status line, not as news from elsewhere.
    expect(await page.locator('#queue-notice').isHidden()).toBe(true)
    await other.close()
  })

  it.skipIf(!chromiumPath)(`shows neither action to a signer, who reads the queue only${unless}`, async () => {
    const signer = await makeUser(db, 'signer', [code])
    const other = await web.newPage()
    await signInAt(other, web.base, `/queue.html?commune=${code}`, signer)
    await other.locator('#queue tbody tr').first().waitFor()
    expect(await other.locator('#commune-actions').isHidden()).toBe(true)
    expect(await other.getByRole('button', { name: vi['match.run'] }).count()).toBe(0)
    await other.close()
  })

  it.skipIf(!chromiumPath)(`runs without script errors${unless}`, () => {
    expect(web.pageErrors).toEqual([])
  })
})
