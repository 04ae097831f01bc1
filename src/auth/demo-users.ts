/**
 * Demo accounts: one user per role on a demo database, so a first start can be tried in
 * every role. gis, clerk and signer get the demo communes.
 */
import type { Knex } from 'knex'
import { generatePassword } from './passwords.js'
import type { Role } from './types.js'
import { createUser } from './users.js'

const DEMO_USERS: Array<{ username: string; role: Role; displayName: string }> = [
  { username: 'admin', role: 'admin', displayName: 'Quản trị hệ thống (demo)' },
  { username: 'gis', role: 'gis', displayName: 'Cán bộ GIS (demo)' },
  { username: 'clerk', role: 'clerk', displayName: 'Cán bộ đối soát (demo)' },
  { username: 'signer', role: 'signer', displayName: 'Người ký số (demo)' },
  { username: 'manager', role: 'manager', displayName: 'Lãnh đạo (demo)' },
]

export interface DemoUser {
  username: string
  role: Role
  password: string
}

/**
 * Creates the demo users when the database has no user at all; `password` for all of them,
 * else a random one each. Returns who was created (empty when users existed already).
 */
export async function createDemoUsers(knex: Knex, communes: string[], password: string | null): Promise<DemoUser[]> {
  const { n } = (await knex('users').count<{ n: number }>({ n: '*' }).first()) ?? { n: 0 }
  if (Number(n) > 0) return []
  const created: DemoUser[] = []
  for (const demo of DEMO_USERS) {
    const assigned = demo.role === 'admin' || demo.role === 'manager' ? [] : communes
    const chosen = password ?? generatePassword()
    await createUser(knex, { ...demo, password: chosen, communes: assigned })
    created.push({ username: demo.username, role: demo.role, password: chosen })
  }
  return created
}
