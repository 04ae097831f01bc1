import { randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import zlib from 'node:zlib'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import yazl from 'yazl'
import { Invalid, TooLarge } from '../../../src/errors.js'
import { defaultUploadLimits, extractZip, type UploadLimits } from '../../../src/imports/upload/index.js'

const MiB = 1024 * 1024

let work: string
let dest: string

beforeEach(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'landbook-zip-'))
  dest = path.join(work, 'out')
  await mkdir(dest)
})

afterEach(async () => {
  await rm(work, { recursive: true, force: true })
})

/** A zip made by yazl, the normal way; yazl sets the UTF-8 flag on non-ASCII names. */
async function makeZip(name: string, entries: Array<[string, string | Buffer]>): Promise<string> {
  const file = path.join(work, name)
  const zip = new yazl.ZipFile()
  for (const [entryName, content] of entries) zip.addBuffer(Buffer.from(content), entryName)
  zip.end()
  await pipeline(zip.outputStream, createWriteStream(file))
  return file
}

interface RawEntry {
  /** Raw name bytes; a string is written as UTF-8. */
  name: string | Buffer
  data?: Buffer
  deflate?: boolean
  /** Sets general purpose bit 11 (name is UTF-8). */
  utf8?: boolean
  /** Unix mode in the high half of the external attributes (e.g. 0o120777 for a symlink). */
  unixMode?: number
  /** Uncompressed size written in the headers, when it should lie. */
  declaredSize?: number
}

/**
 * A minimal zip writer (local headers, central directory, end record) for the names and
 * headers that yazl rightly refuses to write: traversal, absolute paths, symlinks, lies.
 */
function rawZip(entries: RawEntry[]): Buffer {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const e of entries) {
    const name = typeof e.name === 'string' ? Buffer.from(e.name, 'utf8') : e.name
    const data = e.data ?? Buffer.alloc(0)
    const body = e.deflate ? zlib.deflateRawSync(data) : data
    const flags = e.utf8 ? 0x800 : 0
    const method = e.deflate ? 8 : 0
    const crc = zlib.crc32(data)
    const size = e.declaredSize ?? data.length

    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt16LE(flags, 6)
    local.writeUInt16LE(method, 8)
    local.writeUInt32LE(crc, 14)
    local.writeUInt32LE(body.length, 18)
    local.writeUInt32LE(size, 22)
    local.writeUInt16LE(name.length, 26)

    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE(e.unixMode === undefined ? 20 : (3 << 8) | 20, 4) // made by: Unix when a mode is given
    central.writeUInt16LE(20, 6)
    central.writeUInt16LE(flags, 8)
    central.writeUInt16LE(method, 10)
    central.writeUInt32LE(crc, 16)
    central.writeUInt32LE(body.length, 20)
    central.writeUInt32LE(size, 24)
    central.writeUInt16LE(name.length, 28)
    central.writeUInt32LE(((e.unixMode ?? 0) << 16) >>> 0, 38)
    central.writeUInt32LE(offset, 42)

    locals.push(local, name, body)
    centrals.push(central, name)
    offset += local.length + name.length + body.length
  }
  const directory = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, directory, end])
}

async function writeRawZip(name: string, entries: RawEntry[]): Promise<string> {
  const file = path.join(work, name)
  await writeFile(file, rawZip(entries))
  return file
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (error) {
    return error as Error
  }
  throw new Error('expected the promise to reject')
}

const limits = (overrides: Partial<UploadLimits> = {}): UploadLimits => ({ ...defaultUploadLimits, ...overrides })

describe('extractZip', () => {
  it('extracts nested folders and Vietnamese names, skipping __MACOSX and .DS_Store', async () => {
    const zip = await makeZip('giao-nop.zip', [
      ['Xã Ia Grai/Thửa đất.shp', 'shp-bytes'],
      ['Xã Ia Grai/Thửa đất.dbf', 'dbf-bytes'],
      ['ranh-gioi.geojson', '{"type":"FeatureCollection","features":[]}'],
      ['__MACOSX/Xã Ia Grai/._Thửa đất.shp', 'apple'],
      ['Xã Ia Grai/.DS_Store', 'finder'],
    ])

    const files = await extractZip(zip, dest, limits())

    expect(files).toEqual([
      path.join(dest, 'Xã Ia Grai', 'Thửa đất.shp'),
      path.join(dest, 'Xã Ia Grai', 'Thửa đất.dbf'),
      path.join(dest, 'ranh-gioi.geojson'),
    ])
    expect(await readFile(path.join(dest, 'Xã Ia Grai', 'Thửa đất.dbf'), 'utf8')).toBe('dbf-bytes')
    expect((await readdir(dest)).sort()).toEqual(['Xã Ia Grai', 'ranh-gioi.geojson'])
  })

  it('decodes names by the UTF-8 flag: flagged as UTF-8, unflagged as CP437', async () => {
    const zip = await writeRawZip('names.zip', [
      { name: 'Thửa đất.shp', utf8: true, data: Buffer.from('a') },
      // 0x82 is "é" in CP437: an old Windows archiver that did not flag its names.
      { name: Buffer.from([0x63, 0x61, 0x66, 0x82, 0x2e, 0x64, 0x62, 0x66]), data: Buffer.from('b') },
    ])

    const files = await extractZip(zip, dest, limits())

    expect(files.map((f) => path.basename(f))).toEqual(['Thửa đất.shp', 'café.dbf'])
    expect((await readdir(dest)).sort()).toEqual(['Thửa đất.shp', 'café.dbf'].sort())
  })

  it.each([
    ['../evil.shp', '../evil.shp'],
    // An absolute path into this test's own folder: a regression must not write to /etc.
    ['<work>/escaped.shp', '<work>/escaped.shp'],
    ['C:/Windows/evil.shp', 'C:/Windows/evil.shp'],
    ['C:evil.shp', 'C:evil.shp'],
    ['..\\evil.shp', '../evil.shp'],
    ['a/../../evil.shp', 'a/../../evil.shp'],
    ['a\\..\\..\\evil.shp', 'a/../../evil.shp'],
  ])('rejects the zip-slip entry %j, naming it, and leaves nothing behind', async (rawName, rawShown) => {
    const entryName = rawName.replace('<work>', work)
    const shownAs = rawShown.replace('<work>', work)
    const zip = await writeRawZip('slip.zip', [
      { name: 'good/thua.shp', data: Buffer.from('written first') },
      { name: entryName, data: Buffer.from('pwned') },
    ])

    const error = await rejection(extractZip(zip, dest, limits()))

    expect(error).toBeInstanceOf(Invalid)
    expect(error.message).toContain('slip.zip')
    expect(error.message).toContain(`"${shownAs}"`)
    expect((error as Invalid).extra).toEqual({ entry: shownAs })
    expect(await readdir(dest)).toEqual([])
    expect(await readdir(work)).toEqual(['out', 'slip.zip'])
  })

  it('rejects a symlink entry', async () => {
    const zip = await writeRawZip('link.zip', [
      { name: 'thua.shp', data: Buffer.from('ok'), unixMode: 0o100644 },
      { name: 'passwd.dbf', data: Buffer.from('/etc/passwd'), unixMode: 0o120777 },
    ])

    const error = await rejection(extractZip(zip, dest, limits()))

    expect(error).toBeInstanceOf(Invalid)
    expect(error.message).toContain('"passwd.dbf"')
    expect(error.message).toContain('symlink')
    expect(await readdir(dest)).toEqual([])
  })

  it('stops a zip bomb by its compression ratio and removes what it wrote', async () => {
    const zip = await makeZip('bomb.zip', [
      ['thua.dbf', 'written first'],
      ['zeros.shp', Buffer.alloc(50 * MiB)],
    ])

    const error = await rejection(extractZip(zip, dest, limits()))

    expect(error).toBeInstanceOf(TooLarge)
    expect(error.message).toContain('bomb.zip')
    expect(error.message).toContain('"zeros.shp"')
    expect((error as TooLarge).extra).toMatchObject({ limitRatio: 200 })
    expect(await readdir(dest)).toEqual([])
  })

  it('stops when the inflated total passes maxTotalBytes, counting real bytes', async () => {
    const zip = await makeZip('bomb.zip', [['zeros.shp', Buffer.alloc(50 * MiB)]])

    const error = await rejection(
      extractZip(zip, dest, limits({ maxTotalBytes: 10 * MiB, maxCompressionRatio: Number.POSITIVE_INFINITY })),
    )

    expect(error).toBeInstanceOf(TooLarge)
    expect(error.message).toContain('10 MB')
    expect((error as TooLarge).extra).toMatchObject({ limitBytes: 10 * MiB })
    expect(await readdir(dest)).toEqual([])
  })

  it('sums the total over entries', async () => {
    const zip = await makeZip('many.zip', [
      ['a.shp', randomBytes(4 * MiB)],
      ['b.shp', randomBytes(4 * MiB)],
      ['c.shp', randomBytes(4 * MiB)],
    ])

    const error = await rejection(extractZip(zip, dest, limits({ maxTotalBytes: 10 * MiB })))

    expect(error).toBeInstanceOf(TooLarge)
    expect(error.message).toContain('"c.shp"')
    expect(await readdir(dest)).toEqual([])
  })

  it('stops an entry over maxFileBytes', async () => {
    const zip = await makeZip('big.zip', [['big.dbf', randomBytes(2 * MiB)]])

    const error = await rejection(extractZip(zip, dest, limits({ maxFileBytes: MiB })))

    expect(error).toBeInstanceOf(TooLarge)
    expect(error.message).toContain('"big.dbf"')
    expect(error.message).toContain('1 MB')
    expect(await readdir(dest)).toEqual([])
  })

  it('does not trust a header that understates the size', async () => {
    const zip = await writeRawZip('liar.zip', [
      { name: 'liar.shp', data: Buffer.alloc(20 * MiB), deflate: true, declaredSize: 100 },
    ])

    const error = await rejection(extractZip(zip, dest, limits()))

    expect(error).toBeInstanceOf(Invalid)
    expect(error.message).toContain('liar.zip')
    expect(await readdir(dest)).toEqual([])
  })

  it('refuses more entries than maxEntries', async () => {
    const zip = await makeZip(
      'entries.zip',
      Array.from({ length: 6 }, (_, i): [string, string] => [`f${i}.prj`, 'x']),
    )

    const error = await rejection(extractZip(zip, dest, limits({ maxEntries: 5 })))

    expect(error).toBeInstanceOf(TooLarge)
    expect(error.message).toContain('entries.zip')
    expect(error.message).toContain('6')
    expect(await readdir(dest)).toEqual([])
    // The same zip is fine under a limit it fits.
    expect(await extractZip(zip, dest, limits({ maxEntries: 6 }))).toHaveLength(6)
  })

  it('refuses two entries with the same name instead of overwriting', async () => {
    const zip = await writeRawZip('dup.zip', [
      { name: 'thua.shp', data: Buffer.from('one') },
      { name: 'thua.shp', data: Buffer.from('two') },
    ])

    const error = await rejection(extractZip(zip, dest, limits()))

    expect(error).toBeInstanceOf(Invalid)
    expect(await readdir(dest)).toEqual([])
  })

  it('keeps what destDir held before a failed extraction', async () => {
    await writeFile(path.join(dest, 'da-co.geojson'), '{}')
    const zip = await writeRawZip('slip.zip', [
      { name: 'thua.shp', data: Buffer.from('x') },
      { name: '../evil.shp', data: Buffer.from('y') },
    ])

    await expect(extractZip(zip, dest, limits())).rejects.toBeInstanceOf(Invalid)

    expect(await readdir(dest)).toEqual(['da-co.geojson'])
  })

  it('says when a file is not a zip at all', async () => {
    const file = path.join(work, 'thua.zip')
    await writeFile(file, 'this is a shapefile, honest')

    const error = await rejection(extractZip(file, dest, limits()))

    expect(error).toBeInstanceOf(Invalid)
    expect(error.message).toContain('thua.zip')
  })
})
