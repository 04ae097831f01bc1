/**
 * Generates a whole synthetic province (tỉnh) into a directory, one commune at a time:
 * parcels/<code>.* shapefiles, records/<code>.csv, truth/<code>.json, and the province files
 * communes.csv, sheets.csv, truth.json and manifest.json. Deterministic: the same options
 * give byte-identical files.
 */
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { encode } from '../imports/encoding/index.js'
import type { EncodeText } from '../formats/index.js'
import { CENTRAL_MERIDIAN, generateCommune } from './commune.js'
import { csvLine } from './csv.js'
import { hashFiles, listFiles } from './manifest.js'
import { planProvince } from './province-plan.js'
import { countByKind, truthJson, TRUTH_RULE } from './truth.js'
import { DISCREPANCY_KINDS, type DiscrepancyKind, type GeneratorOptions, type PlantedDiscrepancy, type Rectangle } from './types.js'

/** Gia Lai before the 2025 merger. */
export const PROVINCE_CODE = '64'
/** VN-2000 / TM-3 108°30′. */
export const SRID = 9218

export const DEFAULT_OPTIONS: GeneratorOptions = {
  seed: 2023,
  communes: 220,
  parcelsPerCommune: 7400,
  encoding: 'utf8',
  firstCode: 23500,
}

export interface ProvinceSummary {
  out: string
  seed: number
  communes: number
  sheets: number
  parcels: number
  records: number
  planted: Record<DiscrepancyKind, number>
  files: number
  bytes: number
}

export interface ProgressEvent {
  communesDone: number
  communesTotal: number
  parcelsDone: number
}

const OUTPUTS = ['parcels', 'records', 'truth', 'communes.csv', 'sheets.csv', 'truth.json', 'manifest.json']

export interface GenerateHooks {
  /** Called after each commune is written. */
  onProgress?: (event: ProgressEvent) => void
  /** Replace the outputs of a previous run in `out` (anything else there is still refused). */
  overwrite?: boolean
}

export async function generateProvince(options: GeneratorOptions, out: string, hooks: GenerateHooks = {}): Promise<ProvinceSummary> {
  const { onProgress, overwrite = false } = hooks
  validateOptions(options)
  await prepareDirectory(out, overwrite)
  const plans = planProvince(options)
  const encodeText: EncodeText | undefined = options.encoding === 'utf8' ? undefined : (text) => encode(text, options.encoding)
  const communeLines = [csvLine(['code', 'name', 'province_code', 'srid', 'central_meridian', 'boundary_wkt'])]
  const sheetLines = [csvLine(['commune_code', 'sheet', 'scale_denominator', 'parcels', 'min_x', 'min_y', 'max_x', 'max_y'])]
  const communeTruths = []
  const planted: PlantedDiscrepancy[][] = []
  let parcels = 0
  let records = 0
  let sheets = 0
  for (const plan of plans) {
    const result = await generateCommune(plan, options, out, encodeText)
    communeLines.push(csvLine([plan.code, plan.name, PROVINCE_CODE, SRID, CENTRAL_MERIDIAN, rectangleWkt(plan.boundary)]))
    for (const sheet of result.sheets) {
      const { minX, minY, maxX, maxY } = sheet.extent
      sheetLines.push(csvLine([plan.code, sheet.number, sheet.scale, sheet.parcels, minX, minY, maxX, maxY]))
    }
    const { truth } = result
    communeTruths.push({ commune: truth.commune, parcels: truth.parcels, records: truth.records, planted: truth.counts })
    planted.push(truth.planted)
    parcels += truth.parcels
    records += truth.records
    sheets += result.sheets.length
    onProgress?.({ communesDone: communeTruths.length, communesTotal: plans.length, parcelsDone: parcels })
  }
  const totals = countByKind(planted.flat())
  await writeFile(join(out, 'communes.csv'), communeLines.join(''))
  await writeFile(join(out, 'sheets.csv'), sheetLines.join(''))
  const counts = { communes: plans.length, sheets, parcels, records, planted: totals }
  await writeFile(join(out, 'truth.json'), truthJson({ seed: options.seed, rule: TRUTH_RULE, counts, communes: communeTruths }))

  const paths = await listFiles(out, ['manifest.json'])
  const files = await hashFiles(out, paths)
  const manifest = { generator: 'landbook synthetic province', formatVersion: 1, seed: options.seed, options, counts, files }
  await writeFile(join(out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n')
  const bytes = await totalBytes(out)
  return { out, seed: options.seed, communes: plans.length, sheets, parcels, records, planted: totals, files: paths.length + 1, bytes }
}

function validateOptions(options: GeneratorOptions): void {
  const positive = (name: string, value: number) => {
    if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`)
  }
  positive('communes', options.communes)
  positive('parcelsPerCommune', options.parcelsPerCommune)
  if (!Number.isSafeInteger(options.seed) || options.seed < 0) throw new RangeError(`seed must be a non-negative integer, got ${options.seed}`)
  if (!['utf8', 'tcvn3', 'vni'].includes(options.encoding)) throw new RangeError(`encoding must be utf8, tcvn3 or vni, got ${options.encoding}`)
}

/**
 * Refuses a directory holding anything but a previous generation's outputs unless told to
 * overwrite, so a mistyped --out never deletes someone's files; stale outputs are removed
 * so the manifest lists only this run's files.
 */
async function prepareDirectory(out: string, overwrite: boolean): Promise<void> {
  await mkdir(out, { recursive: true })
  const existing = await readdir(out)
  if (existing.length > 0) {
    const foreign = existing.filter((name) => !OUTPUTS.includes(name))
    if (!overwrite || foreign.length > 0) {
      throw new Error(`Output directory ${out} is not empty${foreign.length > 0 ? ` (holds ${foreign.slice(0, 3).join(', ')})` : '; pass overwrite (--force) to replace a previous run'}`)
    }
    for (const name of existing) await rm(join(out, name), { recursive: true, force: true })
  }
  for (const folder of ['parcels', 'records', 'truth']) await mkdir(join(out, folder), { recursive: true })
}

function rectangleWkt({ minX, minY, maxX, maxY }: Rectangle): string {
  // Clockwise from the south-west corner, like the parcels.
  return `POLYGON((${minX} ${minY},${minX} ${maxY},${maxX} ${maxY},${maxX} ${minY},${minX} ${minY}))`
}

async function totalBytes(out: string): Promise<number> {
  let bytes = 0
  for (const path of await listFiles(out)) bytes += (await stat(join(out, path))).size
  return bytes
}

export { DISCREPANCY_KINDS }
