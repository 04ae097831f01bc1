/** The commune a reconciliation request names: its normalised code, or NotFound. */
import type { Knex } from 'knex'
import { normalizeCommuneCode } from '../communes/index.js'
import { NotFound } from '../errors.js'

export async function existingCommune(db: Knex | Knex.Transaction, code: string): Promise<string> {
  const commune = normalizeCommuneCode(code)
  if (!(await db('communes').where({ code: commune }).first('code'))) throw new NotFound(`Không có xã mã ${code} (no commune with this code).`, { field: 'code' })
  return commune
}

/**
 * Decisions hold this lock shared, a matching run (src/matching/engine.ts) holds it exclusively
 * under the same key: decisions never wait for each other, but a run and a decision on the same
 * commune take turns instead of locking matches and parcels rows in opposite orders.
 */
export async function holdOffMatching(trx: Knex.Transaction, communeCode: string): Promise<void> {
  await trx.raw('SELECT pg_advisory_xact_lock_shared(hashtext(?))', [matchingLockKey(communeCode)])
}

/** The advisory lock's key text (hashtext of it); lockParcels (state.ts) takes it too. */
export const matchingLockKey = (communeCode: string) => `landbook.match.${communeCode}`
