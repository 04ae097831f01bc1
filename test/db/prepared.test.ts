import { afterAll, describe, expect, it } from 'vitest'
import { preparedRows } from '../../src/db/index.js'
import { compileNamed } from '../../src/db/prepared.js'
import { testDatabase } from '../helpers/db.js'

const db = testDatabase()
afterAll(() => db.close())

describe('named prepared statements', () => {
  it('numbers each :name once, leaving casts, string literals and quoted identifiers alone', () => {
    const { text, names } = compileNamed(`SELECT :a, ':b', "x:y", 'it''s :c', x::text, :a::int, CAST(:ids AS bigint[]) WHERE y = :ids`)
    expect(text).toBe(`SELECT $1, ':b', "x:y", 'it''s :c', x::text, $1::int, CAST($2 AS bigint[]) WHERE y = $2`)
    expect(names).toEqual(['a', 'ids'])
  })

  it('runs on the database with its values, inside a transaction on its connection, and refuses a missing value', async () => {
    const sql = `SELECT CAST(:n AS int) + 1 AS next, CAST(:ids AS int[]) AS ids, ':n' AS literal`
    expect(await preparedRows(db.knex, sql, { n: 41, ids: [3, 1] })).toEqual([{ next: 42, ids: [3, 1], literal: ':n' }])
    await db.knex.transaction(async (trx) => {
      await trx.raw('CREATE TEMPORARY TABLE prepared_probe (n int) ON COMMIT DROP')
      await preparedRows(trx, 'INSERT INTO prepared_probe VALUES (:n)', { n: 7 })
      // The temporary table exists only on the transaction's connection.
      expect(await preparedRows(trx, 'SELECT n FROM prepared_probe', {}, { genericPlan: true })).toEqual([{ n: 7 }])
    })
    await expect(preparedRows(db.knex, sql, { n: 1 })).rejects.toThrow(':ids')
  })
})
