/**
 * What a decision on a signed parcel means for its signature (chữ ký số). A decision on a
 * parcel whose entry is signed (status signed or synced) changes the signed content, so the
 * parcel goes back to needs_review (see state.ts `nextStatus`) and must be signed again; its
 * valid `parcel_signatures` rows are marked superseded here, inside the decision's transaction
 * (src/signing/supersede.ts).
 */
import type { Knex } from 'knex'
import { supersedeSignatures } from '../signing/index.js'

export async function signedParcelsChanged(trx: Knex.Transaction, communeCode: string, parcelIds: number[]): Promise<void> {
  await supersedeSignatures(trx, communeCode, parcelIds)
}
