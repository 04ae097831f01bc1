/**
 * Starts and stops the embedded PostgreSQL (PGlite + PostGIS) in a child process.
 * Callers get a connection URL and use it through `pg`, exactly like a real server.
 */
import { fork } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { EmbeddedMessage } from './process.js'
import { DataDirInUseError } from './lock.js'

export { DataDirInUseError } from './lock.js'

export interface EmbeddedDatabase {
  url: string
  pid: number
  /** Asks the database process to close cleanly and waits for it to exit. */
  stop(): Promise<void>
}

const processEntry = path.join(path.dirname(fileURLToPath(import.meta.url)), 'process.ts')

/** `dataDir` null gives an in-memory database, gone when stopped. */
export async function startEmbeddedDatabase(options: { dataDir: string | null; port?: number }): Promise<EmbeddedDatabase> {
  const child = fork(processEntry, [], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      LANDBOOK_EMBEDDED_DIR: options.dataDir ? path.resolve(options.dataDir) : '',
      LANDBOOK_EMBEDDED_PORT: String(options.port ?? 0),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))

  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message: EmbeddedMessage) => {
      if (message.type === 'ready') return resolve(message.port)
      reject(
        message.inUse && options.dataDir
          ? new DataDirInUseError(options.dataDir, Number(/process (\d+)/.exec(message.message)?.[1] ?? 0))
          : new Error(`The embedded database could not start: ${message.message}`),
      )
    })
    child.once('exit', (code) => reject(new Error(`The embedded database process exited with code ${code} before it was ready`)))
  })

  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    pid: child.pid!,
    async stop() {
      if (child.exitCode === null && child.connected) child.send({ type: 'shutdown' })
      await exited
    },
  }
}
