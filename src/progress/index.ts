/** Progress (tiến độ): per-commune figures, their downloads and map, and progress over time. */
export { progressRoutes } from './routes.js'
export { provinceProgress, progressGeojson, type ProvinceProgress, type ProgressScope } from './service.js'
export { progressTimeline, TIMELINE_TIME_ZONE, type Timeline, type TimelineDay } from './timeline.js'
export { progressCsv, writeProgressXlsx, type ExportLanguage } from './export.js'
export { readCounters, foldDeltas, countFromTables, countAttachedParcels, type CounterRow } from './counters.js'
export { countsByCommune, figuresOf, totalsOf, type CommuneProgress, type ProgressFigures } from './figures.js'
