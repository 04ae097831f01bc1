import os from 'node:os'
import path from 'node:path'
import { JobQueue, uploadLimitsFrom } from '../../src/imports/index.js'
import { createLogger } from '../../src/logger.js'

export const silentLogger = createLogger('silent')

export function testImports() {
  return { queue: new JobQueue(silentLogger), uploadDir: path.join(os.tmpdir(), 'landbook-test-uploads'), limits: uploadLimitsFrom({}) }
}
