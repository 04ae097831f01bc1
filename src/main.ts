/** Process entry point: `npm start`. Reads the configuration, starts, and stops on SIGINT/SIGTERM. */
import { loadConfig } from './config.js'
import { DataDirInUseError, DatabaseUnavailableError } from './db/index.js'
import { createLogger } from './logger.js'
import { startServer } from './server.js'

const config = loadConfig()
const logger = createLogger(config.logLevel)

try {
  const running = await startServer(config, logger)
  let stopping = false
  const shutdown = async (signal: string) => {
    if (stopping) return
    stopping = true
    logger.info({ signal }, 'shutting down')
    await running.stop()
    logger.info('stopped cleanly')
    process.exit(0)
  }
  process.on('SIGINT', () => void shutdown('SIGINT'))
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
} catch (error) {
  const known = error instanceof DataDirInUseError || error instanceof DatabaseUnavailableError
  logger.fatal(known ? { error: (error as Error).message } : { err: error }, 'Landbook could not start')
  process.exit(1)
}
