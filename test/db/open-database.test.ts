import net from 'node:net'
import { describe, expect, it } from 'vitest'
import { DatabaseUnavailableError, openDatabase, redact } from '../../src/db/index.js'

/** A loopback port nobody listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as net.AddressInfo).port
  await new Promise((resolve) => server.close(resolve))
  return port
}

describe('opening the database named by DATABASE_URL', () => {
  it('fails with a clear message, password hidden, when the server cannot be reached', async () => {
    const url = `postgresql://landbook:s3cret@127.0.0.1:${await closedPort()}/landbook`
    const attempt = openDatabase({ databaseUrl: url, dataDir: null })
    await expect(attempt).rejects.toBeInstanceOf(DatabaseUnavailableError)
    await expect(attempt).rejects.toThrow(/Cannot reach the PostgreSQL server at postgresql:\/\/landbook:\*\*\*@127\.0\.0\.1/)
    await expect(attempt).rejects.not.toThrow(/s3cret/)
  })

  it('redacts passwords from URLs it logs', () => {
    expect(redact('postgresql://u:pw@h:5432/d')).toBe('postgresql://u:***@h:5432/d')
    expect(redact('postgresql://u@h/d')).toBe('postgresql://u@h/d')
  })
})
