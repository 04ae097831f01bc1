import { afterAll, describe, expect, it } from 'vitest'
import { BinaryCopyWriter, copyBinary } from '../../src/imports/binary-copy.js'
import { testDatabase } from '../helpers/db.js'

const db = testDatabase()
afterAll(() => db.close())

// Numbers as they come out of DBF fields: scale rounding (half away from zero), tiny and huge magnitudes.
const NUMBERS = [0, -0, 1, -1, 12.5, 1694.3, 0.005, 0.015, -0.005, -12.345, 99.995, 2.675, 1e-7, 1.5e-7, 123456789012.34, 999999999999.99, 10000, 0.0001, 123.0001, 1e21, 1.2345e25, -4.5e-10, 7 / 3]

describe('binary COPY writer', () => {
  it('stores every value as the text format would', async () => {
    await db.knex.transaction(async (trx) => {
      await trx.raw('CREATE TEMP TABLE copy_check (k int, n numeric(14,2), free numeric, f float8, i bigint, t text, a text[], j jsonb) ON COMMIT DROP')
      const writer = new BinaryCopyWriter()
      NUMBERS.forEach((v, k) => {
        writer.row(8)
        writer.int4(k)
        writer.numeric(Math.abs(v) < 1e12 ? v : null)
        writer.numeric(v)
        writer.float8(v)
        writer.int8(Number.isInteger(v) && Math.abs(v) < 2 ** 53 ? v : -(2 ** 40) - k)
        writer.text(k % 2 ? 'Nguyễn Văn "A"\t\\ \n' : '')
        writer.textArray(k % 3 ? ['ONT', 'CLN', 'Đất ở'] : [])
        writer.jsonb({ k, text: 'Thửa\u00a0số', nested: [1, null, 'x'] })
      })
      async function* chunks() {
        yield* writer.finish()
      }
      await copyBinary(trx, 'copy_check', ['k', 'n', 'free', 'f', 'i', 't', 'a', 'j'], chunks())
      const { rows } = await trx.raw('SELECT k, n::text, free::text, f, i::text, t, a, j FROM copy_check ORDER BY k')
      expect(rows).toHaveLength(NUMBERS.length)
      for (const row of rows) {
        const v = NUMBERS[row.k]!
        const { rows: [expected] } = await trx.raw('SELECT ?::numeric(14,2)::text AS n, ?::numeric::text AS free', [String(Math.abs(v) < 1e12 ? v : 0), String(v)])
        expect(row.n, `numeric(14,2) of ${v}`).toBe(Math.abs(v) < 1e12 ? expected.n : null)
        expect(row.free, `numeric of ${v}`).toBe(expected.free)
        expect(row.f).toBe(v)
        expect(row.i).toBe(String(Number.isInteger(v) && Math.abs(v) < 2 ** 53 ? v : -(2 ** 40) - row.k))
        expect(row.t).toBe(row.k % 2 ? 'Nguyễn Văn "A"\t\\ \n' : '')
        expect(row.a).toEqual(row.k % 3 ? ['ONT', 'CLN', 'Đất ở'] : [])
        expect(row.j).toEqual({ k: row.k, text: 'Thửa\u00a0số', nested: [1, null, 'x'] })
      }
    })
  })
})
