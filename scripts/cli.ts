/**
 * What every command-line script shares: the configuration, a logger on stderr, and the
 * database opened exactly as the server opens it (embedded unless DATABASE_URL is set).
 */
import { loadConfig } from '../src/config.js'
import { openDatabase, type Database } from '../src/db/index.js'
import { createLogger } from '../src/logger.js'

export async function withDatabase<T>(work: (db: Database) => Promise<T>): Promise<T> {
  const config = loadConfig()
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn')
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger })
  try {
    return await work(db)
  } finally {
    await db.close()
  }
}

/** Runs a script's main function; a failure prints its message (not a stack) and exits 1. */
export function run(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
      if (process.env.LOG_LEVEL === 'debug' && error instanceof Error) process.stderr.write(`${error.stack}\n`)
      process.exit(1)
    },
  )
}
