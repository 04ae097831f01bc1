/** Vector tiles (bản đồ nền thửa đất): parcels by status and category, commune boundaries. */
export { tileRoutes, MVT_CONTENT_TYPE } from './routes.js'
export { renderTile, tileEncoder, type TileEncoder } from './service.js'
export { tileAt, tileCoord, PARCELS_MIN_ZOOM, MAX_ZOOM, TILE_EXTENT, type TileCoord } from './coordinates.js'
export { communesUnder, MVT_SQL, tileBindings, storedSrids, type TileScope } from './sql.js'
