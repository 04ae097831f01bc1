/**
 * PostgreSQL wire-protocol server in front of one PGlite instance (the embedded database).
 *
 * PGlite is a single backend session. Several clients (the app's pool, a CLI, psql) may connect,
 * so this server gives one client at a time exclusive use of the session for a whole
 * protocol "unit": an extended-query sequence up to its Sync, a simple Query, and a whole
 * transaction (the session stays with its owner until ReadyForQuery says idle again).
 * pglite-socket's own multiplexer interleaves single messages, which breaks extended-query
 * sequences (Parse/Bind/Execute of two clients mixed) — hence this server.
 *
 * Named prepared statements belong to a connection on a real server, but PGlite has one session
 * for all clients: the names in Parse, Bind, Describe and Close are given a per-connection prefix
 * here (two pool connections may prepare the same name), and a closed connection's statements
 * are deallocated.
 *
 * PGlite does not speak COPY FROM STDIN over the wire, so that sub-protocol is emulated here:
 * the CopyData is collected and handed to PGlite's own `COPY ... FROM '/dev/blob'`. That keeps
 * one code path (pg + pg-copy-streams) for bulk loads on both databases.
 */
import net from 'node:net'
import type { PGlite } from '@electric-sql/pglite'

const SSL_REQUEST = 80877103
const CANCEL_REQUEST = 80877102
const GSS_REQUEST = 80877104
const COPY_FROM_STDIN = /^\s*COPY\b[\s\S]*?\bFROM\s+STDIN\b/i

/** A FIFO mutex over the PGlite session. */
class SessionLock {
  private owner: Connection | null = null
  private waiters: Array<{ conn: Connection; resolve: () => void }> = []

  async acquire(conn: Connection): Promise<void> {
    if (this.owner === conn) return
    if (this.owner === null) {
      this.owner = conn
      return
    }
    await new Promise<void>((resolve) => this.waiters.push({ conn, resolve }))
  }

  release(conn: Connection): void {
    if (this.owner !== conn) return
    const next = this.waiters.shift()
    this.owner = next ? next.conn : null
    next?.resolve()
  }

  isOwner(conn: Connection): boolean {
    return this.owner === conn
  }

  forget(conn: Connection): void {
    this.waiters = this.waiters.filter((w) => w.conn !== conn)
  }
}

export class WireServer {
  private readonly server: net.Server
  private readonly lock = new SessionLock()
  private readonly connections = new Set<Connection>()

  constructor(private readonly db: PGlite) {
    this.server = net.createServer((socket) => {
      const conn = new Connection(socket, db, this.lock)
      this.connections.add(conn)
      socket.on('close', () => this.connections.delete(conn))
    })
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject)
      this.server.listen(port, host, () => {
        const address = this.server.address()
        resolve(typeof address === 'object' && address ? address.port : port)
      })
    })
  }

  /** Stops accepting, closes client sockets once their current unit of work is done. */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
    await Promise.all([...this.connections].map((c) => c.close()))
  }
}

let connections = 0

class Connection {
  private readonly statementPrefix = `c${++connections}_`
  /** Named statements this connection prepared (by their name in the session). */
  private readonly statements = new Set<string>()
  private buffer: Buffer = Buffer.alloc(0)
  private started = false
  private chain: Promise<void> = Promise.resolve()
  private copy: { sql: string; chunks: Buffer[] } | null = null
  private closed = false
  private skipUntilSync = false

  constructor(
    private readonly socket: net.Socket,
    private readonly db: PGlite,
    private readonly lock: SessionLock,
  ) {
    socket.setNoDelay(true)
    socket.on('data', (data) => this.onData(data))
    socket.on('close', () => {
      this.closed = true
      this.enqueue(() => this.cleanUp())
    })
    socket.on('error', () => socket.destroy())
  }

  async close(): Promise<void> {
    await this.chain
    this.socket.destroy()
  }

  private onData(data: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, data]) : data
    for (;;) {
      const next = this.nextMessage()
      if (!next) break
      this.enqueue(() => this.handle(next.type, next.message))
    }
  }

  /** Splits the next complete protocol message off the buffer (startup messages have no type byte). */
  private nextMessage(): { type: number; message: Buffer } | null {
    const headerLength = this.started ? 5 : 4
    if (this.buffer.length < headerLength) return null
    const type = this.started ? this.buffer.readUInt8(0) : 0
    const length = this.started ? 1 + this.buffer.readInt32BE(1) : this.buffer.readInt32BE(0)
    if (this.buffer.length < length) return null
    const message = this.buffer.subarray(0, length)
    this.buffer = this.buffer.subarray(length)
    if (!this.started) {
      const code = message.readInt32BE(4)
      if (code !== SSL_REQUEST && code !== GSS_REQUEST && code !== CANCEL_REQUEST) this.started = true
    }
    return { type, message: Buffer.from(message) }
  }

  private enqueue(work: () => Promise<void>): void {
    this.chain = this.chain.then(work).catch(() => {
      this.socket.destroy()
    })
  }

  /** `type` is 0 for the untyped startup-phase messages. */
  private async handle(type: number, message: Buffer): Promise<void> {
    if (this.closed) return
    if (type === 0) {
      const code = message.readInt32BE(4)
      if (code === SSL_REQUEST || code === GSS_REQUEST) {
        this.socket.write('N')
        return
      }
      if (code === CANCEL_REQUEST) {
        this.socket.destroy() // PGlite cannot cancel a running statement
        return
      }
    }
    if (type === 0x58 /* X: Terminate */) {
      this.socket.end()
      return
    }
    await this.lock.acquire(this)
    if (this.copy) return this.handleCopy(type, message)
    if (type === 0x51 /* Q */) {
      const sql = message.subarray(5, message.length - 1).toString('utf8')
      if (COPY_FROM_STDIN.test(sql)) {
        this.copy = { sql: sql.replace(/\bFROM\s+STDIN\b/i, "FROM '/dev/blob'"), chunks: [] }
        this.socket.write(copyInResponse())
        return
      }
    }
    const isSync = type === 0x53 /* S */
    if (this.skipUntilSync && !isSync) return
    message = this.renameStatement(type, message)
    this.skipUntilSync = false
    // PGlite answers an error inside an extended-query sequence with ErrorResponse *and*
    // ReadyForQuery at once, then again at Sync; a real server sends ReadyForQuery only at
    // Sync and ignores the messages in between. Emulate that so clients stay in step.
    const extended = type !== 0 && !isSync && type !== 0x51 /* Q */
    const output = new OutputFilter(extended, (data) => {
      if (!this.closed) this.socket.write(data)
    })
    await this.db.runExclusive(() =>
      this.db.execProtocolRawStream(new Uint8Array(message), { onRawData: (data: Uint8Array) => output.push(Buffer.from(data)) }),
    )
    if (extended && output.sawError) this.skipUntilSync = true
    // Keep the session until the end of the unit: a Sync/Query that leaves no open transaction.
    const endsUnit = type === 0 || isSync || type === 0x51
    if (endsUnit && !this.db.isInTransaction()) this.lock.release(this)
  }

  private async handleCopy(type: number, message: Buffer): Promise<void> {
    const copy = this.copy!
    if (type === 0x64 /* d: CopyData */) {
      copy.chunks.push(message.subarray(5))
      return
    }
    if (type === 0x48 /* H: Flush */ || type === 0x53 /* S: Sync */) return
    this.copy = null
    if (type === 0x63 /* c: CopyDone */) {
      try {
        const result = await this.db.query(copy.sql, [], { blob: new Blob(copy.chunks.map((c) => new Uint8Array(c))) })
        this.socket.write(Buffer.concat([commandComplete(`COPY ${result.affectedRows ?? 0}`), this.readyForQuery(false)]))
      } catch (error) {
        this.socket.write(Buffer.concat([errorResponse(error), this.readyForQuery(true)]))
      }
    } else {
      // CopyFail (f) or a protocol violation: the copy is abandoned with an error, as PostgreSQL does.
      const reason = type === 0x66 ? message.subarray(5, message.length - 1).toString('utf8') : 'unexpected message during COPY'
      this.socket.write(Buffer.concat([errorResponse({ code: '57014', message: `COPY from stdin failed: ${reason}` }), this.readyForQuery(true)]))
    }
    if (!this.db.isInTransaction()) this.lock.release(this)
  }

  /**
   * Parse, Bind, Describe and Close name a prepared statement: a non-empty name gets this
   * connection's prefix, so each connection has its own names as on a real server.
   */
  private renameStatement(type: number, message: Buffer): Buffer {
    let at: number // where the statement name starts
    if (type === 0x50 /* P: Parse */) at = 5
    else if (type === 0x42 /* B: Bind */) at = message.indexOf(0, 5) + 1 // after the portal name
    else if ((type === 0x44 /* D: Describe */ || type === 0x43 /* C: Close */) && message[5] === 0x53 /* 'S' */) at = 6
    else return message
    const end = message.indexOf(0, at)
    if (end === at) return message // the unnamed statement
    const name = this.statementPrefix + message.subarray(at, end).toString('utf8')
    if (type === 0x50) this.statements.add(name)
    if (type === 0x43) this.statements.delete(name)
    const renamed = Buffer.concat([message.subarray(0, at), Buffer.from(name, 'utf8'), message.subarray(end)])
    renamed.writeInt32BE(renamed.length - 1, 1)
    return renamed
  }

  private readyForQuery(failed: boolean): Buffer {
    const status = this.db.isInTransaction() ? (failed ? 'E' : 'T') : 'I'
    return Buffer.from([0x5a, 0, 0, 0, 5, status.charCodeAt(0)])
  }

  /**
   * A client that vanished mid-unit must not leave the session half-used for the next one, nor
   * its prepared statements behind.
   */
  private async cleanUp(): Promise<void> {
    this.lock.forget(this)
    if (this.lock.isOwner(this)) {
      this.copy = null
      try {
        await this.db.runExclusive(() => this.db.execProtocolRaw(new Uint8Array([0x53, 0, 0, 0, 4])))
        if (this.db.isInTransaction()) await this.db.exec('ROLLBACK')
      } finally {
        this.lock.release(this)
      }
    }
    if (this.statements.size === 0) return
    await this.lock.acquire(this)
    try {
      for (const name of this.statements) await this.db.exec(`DEALLOCATE "${name.replaceAll('"', '""')}"`)
    } finally {
      this.statements.clear()
      this.lock.release(this)
    }
  }
}

/**
 * Passes backend messages through, splitting the stream at message boundaries so that, when
 * asked, ReadyForQuery ('Z') messages are dropped; notes whether an ErrorResponse went by.
 */
class OutputFilter {
  sawError = false
  private header: Buffer = Buffer.alloc(0)
  private remaining = 0
  private dropping = false

  constructor(
    private readonly dropReadyForQuery: boolean,
    private readonly write: (data: Buffer) => void,
  ) {}

  push(chunk: Buffer): void {
    let offset = 0
    while (offset < chunk.length) {
      if (this.remaining > 0) {
        const n = Math.min(this.remaining, chunk.length - offset)
        if (!this.dropping) this.write(chunk.subarray(offset, offset + n))
        offset += n
        this.remaining -= n
        continue
      }
      const need = 5 - this.header.length
      this.header = Buffer.concat([this.header, chunk.subarray(offset, offset + need)])
      offset += Math.min(need, chunk.length - offset)
      if (this.header.length < 5) return
      const type = this.header[0]
      this.remaining = this.header.readInt32BE(1) - 4
      if (type === 0x45 /* E */) this.sawError = true
      this.dropping = this.dropReadyForQuery && type === 0x5a /* Z */
      if (!this.dropping) this.write(this.header)
      this.header = Buffer.alloc(0)
    }
  }
}

function copyInResponse(): Buffer {
  // 'G', length 7, text format, zero columns announced (clients send rows as they are).
  return Buffer.from([0x47, 0, 0, 0, 7, 0, 0, 0])
}

function commandComplete(tag: string): Buffer {
  const body = Buffer.from(`${tag}\0`, 'utf8')
  const header = Buffer.alloc(5)
  header[0] = 0x43
  header.writeInt32BE(4 + body.length, 1)
  return Buffer.concat([header, body])
}

function errorResponse(error: unknown): Buffer {
  const e = error as { code?: string; message?: string; detail?: string; severity?: string }
  const fields: Array<[string, string | undefined]> = [
    ['S', e.severity ?? 'ERROR'],
    ['V', e.severity ?? 'ERROR'],
    ['C', e.code ?? 'XX000'],
    ['M', e.message ?? String(error)],
    ['D', e.detail],
  ]
  const parts = fields.filter(([, v]) => v).map(([k, v]) => Buffer.from(`${k}${v}\0`, 'utf8'))
  const body = Buffer.concat([...parts, Buffer.from([0])])
  const header = Buffer.alloc(5)
  header[0] = 0x45
  header.writeInt32BE(4 + body.length, 1)
  return Buffer.concat([header, body])
}
