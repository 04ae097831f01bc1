export { importParcelShapefile, type ParcelImportOptions, type ParcelImportResult } from './parcel-import.js'
export { loadDemoData } from './demo.js'
