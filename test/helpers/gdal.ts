/**
 * GDAL as a real client in tests: whether its command-line tools are installed, and running
 * them asynchronously (the app under test serves from this same process, so a synchronous
 * child would block it). Tests that need GDAL skip with a message when it is missing.
 */
import { execFile, execFileSync } from 'node:child_process'
import { promisify } from 'node:util'

const run = promisify(execFile)

export const gdalAvailable = (() => {
  try {
    execFileSync('ogrinfo', ['--version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()

export const GDAL_MISSING = 'GDAL (ogrinfo/ogr2ogr) is not installed: apt-get install gdal-bin to run these tests'

/** Runs a GDAL tool; stdout, or throws with its stderr. */
export async function gdal(tool: 'ogrinfo' | 'ogr2ogr', args: string[], env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await run(tool, args, { env: { ...process.env, CPL_DEBUG: 'OFF', ...env }, maxBuffer: 1 << 26, timeout: 120_000 })
  return stdout
}

/** "Feature Count: 253" of an `ogrinfo -so` report. */
export function featureCount(report: string): number {
  const match = /Feature Count: (-?\d+)/.exec(report)
  if (!match) throw new Error(`no feature count in:\n${report}`)
  return Number(match[1])
}

/** Field names of an `ogrinfo -so` report ("NAME: String (0.0)" lines after the layer header). */
export function fieldNames(report: string): string[] {
  return [...report.matchAll(/^(\w+): (?:String|Integer|Integer64|Real|Date|DateTime)\b/gm)].map((m) => m[1]!)
}
