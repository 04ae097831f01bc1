/**
 * Pending signatures written with COPY FROM STDIN (text format) on the transaction's own
 * connection: thousands of rows with their entry text and proof in one stream, as the style
 * asks for bulk writes. (The same small escaping as src/imports/copy.ts, which is that
 * concern's own.)
 */
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { Knex } from 'knex'
import { from as copyFrom } from 'pg-copy-streams'

const escape = (text: string) => text.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'))
const field = (v: string | number | null) => (v === null ? '\\N' : typeof v === 'number' ? String(v) : escape(v))

export async function copyInto(trx: Knex.Transaction, table: string, columns: string[], rows: Array<Array<string | number | null>>): Promise<void> {
  const connection = await trx.client.acquireConnection()
  try {
    function* chunks() {
      let chunk = ''
      for (const row of rows) {
        chunk += `${row.map(field).join('\t')}\n`
        if (chunk.length > 1 << 20) {
          yield chunk
          chunk = ''
        }
      }
      if (chunk) yield chunk
    }
    await pipeline(Readable.from(chunks()), connection.query(copyFrom(`COPY ${table} (${columns.map((c) => `"${c}"`).join(', ')}) FROM STDIN`)))
  } finally {
    await trx.client.releaseConnection(connection)
  }
}
