/**
 * Exclusive ownership of an embedded data directory.
 *
 * PGlite has no postmaster to refuse a second process, and two writers would corrupt the
 * files, so the directory is claimed with a lock file holding the owner's pid. A lock left by
 * a process that no longer exists (a crash, a kill -9) is taken over.
 */
import fs from 'node:fs'
import path from 'node:path'

export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `The embedded database in ${dataDir} is already in use by process ${pid}. ` +
        'Stop that Landbook instance first, or set LANDBOOK_DATA_DIR (or DATABASE_URL) to use another database.',
    )
    this.name = 'DataDirInUseError'
  }
}

export function lockFilePath(dataDir: string): string {
  return path.join(path.dirname(path.resolve(dataDir)), `${path.basename(dataDir)}.lock`)
}

/** Claims the directory for this process; returns a function that releases it. */
export function acquireDataDirLock(dataDir: string): () => void {
  const file = lockFilePath(dataDir)
  fs.mkdirSync(path.dirname(file), { recursive: true })
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' })
      return () => {
        if (readOwner(file) === process.pid) fs.rmSync(file, { force: true })
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const owner = readOwner(file)
      if (owner !== null && owner !== process.pid && isAlive(owner)) throw new DataDirInUseError(dataDir, owner)
      fs.rmSync(file, { force: true }) // stale: its owner is gone
    }
  }
  throw new Error(`Could not lock ${dataDir}: the lock file ${file} keeps reappearing`)
}

function readOwner(file: string): number | null {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8'), 10)
    return Number.isFinite(pid) ? pid : null
  } catch {
    return null
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
