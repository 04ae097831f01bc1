/** Matching (đối chiếu): map parcels against attribute records, per commune. */
export { matchCommune, categoryCounts, type MatchOptions, type MatchRunResult } from './engine.js'
export { requestMatchRun, runMatchRun, getMatchRun, listMatchRuns, markInterruptedMatchRuns, type MatchRunRow, type MatchRunState } from './jobs.js'
export { DEFAULT_TOLERANCE_RULE, type ToleranceRule } from './tolerance.js'
export { listMatches, matchSummary, CATEGORIES } from './service.js'
export { matchingRoutes } from './routes.js'
