import { afterAll, describe, expect, it } from 'vitest'
import { nodedLines, type Segment } from '../../src/imports/parcels/noding.js'
import { testDatabase } from '../helpers/db.js'

const db = testDatabase()
afterAll(() => db.close())

/** ST_Node's lines for the segments, as hex EWKB in its order. */
async function stNode(segments: Segment[]): Promise<string[]> {
  const cols = [0, 1, 2, 3].map((i) => segments.map((s) => s[i]!))
  const { rows } = await db.knex.raw(
    `WITH segments AS (
       SELECT ST_MakeLine(ST_MakePoint(x1, y1), ST_MakePoint(x2, y2)) AS line
       FROM unnest(?::float8[], ?::float8[], ?::float8[], ?::float8[]) AS s(x1, y1, x2, y2)
     )
     SELECT encode(ST_AsEWKB((ST_Dump(ST_Node(ST_Collect(line)))).geom), 'hex') AS line FROM segments`,
    cols,
  )
  return rows.map((r: { line: string }) => r.line)
}

async function replica(segments: Segment[]): Promise<string[]> {
  return db.knex.transaction(async (trx) => {
    const { rows } = await trx.raw(`SELECT encode(ST_AsEWKB((ST_Dump(ST_GeomFromWKB(?))).geom), 'hex') AS line`, [await nodedLines(trx, segments)])
    return rows.map((r: { line: string }) => r.line)
  })
}

const square = (x: number, y: number, s: number): Segment[] => [[x, y, x + s, y], [x + s, y, x + s, y + s], [x + s, y + s, x, y + s], [x, y + s, x, y]]

const LINEWORK: Record<string, Segment[]> = {
  'a closed outline': square(0, 0, 10),
  'an outline with a gap inside': [...square(0, 0, 30), ...square(10, 10, 5)],
  'crossing edges (an overlap)': [...square(0, 0, 10), ...square(5, 5, 10)],
  'a T-junction': [...square(0, 0, 10), [5, 0, 5, -5], [5, -5, 0, -5], [0, -5, 0, 0]],
  'collinear edges overlapping': [[0, 0, 10, 0], [5, 0, 15, 0], [15, 0, 15, 5], [15, 5, 0, 5], [0, 5, 0, 0]],
  'an open chain and a ring touching it': [[0, 0, 4, 0], [4, 0, 8, 1], [8, 1, 12, 0], ...square(4, 0, 2)],
  'metre coordinates of a real zone': square(452345.678, 1548765.432, 12.345).concat(square(452350.001, 1548770.002, 3.21)),
}

describe('noding the unshared linework (the gap check)', () => {
  for (const [name, segments] of Object.entries(LINEWORK)) {
    it(`gives ST_Node's lines in ST_Node's order: ${name}`, async () => {
      expect(await replica(segments)).toEqual(await stNode(segments))
    })
  }
})
