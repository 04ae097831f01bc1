export { createApp } from './app.js'
export type { AppDeps } from './deps.js'
