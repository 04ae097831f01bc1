/**
 * Who may touch which commune (phân công xã): the rule itself, without Express, so services
 * that learn a commune late (an import reading it from the file) apply the same check.
 */
import { normalizeCommuneCode } from '../communes/index.js'
import { Forbidden } from '../errors.js'
import type { Role, SessionUser } from './types.js'

/** Vietnamese names of the roles, for messages (English in parentheses after them). */
export const ROLE_NAMES: Record<Role, string> = {
  admin: 'quản trị hệ thống (admin)',
  gis: 'cán bộ GIS (gis)',
  clerk: 'cán bộ đối soát (clerk)',
  signer: 'người ký số (signer)',
  manager: 'lãnh đạo, theo dõi (manager)',
}

/** admin and manager see every commune; the other roles only the communes assigned to them. */
export function canSeeAllCommunes(user: Pick<SessionUser, 'role'>): boolean {
  return user.role === 'admin' || user.role === 'manager'
}

export function hasCommuneAccess(user: SessionUser, communeCode: string): boolean {
  return canSeeAllCommunes(user) || user.communes.includes(normalizeCommuneCode(communeCode))
}

/** Throws Forbidden unless the user may work on the commune (a malformed code is Invalid). */
export function assertCommuneAccess(user: SessionUser, communeCode: string): void {
  if (hasCommuneAccess(user, communeCode)) return
  const code = normalizeCommuneCode(communeCode)
  throw new Forbidden(`Bạn chưa được phân công xã ${code}; hãy liên hệ quản trị viên (commune ${code} is not assigned to you).`, { field: 'commune' })
}

/** Throws Forbidden unless the user's role is one of `roles`. */
export function assertRole(user: SessionUser, roles: readonly Role[]): void {
  if (roles.includes(user.role)) return
  throw new Forbidden(
    `Vai trò ${ROLE_NAMES[user.role]} không được làm việc này; cần vai trò: ${roles.map((r) => ROLE_NAMES[r]).join(', ')} (your role may not do this).`,
    {},
    { role: user.role, allowedRoles: roles },
  )
}
