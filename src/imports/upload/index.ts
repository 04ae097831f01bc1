/**
 * Safe intake of uploaded map deliveries (nhận tệp bản đồ tải lên): receiving files over HTTP,
 * extracting zip files without zip-slip or zip bombs, and grouping what arrived into shapefile
 * and GeoJSON datasets.
 */
export { defaultUploadLimits, uploadLimitsFrom, type UploadLimits } from './limits.js'
export { createUploadMiddleware, removeUploadDir, uploadDirOf, UPLOAD_FIELD } from './multer.js'
export { extractZip } from './zip.js'
export { collectDatasets, type CollectedDatasets, type Dataset, type Orphan } from './datasets.js'
export { uploadFormSchema } from './form.js'
