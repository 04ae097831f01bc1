/**
 * The built web pages for the tests that serve them: `npm test` builds them first (pretest);
 * a run started another way (`npx vitest run test/web`) builds them here when `dist/web` is
 * missing or older than a file under `web/`.
 */
import fs from 'node:fs'
import path from 'node:path'
import { build } from 'vite'

const webDir = path.resolve('web')
const builtPage = path.resolve('dist/web/index.html')

function newestSource(dir: string): number {
  let newest = 0
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestSource(file) : fs.statSync(file).mtimeMs)
  }
  return newest
}

export async function buildWebIfStale(): Promise<void> {
  if (fs.existsSync(builtPage) && fs.statSync(builtPage).mtimeMs >= newestSource(webDir)) return
  await build({ configFile: path.join(webDir, 'vite.config.ts') })
}
