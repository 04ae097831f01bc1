/**
 * Starting and stopping Landbook as a process: database, migrations, demo data, HTTP.
 * Kept apart from `main.ts` so that the same sequence can be started by tests and scripts.
 */
import type { Server } from 'node:http'
import type { Config } from './config.js'
import { migrateToLatest, openDatabase, type Database } from './db/index.js'
import { createApp } from './http/index.js'
import { JobQueue, loadDemoData, markInterruptedJobs } from './imports/index.js'
import type { Logger } from './logger.js'

export interface RunningServer {
  db: Database
  server: Server
  url: string
  stop(): Promise<void>
}

export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger })
  try {
    const applied = await migrateToLatest(db.knex)
    if (applied.length > 0) logger.info({ applied }, 'database migrated')
    const interrupted = await markInterruptedJobs(db.knex)
    if (interrupted > 0) logger.warn({ interrupted }, 'import jobs left by a stopped process were marked interrupted (nothing of them was applied)')
    if (config.loadDemo) {
      const demo = await loadDemoData(db.knex, config.demoDir, logger)
      if (demo.loaded) logger.info(demo, 'demo data loaded into the empty database')
    }
  } catch (error) {
    await db.close()
    throw error
  }
  const queue = new JobQueue(logger)
  const app = createApp({ db, logger, imports: { queue, uploadDir: config.uploadDir, limits: config.uploadLimits } })
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.port, config.host, () => resolve(s))
    s.once('error', reject)
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : config.port
  const url = `http://localhost:${port}`
  logger.info({ url, database: db.kind }, `Landbook is ready at ${url}`)
  return {
    db,
    server,
    url,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeAllConnections()
      await queue.idle()
      await db.close()
    },
  }
}
