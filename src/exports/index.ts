/**
 * Exports (xuất dữ liệu): a commune's parcels, attribute records and discrepancy report in the
 * formats GIS tools and spreadsheets open directly. What other concerns (and scripts) use.
 */
export { exportRoutes } from './routes.js'
export { prepareExport, type PreparedExport } from './service.js'
export { parseExportRequest, exportFileName, FORMATS, SUBJECTS, type ExportRequest, type ExportFormat, type ExportSubject } from './options.js'
export { countParcels } from './source.js'
