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
    [segmentsWkb(segments)],
  )
  return cutAtEnds(rows.map((r: { wkb: Buffer }) => r.wkb), segments)
}

/**
 * Cuts each line at its inner vertices that are an end point of some segment, keeping the
 * pieces in place and in order (noding keeps input vertices exactly, so equality is exact).
 */
function cutAtEnds(lines: Buffer[], segments: Segment[]): Buffer {
  const ends = new Set<string>()
  for (const [x1, y1, x2, y2] of segments) ends.add(`${x1},${y1}`).add(`${x2},${y2}`)
  // Room for every inner vertex being a cut (a piece header and a repeated point each).
  let room = 9
  for (const wkb of lines) room += wkb.length + 25 * Math.max(0, pointCount(wkb) - 2)
  const out = Buffer.allocUnsafe(room)
  let at = 9, pieces = 0
  const piece = (wkb: Buffer, first: number, last: number) => {
    out[at] = 1
    out.writeUInt32LE(2, at + 1)
    out.writeUInt32LE(last - first + 1, at + 5)
    at += 9 + wkb.copy(out, at + 9, 9 + 16 * first, 9 + 16 * (last + 1))
    pieces++
  }
  for (const wkb of lines) {
    const n = pointCount(wkb)
    let start = 0
    for (let k = 1; k < n - 1; k++) {
      if (!ends.has(`${wkb.readDoubleLE(9 + 16 * k)},${wkb.readDoubleLE(17 + 16 * k)}`)) continue
      piece(wkb, start, k)
      start = k
    }
    piece(wkb, start, n - 1)
  }
  writeMultiLineStringHeader(out, pieces)
  return out.subarray(0, at)
}

/** Points of an NDR WKB LineString: byte order (1), type (4), point count (4), then x, y doubles. */
function pointCount(wkb: Buffer): number {
  if (wkb[0] !== 1 || wkb.readUInt32LE(1) !== 2) throw new Error('noding: expected a little-endian WKB LineString')
  return wkb.readUInt32LE(5)
}

/** The segments as one NDR MultiLineString (one query parameter, sent as bytes, not numbers as text). */
function segmentsWkb(segments: Segment[]): Buffer {
  const out = Buffer.allocUnsafe(9 + 41 * segments.length)
  writeMultiLineStringHeader(out, segments.length)
  let at = 9
  for (const [x1, y1, x2, y2] of segments) {
    out[at] = 1
    out.writeUInt32LE(2, at + 1)
    out.writeUInt32LE(2, at + 5)
    out.writeDoubleLE(x1, at + 9)
    out.writeDoubleLE(y1, at + 17)
    out.writeDoubleLE(x2, at + 25)
    out.writeDoubleLE(y2, at + 33)
    at += 41
  }
  return out
}

function writeMultiLineStringHeader(out: Buffer, lines: number): void {
  out[0] = 1
  out.writeUInt32LE(5, 1)
  out.writeUInt32LE(lines, 5)
}
