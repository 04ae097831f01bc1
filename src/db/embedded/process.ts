/**
 * Entry point of the embedded database's own process (PGlite + PostGIS behind a wire server).
 *
 * It runs in a child process so that PostgreSQL's work (WASM, single-threaded) never blocks
 * the HTTP server's event loop. The parent talks to it over IPC: it answers `ready` with the
 * port, and shuts down cleanly on `shutdown`, SIGINT, SIGTERM or when the parent disappears.
 */
import { PGlite } from '@electric-sql/pglite'
import { postgis } from '@electric-sql/pglite-postgis'
import { acquireDataDirLock, DataDirInUseError } from './lock.js'
import { WireServer } from './wire-server.js'

export type EmbeddedMessage =
  | { type: 'ready'; port: number }
  | { type: 'failed'; message: string; inUse: boolean }

const dataDir = process.env.LANDBOOK_EMBEDDED_DIR
const send = (message: EmbeddedMessage) => process.send?.(message)

async function main(): Promise<void> {
  let release: (() => void) | null = null
  let db: PGlite | null = null
  let server: WireServer | null = null
  let stopping: Promise<void> | null = null

  const stop = () =>
    (stopping ??= (async () => {
      // Let the statement in flight finish, then close PGlite so its files are consistent.
      await server?.close().catch(() => undefined)
      await db?.close().catch(() => undefined)
      release?.()
      process.exit(0)
    })())

  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
  process.on('disconnect', stop)
  process.on('message', (message: { type?: string }) => {
    if (message?.type === 'shutdown') void stop()
  })

  try {
    if (dataDir) release = acquireDataDirLock(dataDir)
    // No data dir: an in-memory database (tests).
    db = await PGlite.create(dataDir ? { dataDir, extensions: { postgis } } : { extensions: { postgis } })
    server = new WireServer(db)
    const port = await server.listen(Number(process.env.LANDBOOK_EMBEDDED_PORT ?? 0), '127.0.0.1')
    send({ type: 'ready', port })
  } catch (error) {
    release?.()
    send({
      type: 'failed',
      message: error instanceof Error ? error.message : String(error),
      inUse: error instanceof DataDirInUseError,
    })
    process.exit(1)
  }
}

void main()
