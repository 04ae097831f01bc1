/**
 * Configuration: every environment variable Landbook reads, validated once at start-up.
 * The README's "Configuration" table documents each of them.
 */
import path from 'node:path'
import { z } from 'zod'
import { uploadLimitsFrom, type UploadLimits } from './imports/upload/limits.js'

const booleanFlag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no'])
  .transform((v) => v === '1' || v === 'true' || v === 'yes')

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.string().url().optional(),
  LANDBOOK_DATA_DIR: z.string().default('./data/pglite'),
  LANDBOOK_DEMO: booleanFlag.default(true),
  LANDBOOK_DEMO_DIR: z.string().default('./fixtures/demo'),
  LANDBOOK_UPLOAD_DIR: z.string().default('./data/uploads'),
  LANDBOOK_SESSION_HOURS: z.coerce.number().positive().max(24 * 365).default(12),
  LANDBOOK_DEMO_PASSWORD: z.string().min(8, 'at least 8 characters').optional(),
  LANDBOOK_BASEMAP_URL: z.string().regex(/^https?:\/\/.*\{z\}.*\{x\}.*\{y\}/, 'a tile URL template with {z}, {x} and {y}').optional(),
  LANDBOOK_BASEMAP_ATTRIBUTION: z.string().default(''),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
})

export interface Config {
  port: number
  host: string
  /** A PostgreSQL + PostGIS server; absent means the embedded database. */
  databaseUrl: string | null
  dataDir: string
  /** Load the demo communes into an empty database on start. */
  loadDemo: boolean
  demoDir: string
  logLevel: z.infer<typeof schema>['LOG_LEVEL']
  /** Where uploads are streamed to disk while they are imported. */
  uploadDir: string
  uploadLimits: UploadLimits
  /** How long a session lives without a request (sliding expiry). */
  sessionTtlMs: number
  /** The one password of every demo user; null: each gets a random one, printed once. */
  demoPassword: string | null
  /** The base map under the web map; null: none (offline offices: boundaries and parcels alone). */
  basemap: { url: string; attribution: string } | null
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')))
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
    throw new Error(`Invalid configuration: ${problems}`)
  }
  const e = parsed.data
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL ?? null,
    dataDir: path.resolve(e.LANDBOOK_DATA_DIR),
    loadDemo: e.LANDBOOK_DEMO,
    demoDir: path.resolve(e.LANDBOOK_DEMO_DIR),
    logLevel: e.LOG_LEVEL,
    uploadDir: path.resolve(e.LANDBOOK_UPLOAD_DIR),
    uploadLimits: uploadLimitsFrom(env),
    sessionTtlMs: Math.round(e.LANDBOOK_SESSION_HOURS * 3_600_000),
    demoPassword: e.LANDBOOK_DEMO_PASSWORD ?? null,
    basemap: e.LANDBOOK_BASEMAP_URL ? { url: e.LANDBOOK_BASEMAP_URL, attribution: e.LANDBOOK_BASEMAP_ATTRIBUTION } : null,
  }
}
