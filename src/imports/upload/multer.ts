/**
 * Receiving uploaded map files (tệp bản đồ tải lên) over HTTP. Files of the form field `files`
 * stream straight to disk, into a fresh folder per request under a temporary root, under their
 * client names reduced to a safe base name (Vietnamese letters kept). Per-file and per-request
 * size limits end the upload with `TooLarge`; whatever was written is then removed.
 * The route that uses the middleware owns the folder afterwards: `removeUploadDir` when done.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import path from 'node:path'
import { Transform } from 'node:stream'
import type { Request, RequestHandler, Response } from 'express'
import multer from 'multer'
import { AppError, Invalid, TooLarge } from '../../errors.js'
import { formatSize, type UploadLimits } from './limits.js'

/** The multipart form field that carries the files. */
export const UPLOAD_FIELD = 'files'

const uploadDirs = new WeakMap<Request, string>()

/**
 * Middleware that stores the request's files (field `files`, any number) under a fresh folder
 * in `tmpRoot`; afterwards `req.files` lists them and `uploadDirOf(req)` names the folder.
 * Fails with `Invalid` when no file was sent, `TooLarge` over the limits.
 */
export function createUploadMiddleware(tmpRoot: string, limits: UploadLimits): RequestHandler {
  return (req, res, next) => {
    receive(req, res, tmpRoot, limits).then(() => next(), next)
  }
}

/** The folder holding this request's uploaded files, if the upload middleware ran and succeeded. */
export function uploadDirOf(req: Request): string | undefined {
  return uploadDirs.get(req)
}

/** Removes the request's upload folder and everything in it; safe to call more than once. */
export async function removeUploadDir(req: Request): Promise<void> {
  const dir = uploadDirs.get(req)
  if (dir === undefined) return
  uploadDirs.delete(req)
  await rm(dir, { recursive: true, force: true })
}

async function receive(req: Request, res: Response, tmpRoot: string, limits: UploadLimits): Promise<void> {
  await mkdir(tmpRoot, { recursive: true })
  const dir = await mkdtemp(path.join(tmpRoot, 'upload-'))
  try {
    await runMulter(req, res, dir, limits)
    const files = Array.isArray(req.files) ? req.files : []
    if (files.length === 0) {
      throw new Invalid(
        `Chưa có tệp nào được tải lên trong trường "${UPLOAD_FIELD}" (no files uploaded in form field "${UPLOAD_FIELD}")`,
        { field: UPLOAD_FIELD },
      )
    }
    uploadDirs.set(req, dir)
  } catch (error) {
    // Multer removes the files it finished; partial files of an aborted upload are removed here.
    await rm(dir, { recursive: true, force: true })
    throw asUploadError(error, limits)
  }
}

function runMulter(req: Request, res: Response, dir: string, limits: UploadLimits): Promise<void> {
  const takenNames = new Set<string>()
  const disk = multer.diskStorage({
    destination: dir,
    filename: (_req, file, cb) => {
      const name = sanitizeFileName(file.originalname)
      // A folder upload can hold `a/thua.shp` and `b/thua.shp`; both become `thua.shp` here, and
      // silently keeping one would pair the wrong .dbf with the wrong .shp. Windows treats names
      // case-insensitively, so the delivery's author did too.
      const key = name.toLowerCase()
      if (takenNames.has(key)) {
        return cb(
          new Invalid(
            `Tệp "${name}" được tải lên hai lần; hãy nén các thư mục thành tệp .zip để giữ cấu trúc ` +
              `(file "${name}" was uploaded twice; zip the folders to keep them apart)`,
            { file: name },
          ),
          '',
        )
      }
      takenNames.add(key)
      cb(null, name)
    },
  })
  const upload = multer({
    storage: withTotalLimit(disk, limits),
    limits: {
      fileSize: Number.isFinite(limits.maxFileBytes) ? limits.maxFileBytes : undefined,
      files: limits.maxEntries,
      fields: 100,
    },
    // Browsers send the raw UTF-8 bytes of the file name; busboy's default would read them as latin1.
    defParamCharset: 'utf8',
  }).array(UPLOAD_FIELD)
  return new Promise((resolve, reject) => {
    upload(req, res, (error?: unknown) => (error ? reject(error) : resolve()))
  })
}

/**
 * Wraps a storage engine so the bytes of all files of one request are counted as they stream,
 * and the upload fails once they pass `maxTotalBytes`. multer's `limits` only know single files.
 */
function withTotalLimit(inner: multer.StorageEngine, limits: UploadLimits): multer.StorageEngine {
  let total = 0
  return {
    _handleFile(req, file, cb) {
      const source = file.stream
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          total += chunk.length
          if (total > limits.maxTotalBytes) {
            return done(
              new TooLarge(
                `Tổng dung lượng tải lên vượt quá ${formatSize(limits.maxTotalBytes)} (dừng ở tệp "${file.originalname}") ` +
                  `(upload exceeds the total limit of ${formatSize(limits.maxTotalBytes)})`,
                { file: sanitizeFileName(file.originalname) },
                { limitBytes: limits.maxTotalBytes },
              ),
            )
          }
          done(null, chunk)
        },
      })
      // An error on the incoming part must end the write too, or multer waits for it forever.
      source.once('error', (error) => counter.destroy(error))
      source.pipe(counter)
      // The storage contract hands the data over as `file.stream`; multer defines it configurable.
      Object.defineProperty(file, 'stream', { value: counter, configurable: true, enumerable: false })
      inner._handleFile(req, file, cb)
    },
    _removeFile(req, file, cb) {
      inner._removeFile(req, file, cb)
    },
  }
}

/**
 * The base name of a client-supplied file name: no folders (either slash), no control or
 * bidirectional-override characters, none of the characters Windows forbids, NFC, at most
 * 200 bytes. Vietnamese letters and spaces are kept.
 */
export function sanitizeFileName(original: string): string {
  const base = original.split(/[/\\]/).pop() ?? ''
  let name = base
    .normalize('NFC')
    .replace(/[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu, '')
    .replace(/[<>:"|?*]/g, '_')
    .trim()
    .replace(/[. ]+$/, '')
  if (name === '' || /^\.+$/.test(name)) name = 'tep-tai-len'
  return truncateUtf8(name, 200)
}

/** Shortens the stem, keeping the extension, until the name fits in `maxBytes` of UTF-8. */
function truncateUtf8(name: string, maxBytes: number): string {
  if (Buffer.byteLength(name) <= maxBytes) return name
  const ext = path.extname(name).slice(0, 20)
  const chars = Array.from(name.slice(0, name.length - ext.length))
  while (chars.length > 0 && Buffer.byteLength(chars.join('') + ext) > maxBytes) chars.pop()
  return chars.join('') + ext
}

/** multer's and busboy's errors as the clerk should read them; disk errors pass unchanged. */
function asUploadError(error: unknown, limits: UploadLimits): unknown {
  if (error instanceof AppError) return error
  if (error instanceof multer.MulterError) {
    // multer 2 names the offending file; its types do not say so yet.
    const filename = (error as { filename?: string }).filename
    const file = filename === undefined ? undefined : sanitizeFileName(filename)
    switch (error.code) {
      case 'LIMIT_FILE_SIZE':
        return new TooLarge(
          `Tệp "${file}" vượt quá giới hạn ${formatSize(limits.maxFileBytes)} cho mỗi tệp ` +
            `(file "${file}" exceeds the per-file limit of ${formatSize(limits.maxFileBytes)})`,
          { file },
          { limitBytes: limits.maxFileBytes },
        )
      case 'LIMIT_FILE_COUNT':
        return new TooLarge(
          `Tải lên quá ${limits.maxEntries.toLocaleString('vi-VN')} tệp một lần (more than ${limits.maxEntries} files in one upload)`,
          {},
          { limitFiles: limits.maxEntries },
        )
      case 'LIMIT_UNEXPECTED_FILE':
        return new Invalid(
          `Tệp phải được gửi trong trường "${UPLOAD_FIELD}", không phải "${error.field}" ` +
            `(files must be sent in form field "${UPLOAD_FIELD}", not "${error.field}")`,
          { field: error.field },
        )
      default:
        return new Invalid(`Biểu mẫu tải lên không hợp lệ: ${error.message} (invalid upload form)`, { field: error.field })
    }
  }
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code === 'string' && /^E[A-Z0-9]+$/.test(code)) return error
  // busboy's complaints about a malformed multipart body ("Unexpected end of form", …).
  return new Invalid(
    `Không đọc được dữ liệu tải lên: ${error instanceof Error ? error.message : String(error)} (malformed multipart upload)`,
  )
}
