// The bundled build of Leaflet.VectorGrid is imported for what it adds to `L` (typed by
// @types/leaflet.vectorgrid); the file itself exports nothing.
declare module 'leaflet.vectorgrid/dist/Leaflet.VectorGrid.bundled.js' {}
