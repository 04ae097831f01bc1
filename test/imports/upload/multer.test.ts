import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import express, { type Express } from 'express'
import request from 'supertest'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { problemHandler } from '../../../src/http/problem.js'
import {
  createUploadMiddleware,
  defaultUploadLimits,
  removeUploadDir,
  uploadDirOf,
  type UploadLimits,
} from '../../../src/imports/upload/index.js'
import { sanitizeFileName } from '../../../src/imports/upload/multer.js'

let work: string
let tmpRoot: string

beforeEach(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'landbook-multer-'))
  tmpRoot = path.join(work, 'uploads')
})

afterEach(async () => {
  await rm(work, { recursive: true, force: true })
})

function appWith(overrides: Partial<UploadLimits> = {}): Express {
  const app = express()
  app.post('/upload', createUploadMiddleware(tmpRoot, { ...defaultUploadLimits, ...overrides }), (req, res) => {
    const files = req.files as Express.Multer.File[]
    res.json({ dir: uploadDirOf(req), files: files.map((f) => ({ name: f.filename, path: f.path, size: f.size })) })
  })
  app.delete('/upload', createUploadMiddleware(tmpRoot, defaultUploadLimits), async (req, res) => {
    await removeUploadDir(req)
    res.json({ dir: uploadDirOf(req) ?? null })
  })
  app.use(problemHandler)
  return app
}

interface Part {
  field?: string
  filename: string
  content: Buffer | string
}

/**
 * A multipart body written by hand: form-data (under supertest) strips folders from file names
 * itself, and the point here is what the server does with the names a client may send.
 */
function multipart(parts: Part[]): { body: Buffer; contentType: string } {
  const boundary = `----landbook${randomBytes(8).toString('hex')}`
  const chunks: Buffer[] = []
  for (const part of parts) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\n` +
          `Content-Disposition: form-data; name="${part.field ?? 'files'}"; filename="${part.filename}"\r\n` +
          'Content-Type: application/octet-stream\r\n\r\n',
        'utf8',
      ),
      Buffer.from(part.content),
      Buffer.from('\r\n'),
    )
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`))
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` }
}

function post(app: Express, parts: Part[]) {
  const { body, contentType } = multipart(parts)
  return request(app).post('/upload').set('content-type', contentType).send(body)
}

describe('createUploadMiddleware', () => {
  it('stores the files on disk under their sanitised names in a fresh folder', async () => {
    const res = await post(appWith(), [
      { filename: '../../x.shp', content: 'shp-bytes' },
      { filename: 'Thửa đất.dbf', content: 'dbf-bytes' },
      { filename: 'C:\\Users\\gis\\Ranh giới.prj', content: 'prj' },
    ])

    expect(res.status).toBe(200)
    const dir: string = res.body.dir
    expect(path.dirname(dir)).toBe(tmpRoot)
    expect(res.body.files.map((f: { name: string }) => f.name)).toEqual(['x.shp', 'Thửa đất.dbf', 'Ranh giới.prj'])
    expect((await readdir(dir)).sort()).toEqual(['Ranh giới.prj', 'Thửa đất.dbf', 'x.shp'])
    expect(await readFile(path.join(dir, 'Thửa đất.dbf'), 'utf8')).toBe('dbf-bytes')
    expect(res.body.files[0].size).toBe('shp-bytes'.length)
    // Nothing escaped the request's folder.
    expect(await readdir(tmpRoot)).toEqual([path.basename(dir)])
    expect(existsSync(path.join(work, 'x.shp'))).toBe(false)
  })

  it('gives each request its own folder', async () => {
    const app = appWith()
    const a = await post(app, [{ filename: 'thua.shp', content: 'a' }])
    const b = await post(app, [{ filename: 'thua.shp', content: 'b' }])

    expect(a.body.dir).not.toBe(b.body.dir)
    expect(await readFile(path.join(a.body.dir, 'thua.shp'), 'utf8')).toBe('a')
  })

  it('answers 413 for a file over maxFileBytes, naming it, and leaves nothing behind', async () => {
    const res = await post(appWith({ maxFileBytes: 1024 }), [
      { filename: 'nho.prj', content: 'small' },
      { filename: 'Thửa đất.shp', content: randomBytes(5 * 1024) },
    ])

    expect(res.status).toBe(413)
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/)
    expect(res.body.title).toBe('Tệp quá lớn (payload too large)')
    expect(res.body.detail).toContain('"Thửa đất.shp"')
    expect(res.body.detail).toContain('1 KB')
    expect(res.body.file).toBe('Thửa đất.shp')
    expect(await readdir(tmpRoot)).toEqual([])
  })

  it('answers 413 when the files together pass maxTotalBytes, and leaves nothing behind', async () => {
    const res = await post(appWith({ maxFileBytes: 10 * 1024, maxTotalBytes: 12 * 1024 }), [
      { filename: 'a.shp', content: randomBytes(8 * 1024) },
      { filename: 'a.dbf', content: randomBytes(8 * 1024) },
    ])

    expect(res.status).toBe(413)
    expect(res.body.detail).toContain('12 KB')
    expect(await readdir(tmpRoot)).toEqual([])
  })

  it('accepts files exactly at the limits', async () => {
    const res = await post(appWith({ maxFileBytes: 1024, maxTotalBytes: 2048 }), [
      { filename: 'a.shp', content: randomBytes(1024) },
      { filename: 'a.dbf', content: randomBytes(1024) },
    ])

    expect(res.status).toBe(200)
  })

  it('refuses two files that end up with the same name', async () => {
    const res = await post(appWith(), [
      { filename: 'xa-a/thua.shp', content: 'a' },
      { filename: 'xa-b/THUA.shp', content: 'b' },
    ])

    expect(res.status).toBe(400)
    expect(res.body.detail).toContain('THUA.shp')
    expect(await readdir(tmpRoot)).toEqual([])
  })

  it('refuses an upload without files, or with files in another field', async () => {
    const empty = await request(appWith()).post('/upload').field('note', 'không có tệp')
    expect(empty.status).toBe(400)
    expect(empty.body.field).toBe('files')

    const wrongField = await post(appWith(), [{ field: 'file', filename: 'thua.shp', content: 'a' }])
    expect(wrongField.status).toBe(400)
    expect(wrongField.body.detail).toContain('"files"')
    expect(await readdir(tmpRoot)).toEqual([])
  })

  it('removes the folder through removeUploadDir', async () => {
    const { body, contentType } = multipart([{ filename: 'thua.shp', content: 'a' }])
    const res = await request(appWith()).delete('/upload').set('content-type', contentType).send(body)

    expect(res.status).toBe(200)
    expect(res.body.dir).toBeNull()
    expect(await readdir(tmpRoot)).toEqual([])
  })
})

describe('sanitizeFileName', () => {
  it.each([
    ['../../x.shp', 'x.shp'],
    ['..\\..\\x.shp', 'x.shp'],
    ['/etc/passwd', 'passwd'],
    ['C:\\Users\\gis\\Thửa đất.shp', 'Thửa đất.shp'],
    ['thua\u0000.shp', 'thua.shp'],
    ['thua\r\n.dbf', 'thua.dbf'],
    ['bao-cao\u202Efdp.shp', 'bao-caofdp.shp'],
    ['Xa\u0303 Ia Grai.geojson', 'Xã Ia Grai.geojson'],
    ['Đắk Đoa.dbf', 'Đắk Đoa.dbf'],
    ['a:b?.prj', 'a_b_.prj'],
    ['..', 'tep-tai-len'],
    ['', 'tep-tai-len'],
    ['thua.shp. . ', 'thua.shp'],
  ])('%j → %j', (input, expected) => {
    expect(sanitizeFileName(input)).toBe(expected)
  })

  it('shortens very long names and keeps the extension', () => {
    const name = sanitizeFileName(`${'Thửa'.repeat(100)}.shp`)
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(200)
    expect(name.endsWith('.shp')).toBe(true)
  })
})
