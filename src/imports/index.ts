/** Imports (nhập dữ liệu): parcel map layers now; attribute records join later. */
export { importRoutes } from './routes.js'
export { JobQueue } from './queue.js'
export { createParcelJob, datasetSha256, getJob, markInterruptedJobs, runParcelJob, type JobRow } from './jobs.js'
export { startParcelImport } from './service.js'
export { loadDemoData } from './demo.js'
export { uploadLimitsFrom, collectDatasets, type Dataset, type UploadLimits } from './upload/index.js'
export { shapefileSetAt } from './sources/shapefile-source.js'
export { loadDatasets } from './lanes.js'
