/** What the HTTP app is built from: passed in, so tests build an app on their own database. */
import type { AuthSettings } from '../auth/index.js'
import type { Database } from '../db/index.js'
import type { JobQueue, UploadLimits } from '../imports/index.js'
import type { Logger } from '../logger.js'

export interface AppDeps {
  db: Database
  logger: Logger
  imports: { queue: JobQueue; uploadDir: string; limits: UploadLimits }
  /** Session lifetime and sign-in throttling; defaults when absent (12 h, 5 failures per 15 min). */
  auth?: AuthSettings
  /** What the web pages are told (GET /api/config): the base map, when the office has one. */
  web?: { basemap: BaseMap | null }
}

export interface BaseMap {
  /** A Leaflet tile URL template, e.g. https://tiles.example.vn/{z}/{x}/{y}.png */
  url: string
  attribution: string
}
