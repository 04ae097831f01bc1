/**
 * Same seed and options → byte-identical files; another seed → other files; the manifest's
 * hashes are the files' hashes; legacy DBF encodings carry the same text and no .cpg.
 */
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decode } from '../../src/imports/encoding/index.js'
import { generateIntoTemp, readParcels } from './load-province.js'

type Manifest = { seed: number; files: Record<string, string>; counts: { parcels: number } }

const readManifest = async (directory: string) => JSON.parse(await readFile(join(directory, 'manifest.json'), 'utf8')) as Manifest

describe('synthetic province determinism', () => {
  const runs: Array<{ directory: string; cleanup: () => Promise<void> }> = []
  const options = { communes: 2, parcelsPerCommune: 300 }
  beforeAll(async () => {
    runs.push(await generateIntoTemp({ ...options, seed: 11 }))
    runs.push(await generateIntoTemp({ ...options, seed: 11 }))
    runs.push(await generateIntoTemp({ ...options, seed: 12 }))
    runs.push(await generateIntoTemp({ ...options, seed: 11, encoding: 'tcvn3' }))
    runs.push(await generateIntoTemp({ ...options, seed: 11, encoding: 'vni' }))
  })
  afterAll(async () => {
    for (const run of runs) await run.cleanup()
  })

  it('writes byte-identical files for the same seed and options', async () => {
    const [first, second] = await Promise.all([readManifest(runs[0]!.directory), readManifest(runs[1]!.directory)])
    expect(Object.keys(first.files)).toContain('parcels/23500.dbf')
    expect(second.files).toEqual(first.files)
    const bytes = await Promise.all(runs.slice(0, 2).map((run) => readFile(join(run.directory, 'manifest.json'))))
    expect(bytes[1]!.equals(bytes[0]!)).toBe(true)
  })

  it('writes different files for another seed', async () => {
    const [first, other] = await Promise.all([readManifest(runs[0]!.directory), readManifest(runs[2]!.directory)])
    expect(other.files['parcels/23500.shp']).not.toBe(first.files['parcels/23500.shp'])
    expect(other.files['records/23500.csv']).not.toBe(first.files['records/23500.csv'])
  })

  it('lists the SHA-256 of every file in the manifest', async () => {
    const { directory } = runs[0]!
    const manifest = await readManifest(directory)
    expect(Object.keys(manifest.files)).toHaveLength(2 * 5 + 2 + 2 + 3) // parcels .shp .shx .dbf .prj .cpg, records, truth; communes.csv, sheets.csv, truth.json
    for (const [path, hash] of Object.entries(manifest.files)) {
      expect(createHash('sha256').update(await readFile(join(directory, path))).digest('hex'), path).toBe(hash)
    }
  })

  it.each([
    ['tcvn3', 3],
    ['vni', 4],
  ] as const)('writes %s DBF text that decodes to the UTF-8 run\'s text, without a .cpg', async (encoding, run) => {
    const utf8 = await readParcels(runs[0]!.directory, '23500')
    const legacyDirectory = runs[run]!.directory
    expect(existsSync(join(runs[0]!.directory, 'parcels', '23500.cpg'))).toBe(true)
    expect(existsSync(join(legacyDirectory, 'parcels', '23500.cpg'))).toBe(false)
    // Only the DBF differs from the UTF-8 run: geometry and records are the same data.
    const [utf8Manifest, legacyManifest] = await Promise.all([readManifest(runs[0]!.directory), readManifest(legacyDirectory)])
    expect(legacyManifest.files['parcels/23500.shp']).toBe(utf8Manifest.files['parcels/23500.shp'])
    expect(legacyManifest.files['records/23500.csv']).toBe(utf8Manifest.files['records/23500.csv'])
    expect(legacyManifest.files['parcels/23500.dbf']).not.toBe(utf8Manifest.files['parcels/23500.dbf'])

    const owners = readTextField(await readFile(join(legacyDirectory, 'parcels', '23500.dbf')), 'TENCHU').map((bytes) => decode(bytes, encoding).trim())
    const expected = utf8.map((feature) => (feature.properties.TENCHU as string | null) ?? '')
    expect(owners.filter((owner) => /[^\x00-\x7f]/.test(owner)).length).toBeGreaterThan(10)
    // TCVN3 has no capital letters with tone marks (they share the lowercase bytes), so
    // compare ignoring case; VNI keeps case.
    const fold = (text: string) => (encoding === 'tcvn3' ? text.toLowerCase() : text)
    expect(owners.map(fold)).toEqual(expected.map(fold))
  })
})

/** Raw bytes of one C field in every record, read straight from the dBASE layout. */
function readTextField(dbf: Buffer, name: string): Buffer[] {
  const count = dbf.readUInt32LE(4)
  const headerLength = dbf.readUInt16LE(8)
  const recordLength = dbf.readUInt16LE(10)
  let offset = 1
  let length = 0
  for (let at = 32; dbf[at] !== 0x0d; at += 32) {
    const fieldName = dbf.toString('latin1', at, at + 11).replace(/\0.*$/, '')
    if (fieldName === name) {
      length = dbf[at + 16]!
      break
    }
    offset += dbf[at + 16]!
  }
  expect(length).toBeGreaterThan(0)
  return Array.from({ length: count }, (_, record) => {
    const start = headerLength + record * recordLength + offset
    return dbf.subarray(start, start + length)
  })
}
