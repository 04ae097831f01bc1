/** DBF value layout: text byte limits (UTF-8 and a caller-given legacy encoder), numbers, logicals. */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as shapefile from 'shapefile'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DbfWriter } from '../../src/formats/index.js'

describe('DbfWriter', () => {
  let directory: string
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'landbook-dbf-'))
  })
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true })
  })

  it('truncates UTF-8 text at a character boundary and counts it', async () => {
    const path = join(directory, 'utf8.dbf')
    const writer = await DbfWriter.create(path, [{ name: 'TEN', type: 'C', length: 7 }], { date: new Date(0) })
    await writer.write(['Đắk Đoa']) // 11 bytes in UTF-8
    expect(await writer.close()).toEqual({ records: 1, truncatedValues: 1 })
    const rows = await readRows(path, 'utf-8')
    // Đ(2) ắ(3) k(1) space(1) = 7 bytes; the next Đ would not fit whole, so it is left out
    // rather than split (the reader trims the trailing space).
    expect(rows).toEqual([{ TEN: 'Đắk' }])
  })

  it('writes text through a caller-given encoder, cutting whole characters', async () => {
    // A stand-in for a two-bytes-per-mark legacy encoding: every non-ASCII character becomes 2 bytes.
    const encodeText = (text: string) =>
      Buffer.from(Array.from(text).flatMap((char) => (char.charCodeAt(0) < 128 ? [char.charCodeAt(0)] : [0x80, 0x81])))
    const path = join(directory, 'legacy.dbf')
    const writer = await DbfWriter.create(path, [{ name: 'TEN', type: 'C', length: 6 }], { encodeText, date: new Date(0) })
    await writer.write(['ab'])
    await writer.write(['aĐắkĐ']) // 1 + 2 + 2 + 1 + 2 = 8 bytes → keeps "aĐắk" (6 bytes)
    expect(await writer.close()).toEqual({ records: 2, truncatedValues: 1 })
    const bytes = await readFile(path)
    const headerLength = bytes.readUInt16LE(8)
    expect([...bytes.subarray(headerLength + 7 + 1, headerLength + 14)]).toEqual([0x61, 0x80, 0x81, 0x80, 0x81, 0x6b])
  })

  it('refuses numbers that do not fit instead of corrupting them', async () => {
    const writer = await DbfWriter.create(join(directory, 'number.dbf'), [{ name: 'DT', type: 'N', length: 5, decimals: 1 }])
    await writer.write([999.94])
    await expect(writer.write([12345.6])).rejects.toThrow(/does not fit/)
    await expect(writer.write([Number.NaN])).rejects.toThrow(/not a number/)
    await writer.close()
  })

  it('rejects invalid field definitions', async () => {
    const path = join(directory, 'bad.dbf')
    await expect(DbfWriter.create(path, [{ name: 'DIENTICHPHAPLY', type: 'N', length: 10 }])).rejects.toThrow(/1–10/)
    await expect(DbfWriter.create(path, [{ name: 'A', type: 'C', length: 300 }])).rejects.toThrow(/width/)
    await expect(DbfWriter.create(path, [{ name: 'A', type: 'C', length: 3 }, { name: 'a', type: 'L' }])).rejects.toThrow(/repeated/)
  })
})

async function readRows(path: string, encoding: string): Promise<unknown[]> {
  const source = await shapefile.openDbf(path, { encoding })
  const rows: unknown[] = []
  for (let result = await source.read(); !result.done; result = await source.read()) rows.push(result.value)
  return rows
}
