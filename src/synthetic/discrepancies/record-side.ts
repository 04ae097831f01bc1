/**
 * Discrepancies planted in the attribute records (hồ sơ) while the map stays as drawn:
 * a wrong legal area, a different land-use code, a mistyped parcel number, two records for
 * one parcel, and records for parcels that are not on the map.
 */
import { roundTenth } from '../geometry.js'
import { differentLandUse, drawLandUse } from '../land-use.js'
import type { PlantingContext } from './planting-context.js'

/** Legal area 15–40% (and at least 20 m²) away from the map area. */
export function plantAreaMismatch(context: PlantingContext): boolean {
  // 150 m² × 15% = 22.5 m², so every pick clears the 20 m² floor.
  const parcel = context.take('area_mismatch', (candidate) => candidate.record !== null && candidate.area >= 150)
  if (!parcel?.record) return false
  const direction = context.random.chance(0.5) ? 1 : -1
  const planted = roundTenth(parcel.area * (1 + direction * context.random.range(0.15, 0.4)))
  parcel.record.legalArea = planted
  context.plant({
    kind: 'area_mismatch',
    sheet: parcel.sheet,
    parcel: parcel.number,
    keys: [[parcel.sheet, parcel.number]],
    detail: { expected: parcel.mapArea, planted },
  })
  return true
}

/** The record's land-use code shares no component with the map's. */
export function plantLandUseMismatch(context: PlantingContext): boolean {
  const parcel = context.take('landuse_mismatch', (candidate) => candidate.record !== null)
  if (!parcel?.record) return false
  const planted = differentLandUse(context.random, parcel.landUse)
  parcel.record.landUse = planted
  context.plant({
    kind: 'landuse_mismatch',
    sheet: parcel.sheet,
    parcel: parcel.number,
    keys: [[parcel.sheet, parcel.number]],
    detail: { expected: parcel.landUse, planted },
  })
  return true
}

/**
 * The record carries a parcel number that exists nowhere on its sheet (an extra digit typed,
 * or a number past the sheet's last), so its true parcel has no record. The owner stays, and
 * the legal area is exactly the true parcel's map area: what lets a matcher recover the pair.
 */
export function plantWrongParcelNumber(context: PlantingContext): boolean {
  const parcel = context.take('wrong_parcel_number', (candidate) => candidate.record !== null)
  const record = parcel?.record
  if (!parcel || !record) return false
  const planted = context.absentNumber(parcel.sheet, parcel.number * 10 + context.random.int(0, 9))
  record.parcel = planted
  record.legalArea = parcel.mapArea
  parcel.record = null
  context.plant({
    kind: 'wrong_parcel_number',
    sheet: parcel.sheet,
    parcel: planted,
    keys: [[parcel.sheet, planted], [parcel.sheet, parcel.number]],
    detail: { expected: parcel.number, planted, owner: record.owner, legalArea: record.legalArea },
  })
  return true
}

/** A second record for a certified parcel: another owner, as after a transfer never closed. */
export function plantDuplicateRecord(context: PlantingContext): boolean {
  const parcel = context.take('duplicate_key/records', (candidate) => candidate.record !== null)
  const first = parcel?.record
  if (!parcel || !first) return false
  const second = context.describer.record(parcel, context.describer.honestLegalArea(parcel.area))
  context.records.push(second)
  context.plant({
    kind: 'duplicate_key',
    sheet: parcel.sheet,
    parcel: parcel.number,
    keys: [[parcel.sheet, parcel.number]],
    detail: { side: 'records', owners: [first.owner, second.owner], serials: [first.serial, second.serial] },
  })
  return true
}

/** A record whose key is on no map: past the last parcel of a sheet, or on a sheet not delivered. */
export function plantRecordOnly(context: PlantingContext): boolean {
  const { random, describer } = context
  const onMissingSheet = random.chance(0.4)
  const sheet = onMissingSheet ? context.sheetCount + random.int(1, 3) : random.int(1, context.sheetCount)
  const number = context.absentNumber(sheet)
  const landUse = drawLandUse(random, random.chance(0.5) ? 'settlement' : 'farmland')
  const place = random.pick(describer.villages)
  const record = describer.record({ sheet, number, landUse, place }, roundTenth(random.range(80, 2500)))
  context.records.push(record)
  context.plant({
    kind: 'record_only',
    sheet,
    parcel: number,
    keys: [[sheet, number]],
    detail: { reason: onMissingSheet ? 'sheet_not_on_map' : 'parcel_not_on_sheet', owner: record.owner },
  })
  return true
}
