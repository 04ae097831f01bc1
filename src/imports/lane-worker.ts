/** A lane of `loadDatasets`: runs the import jobs it is handed, on its own connection. */
import { parentPort, workerData } from 'node:worker_threads'
import { createKnex } from '../db/index.js'
import { createParcelJob, datasetSha256, runParcelJob } from './jobs.js'
import type { LaneMessage } from './lanes.js'
import type { Dataset } from './upload/index.js'
import type { FieldMapping } from './fields.js'

const knex = createKnex((workerData as { databaseUrl: string }).databaseUrl, { poolMax: 2 })
const send = (message: LaneMessage) => parentPort!.postMessage(message)

parentPort!.on('message', async (task: { dataset: Dataset; communeCode?: string; mapping?: FieldMapping }) => {
  try {
    const job = await createParcelJob(knex, { sourceName: task.dataset.name, sha256: await datasetSha256(task.dataset), communeCode: task.communeCode })
    send({ type: 'started', job })
    const done = await runParcelJob(knex, job.id, task.dataset, {
      communeCode: task.communeCode,
      mapping: task.mapping,
      onProgress: (n, total) => send({ type: 'progress', done: n, total }),
    })
    send({ type: 'done', job: done })
  } catch (error) {
    send({ type: 'failed', message: error instanceof Error ? error.message : String(error) })
  }
})
