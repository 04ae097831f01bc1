/**
 * Public surface of coordinate reference systems for imports (hệ tọa độ): reading a file's
 * declared CRS, checking it against the coordinates, and reprojecting. Other modules import
 * only from here.
 */
export type { CrsDatum, CrsKind, CrsWarning, DeclaredCrs } from './declared.js'
export { parsePrj } from './prj.js'
export { parseCrsName, crsNameFromGeojson } from './crs-name.js'
export { fitsCrs, guessFromCoordinates, describeCoordinates, VIETNAM_RANGES, type Bbox, type CoordinateGuess } from './coordinates.js'
export { resolveCrs, type CrsSource, type ResolveCrsInput, type ResolvedCrs } from './resolve.js'
export { createTransformer, type Transformer } from './transform.js'
export { VN2000_ZONES, WGS84_ZONES, DEPRECATED_TM3, crsLabel, loadCrsZones, meridianLabel, type CrsZone, type ZoneKind } from './zones.js'
