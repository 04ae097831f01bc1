/**
 * First start as a new user gets it: `npm start` on an empty data directory migrates, loads
 * the demo communes and creates one demo user per role, serves the API, and stops cleanly on
 * Ctrl-C (SIGINT); the next start finds the data and loads neither again.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import request from 'supertest'
import { afterAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../src/config.js'
import { lockFilePath } from '../src/db/embedded/lock.js'
import { startServer } from '../src/server.js'
import { silentLogger } from './helpers/app.js'

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'landbook-start-'))
const env = {
  LANDBOOK_DATA_DIR: path.join(home, 'pglite'),
  LANDBOOK_UPLOAD_DIR: path.join(home, 'uploads'),
  LANDBOOK_DEMO_DIR: path.resolve('fixtures/demo'),
  PORT: '0',
  HOST: '127.0.0.1',
  LANDBOOK_DEMO_PASSWORD: 'mat-khau-demo-thu',
}
const demo = JSON.parse(fs.readFileSync('fixtures/demo/manifest.json', 'utf8'))
afterAll(() => fs.rmSync(home, { recursive: true, force: true }))

describe('npm start on the embedded database', () => {
  it('starts on an empty data directory, loads the demo, serves, and stops cleanly on SIGINT', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, ...env, DATABASE_URL: '', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (d) => (output += d))
    child.stderr.on('data', (d) => (output += d))
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        const match = /Landbook is ready at (http:\/\/\S+?)"/.exec(output)
        if (match) {
          clearInterval(timer)
          resolve(match[1]!)
        }
      }, 200)
      child.once('exit', (code) => reject(new Error(`exited with ${code} before ready:\n${output}`)))
    })
    expect(output).toContain('using the embedded database')
    const health = await (await fetch(`${url}/api/health`)).json()
    expect(health.database).toMatchObject({ kind: 'embedded', migrations: { pending: [] } })
    expect(output).toContain('Demo users created, one per role; sign in at /login.html as: admin, gis, clerk, signer, manager (password: LANDBOOK_DEMO_PASSWORD)')
    expect(output).not.toContain(env.LANDBOOK_DEMO_PASSWORD)
    expect((await fetch(`${url}/api/communes`)).status).toBe(401)
    const login = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'clerk', password: env.LANDBOOK_DEMO_PASSWORD }),
    })
    expect(login.status).toBe(200)
    expect((await login.json()).user.communes).toHaveLength(demo.counts.communes)
    const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!
    const { communes } = await (await fetch(`${url}/api/communes`, { headers: { cookie } })).json()
    expect(communes).toHaveLength(demo.counts.communes)
    expect(communes.reduce((n: number, c: { parcels: number }) => n + c.parcels, 0)).toBe(demo.counts.parcels)
    expect((await fetch(`${url}/`)).headers.get('content-type')).toContain('text/html')

    const exitCode = await new Promise<number | null>((resolve) => {
      child.once('exit', (code) => resolve(code))
      child.kill('SIGINT')
    })
    expect(exitCode, output).toBe(0)
    expect(output).toContain('stopped cleanly')
    expect(fs.existsSync(lockFilePath(env.LANDBOOK_DATA_DIR))).toBe(false)
  })

  it('opens the same data again without loading the demo twice', async () => {
    const running = await startServer(loadConfig({ ...env }), silentLogger)
    try {
      // One parcel job and one records job per demo commune, from the first start only.
      const { rows: jobs } = await running.db.knex.raw<{ rows: Array<{ kind: string; n: number }> }>('SELECT kind, count(*)::int AS n FROM import_jobs GROUP BY kind ORDER BY kind')
      expect(jobs.map((j) => [j.kind, j.n])).toEqual([['parcels', demo.counts.communes], ['records', demo.counts.communes]])
      expect(Number((await running.db.knex('match_runs').count({ n: '*' }))[0]!.n)).toBe(demo.counts.communes)
      expect(await running.db.knex('users').orderBy('username').pluck('username')).toEqual(['admin', 'clerk', 'gis', 'manager', 'signer'])
      const manager = request.agent(running.server)
      await manager.post('/api/auth/login').send({ username: 'manager', password: env.LANDBOOK_DEMO_PASSWORD }).expect(200)
      const res = await manager.get('/api/communes').expect(200)
      expect(res.body.communes.map((c: { parcels: number }) => c.parcels).reduce((a: number, b: number) => a + b, 0)).toBe(demo.counts.parcels)
    } finally {
      await running.stop()
    }
  })
})
