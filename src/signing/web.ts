/**
 * What the signer page (web/sign.html) needs from the server: pkijs and its dependencies served
 * as plain ES modules from node_modules under /vendor (there is no bundler), and the page itself
 * with a Content-Security-Policy that allows its one inline script, the import map naming
 * those modules (by its SHA-256; every other inline script stays refused).
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import express, { Router } from 'express'

const require = createRequire(import.meta.url)
const webRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web')
const pkijsDir = path.dirname(require.resolve('pkijs/package.json'))

/** A package's folder: nested under pkijs when npm put it there, else beside it. */
function packageDir(name: string): string {
  const nested = path.join(pkijsDir, 'node_modules', name)
  return fs.existsSync(nested) ? nested : path.join(path.dirname(pkijsDir), name)
}

/** URL prefix → folder of ES modules. */
export const VENDOR_MODULES: Record<string, string> = {
  '/vendor/pkijs': path.join(pkijsDir, 'build'),
  '/vendor/asn1js': path.join(packageDir('asn1js'), 'build'),
  '/vendor/pvtsutils': path.join(packageDir('pvtsutils'), 'build'),
  '/vendor/pvutils': path.join(packageDir('pvutils'), 'build'),
  '/vendor/bytestreamjs': path.join(packageDir('bytestreamjs'), 'build', 'mjs'),
  '/vendor/noble-hashes': path.join(packageDir('@noble/hashes'), 'esm'),
}

const IMPORT_MAP = /<script type="importmap">([\s\S]*?)<\/script>/

export function signerPageRoutes(): Router {
  const router = Router()
  for (const [prefix, dir] of Object.entries(VENDOR_MODULES)) router.use(prefix, express.static(dir, { index: false, fallthrough: false }))
  router.get('/sign.html', (_req, res) => {
    const html = fs.readFileSync(path.join(webRoot, 'sign.html'), 'utf8')
    const map = IMPORT_MAP.exec(html)?.[1] ?? ''
    const hash = createHash('sha256').update(map, 'utf8').digest('base64')
    const csp = String(res.getHeader('content-security-policy') ?? "script-src 'self'")
    res.setHeader('content-security-policy', csp.replace(/script-src 'self'/, `script-src 'self' 'sha256-${hash}'`))
    res.type('html').send(html)
  })
  return router
}
