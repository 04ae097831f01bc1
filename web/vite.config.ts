/**
 * The web pages' build: every `web/*.html` is an entry of a multi-page Vite build whose output,
 * `dist/web`, is what the app serves (src/http/app.ts). Scripts and styles become hashed files
 * under `/assets`; Leaflet, Leaflet.VectorGrid and pkijs are bundled from their npm packages.
 * The header every page shows is written once, here (`pageHeader`), where a page says
 * `<!-- page-header -->`.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

const root = path.dirname(fileURLToPath(import.meta.url))
export const WEB_OUT_DIR = path.resolve(root, '../dist/web')

const pages = Object.fromEntries(
  fs
    .readdirSync(root)
    .filter((name) => name.endsWith('.html'))
    .map((name) => [name.slice(0, -'.html'.length), path.join(root, name)]),
)

const vi = JSON.parse(fs.readFileSync(path.join(root, 'i18n/vi.json'), 'utf8')) as Record<string, string>

/**
 * `<!-- page-header [subtitle=KEY] [signed-out] -->`: the title, the subtitle (default
 * `app.subtitle`, in Vietnamese until i18n.ts runs), the page links, the language switch and,
 * unless signed out (the sign-in page), who is signed in with the log-out button.
 */
function pageHeader(options: string): string {
  const subtitle = /\bsubtitle=([\w.]+)/.exec(options)?.[1] ?? 'app.subtitle'
  const signedIn = !/\bsigned-out\b/.test(options)
  return [
    '<header>',
    '    <h1 data-i18n="app.title">Landbook</h1>',
    `    <p data-i18n="${subtitle}">${vi[subtitle] ?? ''}</p>`,
    ...(signedIn ? ['    <nav class="pages" aria-label="Trang" data-i18n-attr="aria-label:nav.pages"></nav>'] : []),
    '    <nav aria-label="Ngôn ngữ" data-i18n-attr="aria-label:nav.language">',
    '      <button type="button" data-lang="vi" aria-pressed="true">Tiếng Việt</button>',
    '      <button type="button" data-lang="en" aria-pressed="false">English</button>',
    '    </nav>',
    ...(signedIn
      ? [
          '    <div id="session" class="session" hidden>',
          '      <span id="session-user"></span>',
          '      <button type="button" id="logout" data-i18n="session.logout">Đăng xuất</button>',
          '    </div>',
        ]
      : []),
    '  </header>',
  ].join('\n')
}

export default defineConfig({
  root,
  plugins: [
    {
      name: 'landbook-page-header',
      transformIndexHtml: (html) => html.replace(/<!-- page-header([^>]*?)-->/g, (_, options: string) => pageHeader(options)),
    },
  ],
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: WEB_OUT_DIR,
    emptyOutDir: true,
    target: 'es2022',
    // The pages run under a CSP without 'unsafe-inline' or data: scripts.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    rollupOptions: {
      input: pages,
      // Leaflet and VectorGrid in one file of their own, kept in the cache across app releases.
      output: { manualChunks: (id) => (/node_modules\/leaflet(\.vectorgrid)?\//.test(id) ? 'leaflet' : undefined) },
    },
  },
})
