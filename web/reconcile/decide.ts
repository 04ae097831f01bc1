// Sending a clerk's decision on a parcel (quyết định đối soát): accept, correct, link, unlink,
// relink, flag, reopen, each with the parcel version the clerk saw. A 409 means someone else
// changed the parcel first: the caller shows it and reloads the current state.
import { ApiError, sendJson } from '../api.js'
import type { AuditEvent, Parcel, User } from '../types.js'

/** A decision as the API takes it (`kind`, `version` and the fields of that kind). */
export interface Decision {
  kind: string
  version?: number
  [field: string]: unknown
}

export interface DecisionResult {
  parcel: Pick<Parcel, 'id' | 'status' | 'version'>
  event: AuditEvent
}

/** Who may decide (the others read only). */
export const mayDecide = (user: User | null): boolean => user?.role === 'clerk' || user?.role === 'admin'

/** POSTs `{ kind, version, ... }`. */
export function decide(commune: string, parcelId: number, decision: Decision): Promise<DecisionResult> {
  return sendJson<DecisionResult>('POST', `/api/communes/${encodeURIComponent(commune)}/parcels/${encodeURIComponent(parcelId)}/decisions`, decision)
}

/** Whether the failure is the version conflict (the parcel moved on since it was loaded). */
export const isConflict = (error: unknown): error is ApiError => error instanceof ApiError && error.status === 409
