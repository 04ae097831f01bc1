/**
 * The province map in a real browser, as a manager uses it: communes drawn as a choropleth with
 * a legend and a measure to choose, a commune's figures, and zoomed in, the parcels from the
 * vector tiles (the tile requests answered 200 and the canvases drawn), recoloured by
 * discrepancy, a click opening the parcel, and the keyboard's way to open one (sheet and number
 * typed for the chosen commune). Skipped, saying why, without Chromium.
 */
import type { Page, Response } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testDatabase } from '../helpers/db.js'
import { matchedProvince, parcelsIn } from '../helpers/matched-commune.js'
import type { TestProvince } from '../helpers/province.js'
import { chromiumPath, makeUser, messages, screenshot, signInAt, startWebApp, unless, type WebApp } from './browser.js'

const db = testDatabase()
const vi = messages('vi')
let province: TestProvince
let code: string
let web: WebApp
let page: Page
const tileResponses: Response[] = []

beforeAll(async () => {
  if (!chromiumPath) return
  province = await matchedProvince(db.knex, { firstCode: 45200, communes: 2, parcelsPerCommune: 300, seed: 37 })
  code = province.codes[0]!
  web = await startWebApp(db)
  page = await web.newPage({ width: 1280, height: 860 })
  page.on('response', (r) => {
    if (r.url().includes('/tiles/parcels/')) tileResponses.push(r)
  })
  await signInAt(page, web.base, '/map.html', await makeUser(db, 'manager', [], 'Lãnh đạo thử'))
})
afterAll(async () => {
  await web?.close()
  province?.cleanUp()
  await db.close()
})

/** Pixels drawn on the parcel tiles' canvases (VectorGrid draws each tile on a canvas). */
const drawnPixels = () =>
  page.evaluate(() => {
    let n = 0
    for (const canvas of document.querySelectorAll<HTMLCanvasElement>('#map canvas')) {
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++
    }
    return n
  })

/** The centre of a parcel of the commune in WGS84, from its detail. */
async function parcelCentre(id: number): Promise<{ lat: number; lng: number }> {
  const detail = await page.evaluate(async (url) => (await fetch(url)).json(), `/api/communes/${code}/parcels/${id}`)
  const ring: number[][] = detail.geometry.wgs84.type === 'MultiPolygon' ? detail.geometry.wgs84.coordinates[0][0] : detail.geometry.wgs84.coordinates[0]
  const lngs = ring.map((p) => p[0]!)
  const lats = ring.map((p) => p[1]!)
  return { lng: (Math.min(...lngs) + Math.max(...lngs)) / 2, lat: (Math.min(...lats) + Math.max(...lats)) / 2 }
}

describe('the province map', () => {
  it.skipIf(!chromiumPath)(`draws the communes as a choropleth with its legend, and a commune's figures when chosen${unless}`, async () => {
    await page.locator('#map path.leaflet-interactive').first().waitFor()
    expect(await page.locator('#map path.leaflet-interactive').count()).toBeGreaterThanOrEqual(2)
    expect(await page.locator('.legend h3').first().textContent()).toBe(vi['map.measure.reconciled'])
    expect(await page.locator('#commune option').allTextContents()).toEqual(expect.arrayContaining(province.codes.map((c) => expect.stringContaining(c))))
    await screenshot(page, 'map-province')

    await page.locator('#measure').selectOption('matched')
    await page.waitForURL(/measure=matched/)
    expect(await page.locator('.legend h3').first().textContent()).toBe(vi['map.measure.matched'])
    // The fills follow the measure: a commune with matched parcels is no longer in the lightest class.
    const fills = await page.locator('#map path.leaflet-interactive').evaluateAll((paths) => paths.map((p) => p.getAttribute('fill')))
    expect(fills.some((f) => f !== '#edf8e9' && f !== '#e3e6ea')).toBe(true)

    await page.locator('#commune').selectOption(code)
    await page.waitForURL(new RegExp(`commune=${code}`))
    const figures = await page.evaluate(async () => (await fetch('/api/progress/communes')).json())
    const mine = figures.communes.find((c: { code: string }) => c.code === code)
    expect(await page.locator('#panel-title').textContent()).toBe(`${mine.name} (${code})`)
    expect(await page.locator('#panel-figures [data-figure="parcels"]').textContent()).toBe(new Intl.NumberFormat('vi').format(mine.parcels))
    expect(await page.locator('#panel-links a').first().getAttribute('href')).toBe(`/queue.html?commune=${code}`)
  })

  it.skipIf(!chromiumPath)(`zoomed in (a bookmarked view), draws the parcels from vector tiles, by status then by discrepancy${unless}`, async () => {
    const [id] = await parcelsIn(db.knex, code, 'area_mismatch', { withRecord: true })
    const { lat, lng } = await parcelCentre(id!)
    tileResponses.length = 0
    await page.goto(`${web.base}/map.html?commune=${code}&z=17&lat=${lat}&lng=${lng}`)
    await expect.poll(() => page.locator('#map-status').textContent()).toBe(vi['map.parcelsShownOpen'])
    await expect.poll(() => tileResponses.filter((r) => r.status() === 200).length, { timeout: 20_000 }).toBeGreaterThan(0)
    expect(tileResponses.every((r) => r.status() === 200 || r.status() === 204)).toBe(true)
    await expect.poll(drawnPixels, { timeout: 20_000 }).toBeGreaterThan(1000)
    expect(await page.locator('.legend').textContent()).toContain(vi['status.needs_review'])
    await screenshot(page, 'map-parcels-status')

    await page.locator('#color-by').selectOption('category')
    await page.waitForURL(/colour=category/)
    await expect.poll(() => page.locator('.legend').textContent()).toContain(vi['category.area_mismatch'])
    await expect.poll(drawnPixels, { timeout: 20_000 }).toBeGreaterThan(1000)
    await screenshot(page, 'map-parcels-category')

    // A click on the parcel at the centre opens its detail (test files running beside this one
    // may have generated communes at the same place: any commune's parcel will do).
    const box = (await page.locator('#map').boundingBox())!
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2)
    await page.waitForURL(/\/parcel\.html\?commune=\d{5}&id=\d+$/)
    await page.locator('#parcel-status').waitFor()
  })

  it.skipIf(!chromiumPath)(`opens a parcel from the keyboard: the commune chosen, then its sheet and number typed${unless}`, async () => {
    const [id] = await parcelsIn(db.knex, code, 'area_mismatch', { withRecord: true })
    const parcel = await db.knex('parcels').where({ commune_code: code, id }).first('sheet_number', 'parcel_number')
    await page.goto(`${web.base}/map.html`)
    await page.locator(`#commune option[value="${code}"]`).waitFor({ state: 'attached' })
    expect(await page.locator('#open-parcel').isHidden()).toBe(true) // no commune chosen yet

    await page.locator('#commune').focus()
    await page.locator('#commune').selectOption(code)
    await page.locator('#open-parcel').waitFor()
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('open-sheet')
    expect(await page.getByLabel(vi['map.openParcel.sheet']!).getAttribute('id')).toBe('open-sheet')

    // A parcel the commune does not have: said in the form's status line, the page stays.
    await page.keyboard.type(String(parcel.sheet_number))
    await page.keyboard.press('Tab')
    await page.keyboard.type('99999')
    await page.keyboard.press('Enter')
    const notFound = vi['map.openParcel.notFound']!.replace('{commune}', code).replace('{sheet}', String(parcel.sheet_number)).replace('{number}', '99999')
    await expect.poll(() => page.locator('#open-parcel-status').textContent()).toBe(notFound)
    await screenshot(page, 'map-open-parcel')

    await page.keyboard.press('Control+A')
    await page.keyboard.type(String(parcel.parcel_number))
    await page.keyboard.press('Enter')
    await page.waitForURL(new RegExp(`/parcel\\.html\\?commune=${code}&id=${id}$`))
    await page.locator('#parcel-status').waitFor()
  })

  it.skipIf(!chromiumPath)(`runs without script errors${unless}`, () => {
    expect(web.pageErrors).toEqual([])
  })
})
