/** The commune-access rule on its own: who sees which commune, and the messages of a refusal. */
import { describe, expect, it } from 'vitest'
import { assertCommuneAccess, assertRole, canSeeAllCommunes, hasCommuneAccess, ROLES, type SessionUser } from '../../src/auth/index.js'
import { Forbidden, Invalid } from '../../src/errors.js'

const user = (role: SessionUser['role'], communes: string[] = []): SessionUser => ({ id: 1, username: 'u', displayName: 'U', role, communes })

describe('commune access', () => {
  it('admin and manager see every commune; the other roles only those assigned', () => {
    expect(ROLES.filter((r) => canSeeAllCommunes({ role: r }))).toEqual(['admin', 'manager'])
    for (const role of ['admin', 'manager'] as const) expect(hasCommuneAccess(user(role), '39999')).toBe(true)
    for (const role of ['gis', 'clerk', 'signer'] as const) {
      expect(hasCommuneAccess(user(role, ['02350']), '02350')).toBe(true)
      expect(hasCommuneAccess(user(role, ['02350']), '02351')).toBe(false)
    }
  })

  it('compares normalised codes (leading zeros lost by a spreadsheet, a trailing .0)', () => {
    const clerk = user('clerk', ['02350'])
    for (const code of ['2350', '2350.0', ' 02350 ']) expect(() => assertCommuneAccess(clerk, code)).not.toThrow()
  })

  it('refuses with Forbidden naming the commune, and a malformed code with Invalid', () => {
    const clerk = user('clerk', ['02350'])
    expect(() => assertCommuneAccess(clerk, '2351')).toThrow(Forbidden)
    expect(() => assertCommuneAccess(clerk, '2351')).toThrow(/^Bạn chưa được phân công xã 02351/)
    expect(() => assertCommuneAccess(clerk, 'abc')).toThrow(Invalid)
  })

  it('names the role and the roles allowed when a role is refused', () => {
    expect(() => assertRole(user('manager'), ['gis', 'admin'])).toThrow(/^Vai trò lãnh đạo, theo dõi \(manager\) không được làm việc này; cần vai trò: cán bộ GIS \(gis\), quản trị hệ thống \(admin\)/)
    expect(() => assertRole(user('gis'), ['gis', 'admin'])).not.toThrow()
  })
})
