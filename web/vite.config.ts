/**
 * The web pages' build: every `web/*.html` is an entry of a multi-page Vite build whose output,
 * `dist/web`, is what the app serves (src/http/app.ts). Scripts and styles become hashed files
 * under `/assets`; Leaflet, Leaflet.VectorGrid and pkijs are bundled from their npm packages.
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

export default defineConfig({
  root,
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
