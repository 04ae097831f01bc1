/**
 * The web pages as the app serves them: Vite's build of `web/` (dist/web), each page loading its
 * bundled, hashed script from /assets (Leaflet and pkijs inside, nothing from /vendor), no
 * inline script for the CSP to refuse, and the assets cached for good.
 */
import request from 'supertest'
import { afterAll, describe, expect, it } from 'vitest'
import { createApp } from '../../src/http/index.js'
import { silentLogger, testImports } from '../helpers/app.js'
import { testDatabase } from '../helpers/db.js'

const db = testDatabase()
afterAll(() => db.close())
const app = createApp({ db, logger: silentLogger, imports: testImports() })

const PAGES = ['index', 'login', 'map', 'dashboard', 'import', 'queue', 'parcel', 'admin', 'sign']

describe('the built web pages', () => {
  it.each(PAGES)('%s.html loads its bundled script from /assets, and nothing inline or from /vendor', async (name) => {
    const res = await request(app).get(`/${name}.html`).expect(200).expect('content-type', /html/)
    const html = res.text
    const entry = new RegExp(`<script type="module" crossorigin src="(/assets/${name === 'index' ? 'index' : name}-[\\w-]{8}\\.js)"></script>`).exec(html)
    expect(entry, html.slice(0, 800)).not.toBeNull()
    expect(html).not.toContain('/vendor/')
    expect(html).not.toContain('importmap')
    // Every script has a source: the CSP (script-src 'self') refuses inline ones.
    for (const tag of html.match(/<script[^>]*>/g) ?? []) expect(tag).toMatch(/ src="\/assets\//)
    expect(res.headers['content-security-policy']).toMatch(/script-src 'self'(;|$)/)

    const script = await request(app).get(entry![1]!).expect(200)
    expect(script.headers['content-type']).toMatch(/javascript/)
    expect(script.headers['cache-control']).toContain('immutable')
  })

  it('bundles Leaflet on the map pages (its styles before the app\'s), and serves no /vendor folder', async () => {
    const html = (await request(app).get('/map.html').expect(200)).text
    const styles = [...html.matchAll(/<link rel="stylesheet" crossorigin href="(\/assets\/[^"]+\.css)">/g)].map((m) => m[1]!)
    expect(styles.length).toBeGreaterThanOrEqual(1)
    const css = (await Promise.all(styles.map(async (href) => (await request(app).get(href).expect(200)).text))).join('\n')
    expect(css.indexOf('.leaflet-container')).toBeGreaterThanOrEqual(0)
    expect(css.indexOf('.leaflet-container')).toBeLessThan(css.indexOf('.map-layout'))
    await request(app).get('/vendor/leaflet/leaflet.js').expect(404)
    await request(app).get('/vendor/pkijs/index.es.js').expect(404)
  })

  it('answers the API even where the pages are missing (a page unknown is a 404 problem)', async () => {
    await request(app).get('/api/health').expect(200)
    await request(app).get('/no-such-page.html').expect(404)
  })
})
