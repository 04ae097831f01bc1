/** What the HTTP app is built from: passed in, so tests build an app on their own database. */
import type { Database } from '../db/index.js'
import type { JobQueue, UploadLimits } from '../imports/index.js'
import type { Logger } from '../logger.js'

export interface AppDeps {
  db: Database
  logger: Logger
  imports: { queue: JobQueue; uploadDir: string; limits: UploadLimits }
}
