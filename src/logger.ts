/** Structured logging (pino). Server code logs through this, never console.log. */
import { pino, type DestinationStream, type Logger } from 'pino'

export type { Logger } from 'pino'

/** `destination`: where the JSON lines go (standard output by default; tests read them). */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { app: 'landbook' },
    // Session cookies and CSRF tokens would let a reader of the logs act as the user.
    redact: { paths: ['req.headers.cookie', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'], censor: '[redacted]' },
  }
  return destination ? pino(options, destination) : pino(options)
}
