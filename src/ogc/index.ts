/**
 * Open standards (chuẩn mở): OGC API – Features for communes, parcels and attribute records
 * under /ogc, and the read-only API tokens GIS programs use. What other concerns may use.
 */
export { ogcRoutes } from './routes.js'
export { requireReader } from './reader.js'
export { createApiToken, listApiTokens, revokeApiToken, findTokenUser, forgetCachedTokens, TOKEN_PREFIX, type ApiTokenView } from './tokens.js'
export { supportedCrs, resolveCrs, CRS84, type OgcCrs } from './crs.js'
