/**
 * Sign-in rate limiting: after `maxFailures` wrong passwords for one username from one address
 * within `windowMs`, that pair is refused (429, Retry-After) until the oldest failure ages
 * out. Kept in the process's memory: Landbook runs as one process, and a restart forgetting
 * the count costs an attacker a restart they cannot cause.
 */
import { TooManyRequests } from '../errors.js'

export interface ThrottleSettings {
  maxFailures: number
  windowMs: number
}

export const DEFAULT_THROTTLE: ThrottleSettings = { maxFailures: 5, windowMs: 15 * 60_000 }
const MAX_KEYS = 50_000

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>()

  constructor(private readonly settings: ThrottleSettings = DEFAULT_THROTTLE) {}

  static key(username: string, address: string | undefined): string {
    return `${username.trim().toLowerCase()}\u0000${address ?? ''}`
  }

  /** Throws TooManyRequests while the key has used up its failures. */
  check(key: string, now = Date.now()): void {
    const recent = this.recent(key, now)
    if (recent.length < this.settings.maxFailures) return
    const seconds = Math.max(1, Math.ceil((recent[0]! + this.settings.windowMs - now) / 1000))
    const minutes = Math.ceil(seconds / 60)
    throw new TooManyRequests(
      `Đăng nhập sai quá ${this.settings.maxFailures} lần; hãy thử lại sau ${minutes} phút hoặc nhờ quản trị viên đặt lại mật khẩu (too many failed sign-ins; try again in ${minutes} min).`,
      seconds,
    )
  }

  fail(key: string, now = Date.now()): void {
    if (this.failures.size >= MAX_KEYS) this.prune(now)
    const recent = [...this.recent(key, now), now]
    this.failures.delete(key) // re-inserted last: the map stays in order of last failure
    this.failures.set(key, recent)
  }

  succeed(key: string): void {
    this.failures.delete(key)
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((t) => t > now - this.settings.windowMs)
  }

  private prune(now: number): void {
    for (const key of this.failures.keys()) if (this.recent(key, now).length === 0) this.failures.delete(key)
    // Still full (a flood of addresses): the keys touched longest ago go first.
    for (const key of [...this.failures.keys()].slice(0, this.failures.size - MAX_KEYS + MAX_KEYS / 10)) this.failures.delete(key)
  }
}
