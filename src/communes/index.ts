export { listCommunes, getCommune, upsertCommunes, normalizeCommuneCode, type CommuneInput, type CommuneSummary } from './service.js'
export { communeRoutes } from './routes.js'
export { readCommunesCsv } from './csv.js'
