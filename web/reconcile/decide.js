// Sending a clerk's decision on a parcel (quyết định đối soát): accept, correct, link, unlink,
// relink, flag, reopen, each with the parcel version the clerk saw. A 409 means someone else
// changed the parcel first: the caller shows it and reloads the current state.
import { ApiError, sendJson } from '../api.js'

/** Who may decide (the others read only). */
export const mayDecide = (user) => user?.role === 'clerk' || user?.role === 'admin'

/** POSTs `{ kind, version, ... }`; resolves with `{ parcel, target?, event }`. */
export function decide(commune, parcelId, decision) {
  return sendJson('POST', `/api/communes/${encodeURIComponent(commune)}/parcels/${encodeURIComponent(parcelId)}/decisions`, decision)
}

/** Whether the failure is the version conflict (the parcel moved on since it was loaded). */
export const isConflict = (error) => error instanceof ApiError && error.status === 409
