// How a discrepancy is said to a clerk: the category's name and, from the link's details, what
// differs (with the tolerance rule and value for an area mismatch, as matching computed them).
import { formatArea, formatDifference, formatLandUse } from '../format.js'
import { formatNumber, t } from '../i18n.js'
import type { LinkDetails } from '../types.js'

export const CATEGORIES = ['matched', 'area_mismatch', 'landuse_mismatch', 'spatial_only', 'record_only', 'duplicate_key']
export const STATUSES = ['imported', 'matched', 'needs_review', 'reconciled', 'signed', 'synced']

/** One line about the link's discrepancy. */
export function detailsText(category: string, details: LinkDetails | null = {}): string {
  const d: LinkDetails = details ?? {}
  switch (category) {
    case 'area_mismatch':
      return t('details.area', {
        map: formatArea(d.area_m2),
        legal: formatArea(d.legal_area_m2),
        difference: formatDifference(d.difference_m2),
        tolerance: formatArea(d.tolerance_m2),
      })
    case 'landuse_mismatch':
      return t('details.landuse', { map: formatLandUse(d.parcel_land_use), record: formatLandUse(d.record_land_use) })
    case 'duplicate_key':
      return t('details.duplicate', { parcels: formatNumber(d.parcels_with_key ?? 0), records: formatNumber(d.records_with_key ?? 0) })
    case 'spatial_only':
      return t('details.spatialOnly')
    case 'record_only':
      return t('details.recordOnly')
    case 'matched':
      return d.difference_m2 !== undefined && d.difference_m2 !== null ? t('details.matched', { difference: formatDifference(d.difference_m2), tolerance: formatArea(d.tolerance_m2) }) : ''
    default:
      return ''
  }
}

/** The tolerance rule in words, for the parcel page. */
export function toleranceText(details: LinkDetails | null = {}): string {
  if (!details?.rule) return ''
  return t('details.rule', { rule: details.rule, scale: details.scale ? formatNumber(details.scale) : '—', tolerance: formatArea(details.tolerance_m2) })
}
