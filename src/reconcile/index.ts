/**
 * Reconciliation (đối soát): the clerks' work queue, parcel and record detail, decisions with
 * optimistic locking, bulk accept, and the append-only hash-chained audit trail. What other
 * concerns and the scripts may use.
 */
export { reconcileRoutes } from './routes.js'
export { listQueue, QUEUE_SORTS, queuePageJson, type QueueFilter, type QueuePage, type QueueSort } from './queue.js'
export { parcelDetail, recordDetail } from './detail.js'
export { decide, type Actor, type DecisionResult, type EventView } from './decisions.js'
export { bulkAccept, type BulkAcceptResult } from './bulk.js'
export { listAudit, verifyAudit } from './audit.js'
export { verifyChain, eventHash, canonicalJson, GENESIS_HASH, type ChainReport } from './chain.js'
export { decisionInput, bulkAcceptInput, DECISION_KINDS, type DecisionInput, type DecisionKind } from './input.js'
export { foldName } from './fold.js'
export { refreshQueueFor } from './queue-table.js'
