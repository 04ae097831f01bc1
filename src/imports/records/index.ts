/**
 * Attribute-record imports (nhập hồ sơ địa chính): CSV and XLSX register exports loaded into
 * `attribute_records` through the import jobs shared with parcels. What other concerns use.
 */
export { recordsImportRoutes } from './routes.js'
export { createRecordsJob, fileSha256, runRecordsJob, type RecordsJobOptions } from './jobs.js'
export { chosenCommune, collectRecordFiles, startRecordsImport, type StartedRecordsImport } from './service.js'
export { loadRecordSource, type RecordsLoadOptions, type RecordsLoadResult } from './load.js'
export { openRecordSource, type RecordSource, type RecordsFile } from './source.js'
export { RECORD_FIELDS, RECORD_FIELD_NAMES, foldHeader, resolveRecordColumns, type RecordField, type RecordsMapping } from './headers.js'
export { normalizeCommuneText, normalizeKeyNumber, recordKey } from './keys.js'
export { landUseCodes, normalizeSerial, readArea, splitOwners } from './values.js'
