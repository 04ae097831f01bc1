/**
 * Noding the unshared linework for the gap check, as ST_Node does, in less time. ST_Node
 * (liblwgeom's lwgeom_node) unions the lines (which nodes and dissolves them), merges them
 * through two-way nodes, then cuts the merged lines again at every end point of the input;
 * that last step compares every end point with every line and was two thirds of the gap check.
 * Here PostGIS does the union and the merge, and the cutting is a set lookup per vertex: the
 * same lines in the same order (so the same faces, vertex for vertex).
 */
import type { Knex } from 'knex'

export type Segment = [number, number, number, number]

/** The segments noded and dissolved, as one WKB MultiLineString of ST_Node's lines in its order. */
export async function nodedLines(trx: Knex.Transaction, segments: Segment[]): Promise<Buffer> {
  const { rows } = await trx.raw(
    `SELECT ST_AsBinary(d.geom, 'NDR') AS wkb FROM ST_Dump(ST_LineMerge(ST_UnaryUnion(ST_GeomFromWKB(?)))) d
     ORDER BY coalesce(d.path[1], 1)`,
    [multiLineString(segments.map(segmentWkb))],
  )
  return multiLineString(cutAtEnds(rows.map((r: { wkb: Buffer }) => r.wkb), segments))
}

/**
 * Cuts each line at its inner vertices that are an end point of some segment, keeping the
 * pieces in place and in order (noding keeps input vertices exactly, so equality is exact).
 */
function cutAtEnds(lines: Buffer[], segments: Segment[]): Buffer[] {
  const ends = new Set<string>()
  for (const [x1, y1, x2, y2] of segments) ends.add(`${x1},${y1}`).add(`${x2},${y2}`)
  const pieces: Buffer[] = []
  for (const wkb of lines) {
    // NDR LineString: byte order (1), type (4), point count (4), then x, y doubles.
    if (wkb[0] !== 1 || wkb.readUInt32LE(1) !== 2) throw new Error('noding: expected a little-endian WKB LineString')
    const n = wkb.readUInt32LE(5)
    let start = 0
    for (let k = 1; k < n - 1; k++) {
      if (!ends.has(`${wkb.readDoubleLE(9 + 16 * k)},${wkb.readDoubleLE(17 + 16 * k)}`)) continue
      pieces.push(lineOf(wkb, start, k))
      start = k
    }
    pieces.push(lineOf(wkb, start, n - 1))
  }
  return pieces
}

/** Points first..last of an NDR LineString, as a LineString of their own. */
function lineOf(wkb: Buffer, first: number, last: number): Buffer {
  const piece = Buffer.allocUnsafe(9 + 16 * (last - first + 1))
  wkb.copy(piece, 0, 0, 5)
  piece.writeUInt32LE(last - first + 1, 5)
  wkb.copy(piece, 9, 9 + 16 * first, 9 + 16 * (last + 1))
  return piece
}

function segmentWkb([x1, y1, x2, y2]: Segment): Buffer {
  const wkb = Buffer.allocUnsafe(41)
  wkb[0] = 1
  wkb.writeUInt32LE(2, 1)
  wkb.writeUInt32LE(2, 5)
  wkb.writeDoubleLE(x1, 9)
  wkb.writeDoubleLE(y1, 17)
  wkb.writeDoubleLE(x2, 25)
  wkb.writeDoubleLE(y2, 33)
  return wkb
}

/** LineStrings as one NDR MultiLineString (one query parameter, sent as bytes, not numbers as text). */
function multiLineString(lines: Buffer[]): Buffer {
  const head = Buffer.allocUnsafe(9)
  head[0] = 1
  head.writeUInt32LE(5, 1)
  head.writeUInt32LE(lines.length, 5)
  return Buffer.concat([head, ...lines])
}
