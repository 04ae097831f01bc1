/**
 * `npm run user:add` as a process against the test database: creates the user through the
 * same service (so the new user signs in over HTTP), generates a password when none is given,
 * and fails with a readable message. Communes 39020–39021 belong to this file.
 */
import { spawn } from 'node:child_process'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { upsertCommunes } from '../../src/communes/index.js'
import { createApp } from '../../src/http/index.js'
import { silentLogger, testImports } from '../helpers/app.js'
import { uniqueUsername } from '../helpers/auth.js'
import { testDatabase } from '../helpers/db.js'

const db = testDatabase()
const app = createApp({ db, logger: silentLogger, imports: testImports() })

beforeAll(async () => {
  await upsertCommunes(db.knex, ['39020', '39021'].map((code) => ({ code, name: `Xã thử dòng lệnh ${code}`, provinceCode: '64', srid: 9218 })))
})
afterAll(() => db.close())

function userAdd(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/user-add.ts', ...args], {
      env: { ...process.env, DATABASE_URL: inject('databaseUrl'), LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('exit', (code) => resolve({ code, stdout, stderr }))
  })
}

describe('npm run user:add', () => {
  it('creates a user with communes and a generated password, printed once, that signs in', async () => {
    const username = uniqueUsername('cli-gis')
    const run = await userAdd(['--username', username, '--role', 'gis', '--communes', '39020, 39021', '--display-name', 'Trần Văn Bình'])
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toContain(`User ${username} (gis) created`)
    expect(run.stdout).toContain('communes 39020, 39021')
    const password = /Password: (\S+)/.exec(run.stdout)?.[1]
    expect(password).toBeTruthy()
    const res = await request(app).post('/api/auth/login').send({ username, password }).expect(200)
    expect(res.body.user).toMatchObject({ role: 'gis', displayName: 'Trần Văn Bình', communes: ['39020', '39021'] })
  })

  it('uses the password given, and does not print it', async () => {
    const username = uniqueUsername('cli-admin')
    const run = await userAdd(['--username', username, '--role', 'admin', '--password', 'mat-khau-quan-tri'])
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).not.toContain('mat-khau-quan-tri')
    await request(app).post('/api/auth/login').send({ username, password: 'mat-khau-quan-tri' }).expect(200)
  })

  it('fails with a readable message for an unknown role, an unregistered commune, or a username in use', async () => {
    const badRole = await userAdd(['--username', uniqueUsername('x'), '--role', 'boss'])
    expect(badRole.code).not.toBe(0)
    expect(badRole.stderr).toContain('boss')
    const badCommune = await userAdd(['--username', uniqueUsername('x'), '--role', 'clerk', '--communes', '39029'])
    expect(badCommune.code).toBe(1)
    expect(badCommune.stderr).toContain('39029')
    expect(badCommune.stderr).not.toMatch(/at .*\.ts:\d+/) // a message, not a stack
    const username = uniqueUsername('cli-dup')
    expect((await userAdd(['--username', username, '--role', 'clerk', '--password', 'mat-khau-thu'])).code).toBe(0)
    const again = await userAdd(['--username', username, '--role', 'clerk', '--password', 'mat-khau-thu'])
    expect(again.code).toBe(1)
    expect(again.stderr).toContain('đã có người dùng')
  })
})
