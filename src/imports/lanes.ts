/**
 * Loading many datasets at once for bulk imports (the CLI): each lane is a worker thread with
 * its own connection, so on a server the JS parsing of one commune runs beside another's, and
 * beside PostgreSQL's work. The embedded database runs one statement at a time, so it gets one
 * lane in this thread. Results are the same jobs, findings and reports as one at a time.
 */
import { Worker } from 'node:worker_threads'
import type { Knex } from 'knex'
import type { FieldMapping } from './fields.js'
import { createParcelJob, datasetSha256, runParcelJob, type JobRow } from './jobs.js'
import type { Dataset } from './upload/index.js'

export interface LaneOptions {
  communeCode?: string
  mapping?: FieldMapping
  onStart?: (dataset: Dataset, job: JobRow) => void
  onProgress?: (dataset: Dataset, done: number, total: number | null) => void
  onDone?: (dataset: Dataset, job: JobRow) => void
}

/** Creates and runs one job per dataset; returns the finished jobs in dataset order. */
export async function loadDatasets(
  db: { kind: 'embedded' | 'server'; knex: Knex; url?: string },
  datasets: Dataset[],
  lanes: number,
  options: LaneOptions,
): Promise<JobRow[]> {
  const results: JobRow[] = []
  const queue = datasets.map((dataset, index) => ({ dataset, index }))
  if (db.kind === 'embedded' || lanes <= 1 || !db.url) {
    for (const { dataset, index } of queue) results[index] = await loadInThisThread(db.knex, dataset, options)
    return results
  }
  const workers = Array.from({ length: Math.min(lanes, datasets.length) }, () => new Worker(new URL('./lane-worker-entry.mjs', import.meta.url), { workerData: { databaseUrl: db.url } }))
  try {
    await Promise.all(
      workers.map(async (worker) => {
        for (let next = queue.shift(); next; next = queue.shift()) results[next.index] = await loadInWorker(worker, next.dataset, options)
      }),
    )
  } finally {
    await Promise.all(workers.map((w) => w.terminate()))
  }
  return results
}

async function loadInThisThread(knex: Knex, dataset: Dataset, options: LaneOptions): Promise<JobRow> {
  const job = await createParcelJob(knex, { sourceName: dataset.name, sha256: await datasetSha256(dataset), communeCode: options.communeCode })
  options.onStart?.(dataset, job)
  const done = await runParcelJob(knex, job.id, dataset, {
    communeCode: options.communeCode,
    mapping: options.mapping,
    onProgress: (n, total) => options.onProgress?.(dataset, n, total),
  })
  options.onDone?.(dataset, done)
  return done
}

export type LaneMessage =
  | { type: 'started'; job: JobRow }
  | { type: 'progress'; done: number; total: number | null }
  | { type: 'done'; job: JobRow }
  | { type: 'failed'; message: string }

function loadInWorker(worker: Worker, dataset: Dataset, options: LaneOptions): Promise<JobRow> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: LaneMessage) => {
      if (message.type === 'started') options.onStart?.(dataset, message.job)
      else if (message.type === 'progress') options.onProgress?.(dataset, message.done, message.total)
      else {
        worker.off('message', onMessage)
        worker.off('error', reject)
        if (message.type === 'failed') return reject(new Error(message.message))
        options.onDone?.(dataset, message.job)
        resolve(message.job)
      }
    }
    worker.on('message', onMessage)
    worker.once('error', reject)
    worker.postMessage({ dataset, communeCode: options.communeCode, mapping: options.mapping })
  })
}
