// Finding a commune's parcel by its sheet and number (số tờ, số thửa), as clerks name it: the
// queue's sheet filter, then the number among that sheet's items (leading zeros ignored).
import { getJson } from '../api.js'
import type { QueueItem, QueuePage, QueueParcel } from '../types.js'

const PAGE = 200
const MAX_PAGES = 20

const norm = (s: unknown): string => String(s).trim().toLowerCase().replace(/^0+(?=\d)/, '')

/** The parcel with that sheet and number in the commune, or null when there is none. */
export async function findParcel(commune: string, sheet: string, number: string): Promise<QueueParcel | null> {
  for (let page = 1; page <= MAX_PAGES; page++) {
    const result = await getJson<QueuePage>(`/api/communes/${encodeURIComponent(commune)}/queue?sheet=${encodeURIComponent(sheet)}&limit=${PAGE}&page=${page}`)
    const hit = result.items.find((i): i is QueueItem & { parcel: QueueParcel } => i.parcel !== null && norm(i.parcel.number) === norm(number))
    if (hit) return hit.parcel
    if (page * PAGE >= result.total) break
  }
  return null
}

/** The address of a parcel's page. */
export const parcelHref = (commune: string, id: number | string): string => `/parcel.html?commune=${encodeURIComponent(commune)}&id=${encodeURIComponent(id)}`
