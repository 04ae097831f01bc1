/**
 * A decision on a signed parcel supersedes its signature (chữ ký bị thay thế): called by the
 * reconciliation decision inside its own transaction (src/reconcile/signing-hook.ts), which
 * also sends the parcel back to needs_review; the parcel is signed again in a new batch.
 */
import type { Knex } from 'knex'

/** Marks the parcels' valid signatures superseded; returns how many were. */
export async function supersedeSignatures(trx: Knex.Transaction, communeCode: string, parcelIds: number[]): Promise<number> {
  if (parcelIds.length === 0) return 0
  const { rowCount } = await trx.raw(
    `UPDATE parcel_signatures SET state = 'superseded', superseded_at = now()
     WHERE commune_code = ? AND parcel_id = ANY(?::bigint[]) AND state = 'valid'`,
    [communeCode, parcelIds],
  )
  return rowCount ?? 0
}
