/**
 * Generates and writes one commune (xã): its sheets' parcels as a shapefile, its attribute
 * records as CSV, and its ground truth. Everything for the commune is held in memory while
 * it is written (a few thousand parcels), nothing after: the province streams commune by
 * commune.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ShapefileWriter, codePageFor, tm3PrjWkt, type EncodeText } from '../formats/index.js'
import { ParcelDescriber } from './attributes.js'
import { dbfSchemaFor } from './dbf-schemas.js'
import { plantDiscrepancies } from './discrepancies/index.js'
import { Random } from './random.js'
import { recordsCsv } from './records-csv.js'
import { sheetGridLines } from './sheet-plan.js'
import { tessellateSheet } from './tessellation.js'
import { communeTruth, truthJson, type CommuneTruth } from './truth.js'
import type { CommunePlan, GeneratorOptions, MapParcel, Rectangle } from './types.js'

/** Gia Lai's TM-3 central meridian, 108°30′ (EPSG:9218). */
export const CENTRAL_MERIDIAN = 108.5

/** DBF "last update": the end-2023 handover of Gia Lai's data, fixed so output is reproducible. */
const DBF_DATE = new Date(Date.UTC(2023, 11, 31))

export interface SheetSummary {
  number: number
  scale: number
  parcels: number
  extent: Rectangle
}

export interface CommuneResult {
  truth: CommuneTruth
  sheets: SheetSummary[]
}

export async function generateCommune(
  plan: CommunePlan,
  options: GeneratorOptions,
  outputDirectory: string,
  encodeText: EncodeText | undefined,
): Promise<CommuneResult> {
  const geometryRandom = new Random(options.seed, `commune/${plan.index}/geometry`)
  const describer = new ParcelDescriber(plan, new Random(options.seed, `commune/${plan.index}/attributes`))
  const parcels: MapParcel[] = []
  const sheets: SheetSummary[] = []
  for (const sheet of plan.sheets) {
    const sheetParcels = describer.describe(sheet, tessellateSheet(sheet, geometryRandom), parcels.length + 1)
    for (const parcel of sheetParcels) parcels.push(parcel)
    const { xs, ys } = sheetGridLines(sheet)
    const extent = { minX: xs[0]!, minY: ys[0]!, maxX: xs[xs.length - 1]!, maxY: ys[ys.length - 1]! }
    sheets.push({ number: sheet.number, scale: sheet.scale, parcels: sheetParcels.length, extent })
  }
  const records = parcels.flatMap((parcel) => (parcel.record ? [parcel.record] : []))
  const planted = plantDiscrepancies(
    new Random(options.seed, `commune/${plan.index}/discrepancies`),
    parcels,
    records,
    describer,
    plan.sheets.length,
  )

  const schema = dbfSchemaFor(plan)
  const writer = await ShapefileWriter.create(join(outputDirectory, 'parcels', plan.code), {
    fields: schema.fields,
    encodeText,
    codePage: codePageFor(options.encoding),
    prj: tm3PrjWkt(CENTRAL_MERIDIAN),
    date: DBF_DATE,
    // Rings are built clockwise already. Re-orienting would also reverse a planted bow-tie
    // whose lobes happen to sum counter-clockwise, and the truth file describes it as built.
    orientRings: false,
  })
  try {
    for (const parcel of parcels) await writer.write([[parcel.ring]], schema.values(parcel))
    const { truncatedValues } = await writer.close()
    // A cut name would make the DBF disagree with the records CSV, an unplanted discrepancy.
    if (truncatedValues > 0) throw new Error(`Commune ${plan.code}: ${truncatedValues} DBF text values were too long for their field`)
  } catch (error) {
    await writer.abort()
    throw error
  }
  await writeFile(join(outputDirectory, 'records', `${plan.code}.csv`), recordsCsv(plan.code, plan.recordsHeader, records))
  const truth = communeTruth(plan, schema, options.encoding, parcels, records, planted)
  await writeFile(join(outputDirectory, 'truth', `${plan.code}.json`), truthJson(truth))
  return { truth, sheets }
}
