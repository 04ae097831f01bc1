/**
 * File formats Landbook writes: ESRI Shapefile (polygon layers with a dBASE III table) and the
 * `.prj`/`.cpg` side files. Readers live with the imports; this concern only writes.
 */
export { ShapefileWriter, type ShapefileWriterOptions, type ShapefileSummary } from './shapefile-writer.js'
export { DbfWriter, type DbfWriterOptions, type DbfSummary } from './dbf-writer.js'
export type { DbfField, DbfFieldType, DbfValue, EncodeText } from './dbf-fields.js'
export { fromGeoJson, signedDoubleArea, type GeoJsonPolygonal, type Polygon, type Ring } from './polygon-rings.js'
export type { BoundingBox } from './shp-records.js'
export { tm3PrjWkt } from './prj.js'
export { codePageFor, type DbfTextEncodingName } from './code-page.js'
