/**
 * The background runner of import jobs: one at a time (the machine has two cores, and one
 * load already keeps both busy: parsing here, COPY in PostgreSQL).
 */
import type { Logger } from '../logger.js'

export class JobQueue {
  private tail: Promise<void> = Promise.resolve()
  private pending = 0

  constructor(private readonly logger?: Logger) {}

  enqueue(name: string, work: () => Promise<unknown>): void {
    this.pending++
    this.tail = this.tail
      .then(async () => {
        await work()
      })
      .catch((error) => this.logger?.error({ err: error, job: name }, 'import job crashed'))
      .finally(() => {
        this.pending--
      })
  }

  /** Resolves when every job queued so far has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.pending > 0) await this.tail
  }
}
