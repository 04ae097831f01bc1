export { getHealth, type Health } from './service.js'
export { healthRoutes } from './routes.js'
