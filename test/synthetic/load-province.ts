/**
 * Test helpers: generate a small province into a temporary directory and read it back with
 * independent readers (the `shapefile` package, csv-parse), so tests check the files, not the
 * generator's own structures.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import * as shapefile from 'shapefile'
import { generateProvince, type CommuneTruth, type GeneratorOptions } from '../../src/synthetic/index.js'

/**
 * Seed 113 gives the three DBF layouts (full; maxa; madvhc with "12.0" numbers) and two
 * CSV header spellings across the three communes (asserted in province-files.test.ts).
 */
export const SMALL_OPTIONS: GeneratorOptions = { seed: 113, communes: 3, parcelsPerCommune: 600, encoding: 'utf8', firstCode: 23500 }

export async function generateIntoTemp(options: Partial<GeneratorOptions> = {}): Promise<{ directory: string; cleanup: () => Promise<void> }> {
  const directory = await mkdtemp(join(tmpdir(), 'landbook-province-'))
  await generateProvince({ ...SMALL_OPTIONS, ...options }, directory)
  return { directory, cleanup: () => rm(directory, { recursive: true, force: true }) }
}

export interface Feature {
  /** Rings as written: [[x, y], …] closed. */
  rings: number[][][]
  properties: Record<string, unknown>
}

export async function readParcels(directory: string, code: string): Promise<Feature[]> {
  const base = join(directory, 'parcels', code)
  const source = await shapefile.open(`${base}.shp`, `${base}.dbf`, { encoding: 'utf-8' })
  const features: Feature[] = []
  for (let result = await source.read(); !result.done; result = await source.read()) {
    const geometry = result.value.geometry as { type: string; coordinates: number[][][] | number[][][][] }
    // A bow-tie can be read back as two "polygons"; flatten to the rings as written.
    const rings = geometry.type === 'Polygon' ? (geometry.coordinates as number[][][]) : (geometry.coordinates as number[][][][]).flat()
    features.push({ rings, properties: result.value.properties ?? {} })
  }
  return features
}

/** Records CSV rows as arrays (header dropped), BOM checked by the caller. */
export async function readRecordRows(directory: string, code: string): Promise<{ header: string[]; rows: string[][] }> {
  const text = await readFile(join(directory, 'records', `${code}.csv`), 'utf8')
  const [header, ...rows] = parse(text, { bom: true }) as string[][]
  return { header: header!, rows }
}

export async function readTruth(directory: string, code: string): Promise<CommuneTruth> {
  return JSON.parse(await readFile(join(directory, 'truth', `${code}.json`), 'utf8')) as CommuneTruth
}

export async function readCsv(path: string): Promise<Record<string, string>[]> {
  return parse(await readFile(path, 'utf8'), { bom: true, columns: true }) as Record<string, string>[]
}

/** Shoelace area of a closed [[x, y], …] ring, computed here independently of src/. */
export function shoelace(ring: number[][]): number {
  let sum = 0
  const [x0, y0] = ring[0]!
  for (let index = 1; index < ring.length; index++) {
    const [ax, ay] = ring[index - 1]!
    const [bx, by] = ring[index]!
    sum += (ax! - x0!) * (by! - y0!) - (bx! - x0!) * (ay! - y0!)
  }
  return Math.abs(sum) / 2
}

export const keyOf = (sheet: number, parcel: number) => `${sheet}/${parcel}`
