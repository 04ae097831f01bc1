/** Bulk loading with COPY FROM STDIN (pg-copy-streams) in PostgreSQL's text format. */
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { Knex } from 'knex'
import { from as copyFrom } from 'pg-copy-streams'

export type CopyValue = string | number | boolean | null | undefined | string[] | Record<string, unknown>

/** Escapes one value for COPY text format; arrays become PostgreSQL array literals, objects JSON. */
export function copyField(value: CopyValue): string {
  if (value === null || value === undefined) return '\\N'
  if (typeof value === 'number') return String(value)
  let text: string
  if (Array.isArray(value)) text = `{${value.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`
  else if (typeof value === 'object') text = JSON.stringify(value)
  else text = String(value)
  return NEEDS_ESCAPE.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : text
}

const NEEDS_ESCAPE = /[\\\t\n\r]/

/**
 * Streams rows into `table (columns)` on the transaction's own connection, so the COPY is part
 * of the caller's transaction. Rows are grouped into large chunks to keep the stream cheap.
 */
export async function copyRows(trx: Knex.Transaction, table: string, columns: string[], rows: AsyncIterable<CopyValue[]> | Iterable<CopyValue[]>): Promise<number> {
  const connection = await trx.client.acquireConnection()
  try {
    let count = 0
    async function* lines() {
      let chunk = ''
      for await (const row of rows) {
        chunk += row.map(copyField).join('\t') + '\n'
        count++
        if (chunk.length > 1 << 20) {
          yield chunk
          chunk = ''
        }
      }
      if (chunk) yield chunk
    }
    const columnList = columns.map((c) => `"${c}"`).join(', ')
    await pipeline(Readable.from(lines()), connection.query(copyFrom(`COPY ${table} (${columnList}) FROM STDIN`)))
    return count
  } finally {
    await trx.client.releaseConnection(connection)
  }
}
