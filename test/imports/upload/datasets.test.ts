import { randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import yazl from 'yazl'
import { TooLarge } from '../../../src/errors.js'
import { collectDatasets, defaultUploadLimits } from '../../../src/imports/upload/index.js'

const MiB = 1024 * 1024

let upload: string

beforeEach(async () => {
  upload = await mkdtemp(path.join(os.tmpdir(), 'landbook-datasets-'))
})

afterEach(async () => {
  await rm(upload, { recursive: true, force: true })
})

async function zipBuffer(entries: Array<[string, string | Buffer]>): Promise<Buffer> {
  const zip = new yazl.ZipFile()
  for (const [name, content] of entries) zip.addBuffer(Buffer.from(content), name)
  zip.end()
  const chunks: Buffer[] = []
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

async function put(rel: string, content: string | Buffer = 'x'): Promise<string> {
  const file = path.join(upload, rel)
  await mkdir(path.dirname(file), { recursive: true })
  await writeFile(file, content)
  return file
}

describe('collectDatasets', () => {
  it('finds two shapefile sets in sub-folders and a GeoJSON inside an uploaded zip', async () => {
    await put(
      'giao-nop.zip',
      await zipBuffer([
        ['Xã Ia Grai/Thửa đất.shp', 'shp'],
        ['Xã Ia Grai/Thửa đất.shx', 'shx'],
        ['Xã Ia Grai/Thửa đất.dbf', 'dbf'],
        ['Xã Ia Grai/Thửa đất.prj', 'prj'],
        ['Xa Ia Dom/thua.shp', 'shp'],
        ['Xa Ia Dom/thua.dbf', 'dbf'],
        ['Xa Ia Dom/thua.cpg', 'UTF-8'],
        ['ranh-gioi.geojson', '{}'],
        ['__MACOSX/Xa Ia Dom/._thua.shp', 'apple'],
      ]),
    )

    const { datasets, orphans } = await collectDatasets(upload)

    const root = path.join(upload, 'giao-nop')
    expect(orphans).toEqual([])
    expect(datasets).toEqual([
      { kind: 'geojson', name: 'giao-nop/ranh-gioi', path: path.join(root, 'ranh-gioi.geojson') },
      {
        kind: 'shapefile',
        name: 'giao-nop/Xa Ia Dom/thua',
        shp: path.join(root, 'Xa Ia Dom', 'thua.shp'),
        dbf: path.join(root, 'Xa Ia Dom', 'thua.dbf'),
        cpg: path.join(root, 'Xa Ia Dom', 'thua.cpg'),
      },
      {
        kind: 'shapefile',
        name: 'giao-nop/Xã Ia Grai/Thửa đất',
        shp: path.join(root, 'Xã Ia Grai', 'Thửa đất.shp'),
        shx: path.join(root, 'Xã Ia Grai', 'Thửa đất.shx'),
        dbf: path.join(root, 'Xã Ia Grai', 'Thửa đất.dbf'),
        prj: path.join(root, 'Xã Ia Grai', 'Thửa đất.prj'),
      },
    ])
    // The archive is replaced by its folder, so a second call finds the same datasets.
    expect(await readdir(upload)).toEqual(['giao-nop'])
    expect((await collectDatasets(upload)).datasets).toEqual(datasets)
  })

  it('matches extensions and base names regardless of letter case', async () => {
    const shp = await put('THUA.SHP')
    const dbf = await put('Thua.Dbf')
    const shx = await put('thua.SHX')
    const prj = await put('thua.PRJ')
    const geojson = await put('Ranh.GeoJSON')

    const { datasets, orphans } = await collectDatasets(upload)

    expect(orphans).toEqual([])
    expect(datasets).toEqual([
      { kind: 'geojson', name: 'Ranh', path: geojson },
      { kind: 'shapefile', name: 'THUA', shp, shx, dbf, prj },
    ])
  })

  it('reports a .dbf, .shx or .prj without its .shp, and files that are not map data', async () => {
    await put('thua.shp')
    await put('thua.dbf')
    await put('dat.dbf')
    await put('xa-b/dat.shx')
    await put('xa-b/Dat.prj')
    await put('bien-ban.pdf')

    const { datasets, orphans } = await collectDatasets(upload)

    expect(datasets.map((d) => d.name)).toEqual(['thua'])
    expect(orphans.map((o) => o.file)).toEqual(['bien-ban.pdf', 'dat.dbf', 'xa-b/Dat.prj', 'xa-b/dat.shx'])
    expect(orphans.find((o) => o.file === 'dat.dbf')?.reason).toContain('dat.shp')
    expect(orphans.find((o) => o.file === 'bien-ban.pdf')?.reason).toContain('not a supported map file')
  })

  it('does not pair files across folders', async () => {
    await put('xa-a/thua.shp')
    await put('xa-b/thua.dbf')

    const { datasets, orphans } = await collectDatasets(upload)

    expect(datasets).toEqual([{ kind: 'shapefile', name: 'xa-a/thua', shp: path.join(upload, 'xa-a', 'thua.shp') }])
    expect(orphans.map((o) => o.file)).toEqual(['xa-b/thua.dbf'])
  })

  it('accepts GIS sidecar files beside a .shp and reports them without one', async () => {
    await put('thua.shp')
    await put('thua.shp.xml')
    await put('thua.sbn')
    await put('ranh.sbx')

    const { datasets, orphans } = await collectDatasets(upload)

    expect(datasets.map((d) => d.name)).toEqual(['thua'])
    expect(orphans.map((o) => o.file)).toEqual(['ranh.sbx'])
  })

  it('extracts loose zips one level deep and reports a zip inside a zip', async () => {
    await put('thua.geojson', '{}')
    await put('xa-a.zip', await zipBuffer([['a.shp', 'shp']]))
    await put('xa-b.zip', await zipBuffer([['b.geojson', '{}'], ['con/trong.zip', await zipBuffer([['c.shp', 'shp']])]]))

    const { datasets, orphans } = await collectDatasets(upload)

    expect(datasets.map((d) => d.name)).toEqual(['thua', 'xa-a/a', 'xa-b/b'])
    expect(orphans).toHaveLength(1)
    expect(orphans[0]?.file).toBe('xa-b/con/trong.zip')
    expect(orphans[0]?.reason).toContain('zip inside a zip')
    expect(await readdir(path.join(upload, 'xa-b', 'con'))).toEqual(['trong.zip'])
  })

  it('extracts a zip beside a folder of the same name into a new folder', async () => {
    await put('xa-a/thua.shp')
    await put('xa-a.zip', await zipBuffer([['thua.shp', 'shp']]))

    const { datasets } = await collectDatasets(upload)

    expect(datasets.map((d) => d.name)).toEqual(['xa-a (2)/thua', 'xa-a/thua'])
  })

  it('applies the total limit across all uploaded zips together', async () => {
    await put('xa-a.zip', await zipBuffer([['a.dbf', randomBytes(6 * MiB)]]))
    await put('xa-b.zip', await zipBuffer([['b.dbf', randomBytes(6 * MiB)]]))

    const error = await collectDatasets(upload, { ...defaultUploadLimits, maxTotalBytes: 10 * MiB }).catch((e: unknown) => e)

    // Each zip alone fits in 10 MB: the second failed on the budget the first one left.
    expect(error).toBeInstanceOf(TooLarge)
    expect((error as TooLarge).message).toContain('xa-b.zip')
    expect((await readdir(upload)).sort()).toEqual(['xa-a', 'xa-b.zip'])
  })
})
