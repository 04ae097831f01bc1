/** Structured logging (pino). Server code logs through this, never console.log. */
import { pino, type Logger } from 'pino'

export type { Logger } from 'pino'

export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { app: 'landbook' } })
}
