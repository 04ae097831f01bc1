/**
 * Plants a commune's discrepancies (sai lệch) between map and records, each listed as ground
 * truth. Every kind gets 0.2–0.5% of the commune's parcels and at least one item (two for
 * duplicate keys: one on each side). Items use disjoint parcels, so a checker's findings for
 * one item are never caused by another.
 */
import type { ParcelDescriber } from '../attributes.js'
import type { Random } from '../random.js'
import type { AttributeRecord, DiscrepancyKind, MapParcel, PlantedDiscrepancy } from '../types.js'
import { plantDuplicateMapKey, plantInvalidGeometry, plantSliverOverlap } from './map-side.js'
import { PlantingContext } from './planting-context.js'
import {
  plantAreaMismatch,
  plantDuplicateRecord,
  plantLandUseMismatch,
  plantRecordOnly,
  plantWrongParcelNumber,
} from './record-side.js'

type Planter = (context: PlantingContext) => boolean

/**
 * Most constrained kinds first (slivers need an edge with a bend between two free parcels,
 * bow-ties prefer four-vertex parcels), so they still find candidates in small communes.
 */
const PLANTERS: ReadonlyArray<readonly [DiscrepancyKind, ReadonlyArray<Planter>]> = [
  ['sliver_overlap', [plantSliverOverlap]],
  ['invalid_geometry', [plantInvalidGeometry]],
  ['duplicate_key', [plantDuplicateMapKey, plantDuplicateRecord]],
  ['wrong_parcel_number', [plantWrongParcelNumber]],
  ['area_mismatch', [plantAreaMismatch]],
  ['landuse_mismatch', [plantLandUseMismatch]],
  ['record_only', [plantRecordOnly]],
]

/**
 * Mutates `parcels` and `records` (appending planted records) and returns the planted items
 * in planting order. A kind may get fewer items than drawn in a tiny commune that runs out
 * of suitable parcels; the truth file lists what was actually planted.
 */
export function plantDiscrepancies(
  random: Random,
  parcels: MapParcel[],
  records: AttributeRecord[],
  describer: ParcelDescriber,
  sheetCount: number,
): PlantedDiscrepancy[] {
  const context = new PlantingContext(random, parcels, records, describer, sheetCount)
  for (const [, planters] of PLANTERS) {
    const count = Math.max(1, Math.round(parcels.length * random.range(0.002, 0.005)))
    // Kinds with two forms alternate between them, starting with the first.
    for (let item = 0; item < Math.max(count, planters.length); item++) {
      planters[item % planters.length]!(context)
    }
  }
  return context.items
}

export { DISCREPANCY_KINDS } from '../types.js'
