/**
 * Synthetic province generator: a deterministic Gia Lai-sized cadastral dataset (map sheets
 * of tessellating parcels as shapefiles, attribute records as CSV) with planted
 * discrepancies and their ground truth, for tests, demos and load measurements.
 */
export { generateProvince, DEFAULT_OPTIONS, PROVINCE_CODE, SRID, type GenerateHooks, type ProvinceSummary, type ProgressEvent } from './province.js'
export { CENTRAL_MERIDIAN } from './commune.js'
export { TRUTH_RULE, type CommuneTruth } from './truth.js'
export { RECORDS_HEADERS } from './records-csv.js'
export {
  DISCREPANCY_KINDS,
  type DiscrepancyKind,
  type GeneratorOptions,
  type PlantedDiscrepancy,
  type SyntheticEncoding,
} from './types.js'
