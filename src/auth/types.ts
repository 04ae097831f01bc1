/**
 * Who is asking (người dùng): the signed-in user as the HTTP layer and services see it.
 * Roles are fixed capabilities; communes are assigned per user. `admin` and `manager` see
 * every commune; the others only the communes assigned to them.
 */
export const ROLES = ['admin', 'gis', 'clerk', 'signer', 'manager'] as const
export type Role = (typeof ROLES)[number]

export interface SessionUser {
  id: number
  username: string
  displayName: string
  role: Role
  /** Commune codes assigned to the user (empty for admin and manager, who see all). */
  communes: string[]
}

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by the authenticate middleware when the request carries a valid session. */
    user?: SessionUser
  }
}
