/**
 * Area tolerance (sai số diện tích cho phép): how far a parcel's map area may differ from its
 * legal area before it is a discrepancy. No regulation fixes an area formula (DOMAIN.md), so
 * the rule is named, configurable, and shown with every mismatch.
 *
 * Default rule "tt25-2014-perimeter": the boundary-point accuracy TT 25/2014/TT-BTNMT Điều 7
 * allows for the sheet's scale, times the parcel's perimeter (an upper bound on the area a
 * band of that width along the boundary can add or remove), ×1.5 for agricultural land at
 * 1:1000–1:2000, and never less than `minimum` m².
 */
export interface ToleranceRule {
  name: string
  /** Boundary point accuracy in metres by scale denominator. */
  pointAccuracy: Record<number, number>
  agriculturalFactor: number
  agriculturalScales: number[]
  /** Scale used when the sheet's scale is unknown. */
  defaultScale: number
  minimum: number
}

export const DEFAULT_TOLERANCE_RULE: ToleranceRule = {
  name: 'tt25-2014-perimeter',
  pointAccuracy: { 200: 0.05, 500: 0.07, 1000: 0.15, 2000: 0.3, 5000: 1.5, 10000: 3.0 },
  agriculturalFactor: 1.5,
  agriculturalScales: [1000, 2000],
  defaultScale: 2000,
  minimum: 1,
}

/** Agricultural land-use codes (2014 and 2024 lists) for the ×1.5 allowance. */
export const AGRICULTURAL_CODES = ['LUC', 'LUK', 'LUN', 'LUA', 'BHK', 'NHK', 'HNK', 'CLN', 'RSX', 'RSN', 'RPH', 'RDD', 'NTS', 'LMU', 'NKH', 'CNT']
