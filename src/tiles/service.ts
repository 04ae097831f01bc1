/**
 * Vector tiles of parcels (thửa đất) and commune boundaries (ranh giới xã): one statement per
 * tile, encoded by PostGIS where it can (ST_AsMVT) and by Node otherwise. Which of the two is
 * decided once per database; the list of stored srids is kept for a short while, as every tile
 * needs it and it changes only when a commune or a map sheet in a new zone arrives.
 */
import type { Knex } from 'knex'
import { PARCELS_MIN_ZOOM, type TileCoord } from './coordinates.js'
import { encodeTile } from './encoder.js'
import { communesUnder, FEATURES_SQL, hasStAsMvt, MVT_SQL, storedSrids, tileBindings, type FeatureRow, type TileScope } from './sql.js'

export type TileEncoder = 'postgis' | 'node'

/** How long the srid list is reused: a sheet in a new zone shows on tiles within this time. */
const SRID_TTL_MS = 30_000

const encoders = new WeakMap<Knex, Promise<TileEncoder>>()
const sridLists = new WeakMap<Knex, { at: number; srids: Promise<number[]> }>()

/** 'postgis' when the database has ST_AsMVT, else 'node'; asked once per database handle. */
export function tileEncoder(knex: Knex): Promise<TileEncoder> {
  let encoder = encoders.get(knex)
  if (!encoder) {
    encoder = hasStAsMvt(knex).then((yes): TileEncoder => (yes ? 'postgis' : 'node'))
    encoder.catch(() => encoders.delete(knex)) // a failed probe (database unreachable) is tried again
    encoders.set(knex, encoder)
  }
  return encoder
}

function sridsOf(knex: Knex): Promise<number[]> {
  const cached = sridLists.get(knex)
  if (cached && Date.now() - cached.at < SRID_TTL_MS) return cached.srids
  const srids = storedSrids(knex)
  srids.catch(() => sridLists.delete(knex))
  sridLists.set(knex, { at: Date.now(), srids })
  return srids
}

/** The tile's protobuf (layers `parcels` from zoom 13, `communes` below), or null when it is empty. */
export async function renderTile(knex: Knex, coord: TileCoord, scope: TileScope): Promise<Buffer | null> {
  const [encoder, srids] = await Promise.all([tileEncoder(knex), sridsOf(knex)])
  if (coord.z >= PARCELS_MIN_ZOOM) {
    // Parcels only: the communes they may come from, named, so only their partitions are read.
    const communes = await communesUnder(knex, coord, scope)
    if (communes.length === 0) return null
    scope = { communes }
  }
  const bindings = tileBindings(coord, scope, srids)
  if (encoder === 'postgis') {
    const { rows } = await knex.raw<{ rows: Array<{ mvt: Buffer }> }>(MVT_SQL, bindings)
    const mvt = rows[0]!.mvt
    return mvt.length > 0 ? mvt : null
  }
  const { rows } = await knex.raw<{ rows: FeatureRow[] }>(FEATURES_SQL, bindings)
  return encodeTile(coord, rows)
}
