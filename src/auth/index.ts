/**
 * Sign-in and access (đăng nhập, phân quyền): users and roles, sessions, CSRF, sign-in
 * throttling, and the guards every route uses. What other concerns may use.
 */
export { ROLES, type Role, type SessionUser } from './types.js'
export { authenticate, requireUser, requireRole, requireCommuneAccess, DEFAULT_SESSION_TTL_MS, SESSION_COOKIE, CSRF_HEADER, type AuthSettings } from './middleware.js'
export { assertCommuneAccess, assertRole, canSeeAllCommunes, hasCommuneAccess, ROLE_NAMES } from './access.js'
export { authRoutes } from './routes.js'
export { createUser, listUsers, getUser, updateUser, setUserCommunes, checkCredentials, normalizeUsername, type UserView, type NewUser, type UserChanges } from './users.js'
export { hashPassword, verifyPassword, generatePassword, MIN_PASSWORD_LENGTH } from './passwords.js'
export { createSession, findSession, endSession, endUserSessions } from './sessions.js'
export { createDemoUsers, type DemoUser } from './demo-users.js'
export { LoginThrottle, DEFAULT_THROTTLE, type ThrottleSettings } from './login-throttle.js'
