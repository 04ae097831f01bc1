// The colours of the maps and their legends: parcel statuses, discrepancy categories, and the
// classes of the progress choropleth. Colour is never the only cue: legends and panels name them.

export const STATUS_COLORS: Record<string, string> = {
  imported: '#9aa7b4',
  matched: '#6baed6',
  needs_review: '#f0a500',
  reconciled: '#2e9d4f',
  signed: '#1f5fa8',
  synced: '#6a3d9a',
}

export const CATEGORY_COLORS: Record<string, string> = {
  matched: '#2e9d4f',
  area_mismatch: '#d7301f',
  landuse_mismatch: '#fc8d59',
  spatial_only: '#8c6bb1',
  duplicate_key: '#e7298a',
}

/** A parcel whose value has no colour (no category yet). */
export const UNKNOWN_COLOR = '#c4cad1'

/** Choropleth classes: share of the commune's parcels, in percent (upper bound included). */
export const SHARE_CLASSES = [
  { from: 0, to: 20, color: '#edf8e9' },
  { from: 20, to: 40, color: '#bae4b3' },
  { from: 40, to: 60, color: '#74c476' },
  { from: 60, to: 80, color: '#31a354' },
  { from: 80, to: 100, color: '#006d2c' },
]

/** A commune without parcels (no share to show). */
export const NO_DATA_COLOR = '#e3e6ea'

export function shareColor(pct: number | null | undefined): string {
  if (pct === null || pct === undefined) return NO_DATA_COLOR
  return (SHARE_CLASSES.find((c) => pct < c.to) ?? SHARE_CLASSES[SHARE_CLASSES.length - 1]!).color
}
