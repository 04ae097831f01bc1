import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DataDirInUseError, startEmbeddedDatabase, type EmbeddedDatabase } from '../../src/db/embedded/index.js'
import { lockFilePath } from '../../src/db/embedded/lock.js'

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'landbook-embedded-'))
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }))

describe('embedded database (PGlite + PostGIS in a child process)', () => {
  let db: EmbeddedDatabase
  let pool: pg.Pool
  beforeAll(async () => {
    db = await startEmbeddedDatabase({ dataDir })
    pool = new pg.Pool({ connectionString: db.url, max: 4 })
    await pool.query('CREATE EXTENSION IF NOT EXISTS postgis')
    await pool.query('CREATE TABLE notes (id int PRIMARY KEY, body text)')
  })
  afterAll(async () => {
    await pool?.end()
    await db?.stop()
  })

  it('refuses a second instance on the same data directory with a clear message', async () => {
    const attempt = startEmbeddedDatabase({ dataDir })
    await expect(attempt).rejects.toBeInstanceOf(DataDirInUseError)
    await expect(attempt).rejects.toThrow(/already in use by process \d+/)
  })

  it('serves concurrent extended-protocol queries from several connections, each its own answer', async () => {
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => pool.query('SELECT $1::int * 2 AS v, $2::text AS s', [i, `thửa ${i}`])))
    results.forEach((r, i) => expect(r.rows[0]).toEqual({ v: i * 2, s: `thửa ${i}` }))
  })

  it('keeps another connection out of an open transaction', async () => {
    const a = await pool.connect()
    const b = await pool.connect()
    try {
      await a.query('BEGIN')
      await a.query(`INSERT INTO notes VALUES (1, 'uncommitted')`)
      const seenByB = b.query('SELECT count(*)::int AS n FROM notes')
      await new Promise((r) => setTimeout(r, 50))
      await a.query('ROLLBACK')
      expect((await seenByB).rows[0].n).toBe(0)
    } finally {
      a.release()
      b.release()
    }
  })

  it('gives each connection its own prepared statement names, and forgets them when it closes', async () => {
    const clients = [new pg.Client(db.url), new pg.Client(db.url)]
    await Promise.all(clients.map((c) => c.connect()))
    // The same name with different texts on two connections, as two server sessions allow.
    const [a, b] = await Promise.all(clients.map((c, i) => c.query({ name: 'lb_same', text: `SELECT $1::int + ${i} AS v`, values: [10] })))
    expect([a!.rows[0].v, b!.rows[0].v]).toEqual([10, 11])
    expect((await clients[0]!.query({ name: 'lb_same', text: 'SELECT $1::int + 0 AS v', values: [20] })).rows[0].v).toBe(20)
    const prepared = async () => (await pool.query(`SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name LIKE '%lb_same'`)).rows[0].n
    expect(await prepared()).toBe(2)
    await Promise.all(clients.map((c) => c.end()))
    await expect.poll(prepared).toBe(0)
  })

  it('stays in step after errors inside extended-protocol queries', async () => {
    for (let i = 0; i < 3; i++) await expect(pool.query('SELECT 1 / $1::int', [0])).rejects.toThrow(/division by zero/)
    expect((await pool.query('SELECT $1::int + 1 AS v', [41])).rows[0].v).toBe(42)
  })

  it('accepts COPY FROM STDIN, and a bad COPY fails with the row error and loads nothing', async () => {
    const client = await pool.connect()
    try {
      const rows = Array.from({ length: 5000 }, (_, i) => `${i + 10}\tNguyễn Văn ${i}\n`)
      await pipeline(Readable.from(rows), client.query(copyFrom('COPY notes (id, body) FROM STDIN')))
      expect((await client.query('SELECT count(*)::int AS n FROM notes')).rows[0].n).toBe(5000)
      const bad = pipeline(Readable.from(['1\tok\n', 'x\tbad\n']), client.query(copyFrom('COPY notes (id, body) FROM STDIN')))
      await expect(bad).rejects.toThrow(/invalid input syntax for type integer/)
      expect((await client.query('SELECT count(*)::int AS n FROM notes')).rows[0].n).toBe(5000)
    } finally {
      client.release()
    }
  })

  it('closes cleanly on stop, keeps the data, and opens it again', async () => {
    await pool.end()
    await db.stop()
    expect(fs.existsSync(lockFilePath(dataDir))).toBe(false)
    db = await startEmbeddedDatabase({ dataDir })
    pool = new pg.Pool({ connectionString: db.url, max: 2 })
    expect((await pool.query('SELECT count(*)::int AS n FROM notes')).rows[0].n).toBe(5000)
    expect((await pool.query('SELECT ST_Area(ST_GeomFromText($1)) AS a', ['POLYGON((0 0,10 0,10 10,0 10,0 0))'])).rows[0].a).toBe(100)
  })

  it('takes over a lock left by a process that no longer exists', async () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'landbook-stale-'))
    fs.writeFileSync(lockFilePath(other), '999999999')
    const second = await startEmbeddedDatabase({ dataDir: other })
    try {
      expect(fs.readFileSync(lockFilePath(other), 'utf8')).toBe(String(second.pid))
    } finally {
      await second.stop()
      fs.rmSync(other, { recursive: true, force: true })
    }
  })
})
