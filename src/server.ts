/**
 * Starting and stopping Landbook as a process: database, migrations, demo data, HTTP.
 * Kept apart from `main.ts` so that the same sequence can be started by tests and scripts.
 */
import type { Server } from 'node:http'
import { createDemoUsers } from './auth/index.js'
import type { Config } from './config.js'
import { migrateToLatest, openDatabase, type Database } from './db/index.js'
import { createApp } from './http/index.js'
import { demoCommuneCodes, JobQueue, loadDemoData, markInterruptedJobs } from './imports/index.js'
import type { Logger } from './logger.js'
import { markInterruptedMatchRuns, matchCommune } from './matching/index.js'

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
    const interruptedRuns = await markInterruptedMatchRuns(db.knex)
    if (interruptedRuns > 0) logger.warn({ interruptedRuns }, 'matching runs left by a stopped process were marked interrupted (nothing of them was applied)')
    if (config.loadDemo) {
      const demo = await loadDemoData(db.knex, config.demoDir, logger)
      if (demo.loaded) {
        // The clerks' queue, the map and the dashboard start from matched communes.
        for (const code of await demoCommuneCodes(db.knex, config.demoDir)) await matchCommune(db.knex, code)
        logger.info(demo, 'demo data loaded into the empty database and matched')
      }
      await ensureDemoUsers(db, config, logger)
    }
  } catch (error) {
    await db.close()
    throw error
  }
  const queue = new JobQueue(logger)
  const app = createApp({ db, logger, imports: { queue, uploadDir: config.uploadDir, limits: config.uploadLimits }, auth: { sessionTtlMs: config.sessionTtlMs }, web: { basemap: config.basemap } })
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

/**
 * One user per role on a database holding the demo communes and no user yet (also a demo
 * database loaded before sign-in existed). Random passwords are logged this once.
 */
async function ensureDemoUsers(db: Database, config: Config, logger: Logger): Promise<void> {
  const communes = await demoCommuneCodes(db.knex, config.demoDir)
  if (communes.length === 0) return
  const users = await createDemoUsers(db.knex, communes, config.demoPassword)
  if (users.length === 0) return
  const list = config.demoPassword
    ? `${users.map((u) => u.username).join(', ')} (password: LANDBOOK_DEMO_PASSWORD)`
    : users.map((u) => `${u.username} / ${u.password}`).join(', ')
  logger.info(
    { users: users.map((u) => ({ username: u.username, role: u.role })), communes },
    `Demo users created, one per role; sign in at /login.html as: ${list}. Random passwords are shown only this once.`,
  )
}
