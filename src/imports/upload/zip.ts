/**
 * Safe zip extraction (giải nén tệp .zip) for uploaded map deliveries. A zip is untrusted input:
 * entry names may try to escape the destination (zip-slip), entries may be symlinks, and a
 * small archive may inflate to fill the disk (zip bomb). Sizes are counted on the bytes actually
 * inflated, never taken from the headers. On any failure everything extracted so far is removed.
 */
import fs from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import path from 'node:path'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import yauzl, { type Entry, type ZipFile } from 'yauzl'
import { AppError, Invalid, TooLarge } from '../../errors.js'
import { formatSize, RATIO_CHECK_MIN_BYTES, type UploadLimits } from './limits.js'

export interface ExtractedZip {
  /** Absolute paths of the files written, in archive order. */
  files: string[]
  /** Bytes written (inflated), summed over all files. */
  bytes: number
}

/** Extracts `zipPath` into `destDir` and returns the absolute paths of the files written. */
export async function extractZip(zipPath: string, destDir: string, limits: UploadLimits): Promise<string[]> {
  return (await extractZipCounted(zipPath, destDir, limits)).files
}

/** As `extractZip`, also returning the bytes written so a caller can budget across archives. */
export async function extractZipCounted(zipPath: string, destDir: string, limits: UploadLimits): Promise<ExtractedZip> {
  const zipName = path.basename(zipPath)
  const root = path.resolve(destDir)
  // What this call created, so a failure removes exactly that and nothing the folder held before.
  const created: string[] = []
  const result: ExtractedZip = { files: [], bytes: 0 }

  const zip = await openZip(zipPath, zipName)
  try {
    if (zip.entryCount > limits.maxEntries) throw tooManyEntries(zipName, zip.entryCount, limits)
    const rootCreated = await mkdir(root, { recursive: true })
    if (rootCreated) created.push(rootCreated)

    let seen = 0
    for await (const entry of zip.eachEntry()) {
      seen += 1
      if (seen > limits.maxEntries) throw tooManyEntries(zipName, seen, limits)
      // yauzl decodes the name per the entry's UTF-8 flag (CP437 otherwise) and its Unicode
      // Path extra field, and turns backslashes into slashes; the checks below are ours.
      const name = yauzl
        .getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, false)
        .normalize('NFC')
      checkEntry(entry, name, zipName)
      if (isIgnored(name)) continue

      const target = path.resolve(root, name)
      if (target !== root && !target.startsWith(root + path.sep)) throw unsafeEntry(zipName, name)
      if (isDirectory(entry, name)) {
        const dirCreated = await mkdir(target, { recursive: true })
        if (dirCreated) created.push(dirCreated)
        continue
      }
      const parentCreated = await mkdir(path.dirname(target), { recursive: true })
      if (parentCreated) created.push(parentCreated)
      created.push(target)
      result.bytes += await writeEntry(zip, entry, target, zipName, name, limits, result.bytes)
      result.files.push(target)
    }
    return result
  } catch (error) {
    // Newest first, so a file is gone before the folder it sits in.
    for (const p of created.reverse()) await rm(p, { recursive: true, force: true })
    throw asZipError(error, zipName)
  } finally {
    zip.close()
  }
}

function openZip(zipPath: string, zipName: string): Promise<ZipFile> {
  // decodeStrings: false so unsafe names reach our own checks (and messages) instead of
  // failing inside yauzl with an English-only error.
  return yauzl.openPromise(zipPath, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true })
    .catch((error: unknown) => {
      if (isFsError(error)) throw error
      throw new Invalid(
        `Tệp ${zipName} không phải tệp .zip hợp lệ: ${messageOf(error)} (not a readable zip file)`,
        { file: zipName },
      )
    })
}

/** Refuses names that would land outside the destination, and entries that are not plain files or folders. */
function checkEntry(entry: Entry, name: string, zipName: string): void {
  const segments = name.split('/')
  if (
    name === '' ||
    name.startsWith('/') ||
    /^[a-zA-Z]:/.test(name) ||
    segments.includes('..') ||
    /\p{Cc}/u.test(name) ||
    yauzl.validateFileName(name) !== null
  ) {
    throw unsafeEntry(zipName, name)
  }
  // Unix file type in the high 16 bits of the external attributes: 0o120000 is a symlink.
  const type = (entry.externalFileAttributes >>> 16) & 0o170000
  if (type !== 0 && type !== 0o100000 && type !== 0o040000) {
    const what = type === 0o120000 ? 'liên kết tượng trưng (symlink)' : 'tệp đặc biệt (special file)'
    throw new Invalid(
      `Tệp ${zipName} chứa mục "${name}" là ${what}; chỉ chấp nhận tệp và thư mục thường ` +
        `(zip entry is a ${type === 0o120000 ? 'symlink' : 'special file'}; only plain files and folders are accepted)`,
      { file: zipName },
      { entry: name },
    )
  }
  if (entry.isEncrypted()) {
    throw new Invalid(
      `Tệp ${zipName} có mật khẩu (mục "${name}"); hãy nén lại không đặt mật khẩu (zip entry is encrypted; re-zip without a password)`,
      { file: zipName },
      { entry: name },
    )
  }
}

/** Files that archivers add on their own and that carry no map data. */
function isIgnored(name: string): boolean {
  const segments = name.split('/').filter((s) => s !== '')
  const base = segments.at(-1) ?? ''
  return segments[0] === '__MACOSX' || base === '.DS_Store' || base.toLowerCase() === 'thumbs.db'
}

function isDirectory(entry: Entry, name: string): boolean {
  // 0x10 is the MS-DOS directory attribute, set by some Windows archivers without a trailing slash.
  return name.endsWith('/') || ((entry.externalFileAttributes & 0x10) !== 0 && entry.uncompressedSize === 0)
}

/** Writes one entry, counting inflated bytes as they pass; returns the bytes written. */
async function writeEntry(
  zip: ZipFile,
  entry: Entry,
  target: string,
  zipName: string,
  name: string,
  limits: UploadLimits,
  bytesBefore: number,
): Promise<number> {
  let written = 0
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      written += chunk.length
      if (written > limits.maxFileBytes) return done(entryTooLarge(zipName, name, limits))
      if (bytesBefore + written > limits.maxTotalBytes) return done(totalTooLarge(zipName, name, limits))
      // compressedSize bounds what yauzl reads from the archive, so the ratio uses real inflated bytes.
      if (written > RATIO_CHECK_MIN_BYTES && written / Math.max(entry.compressedSize, 1) > limits.maxCompressionRatio) {
        return done(ratioTooHigh(zipName, name, limits))
      }
      done(null, chunk)
    },
  })
  const source = await zip.openReadStreamPromise(entry)
  // 'wx': a second entry with the same name must not overwrite the first silently.
  await pipeline(source, counter, fs.createWriteStream(target, { flags: 'wx' }))
  return written
}

function unsafeEntry(zipName: string, name: string): Invalid {
  return new Invalid(
    `Tệp ${zipName} chứa mục có đường dẫn không an toàn "${name}" (đường dẫn tuyệt đối hoặc chứa ".."); ` +
      `tệp nén bị từ chối (zip entry "${name}" has an unsafe path: absolute or containing ".."; the zip was rejected)`,
    { file: zipName },
    { entry: name },
  )
}

function tooManyEntries(zipName: string, count: number, limits: UploadLimits): TooLarge {
  return new TooLarge(
    `Tệp ${zipName} có ${count.toLocaleString('vi-VN')} mục, vượt giới hạn ${limits.maxEntries.toLocaleString('vi-VN')} mục ` +
      `(zip has ${count} entries, more than the limit of ${limits.maxEntries})`,
    { file: zipName },
    { limitEntries: limits.maxEntries },
  )
}

function entryTooLarge(zipName: string, name: string, limits: UploadLimits): TooLarge {
  return new TooLarge(
    `Mục "${name}" trong tệp ${zipName} khi giải nén vượt quá ${formatSize(limits.maxFileBytes)} cho mỗi tệp ` +
      `(zip entry inflates beyond the per-file limit of ${formatSize(limits.maxFileBytes)})`,
    { file: zipName },
    { entry: name, limitBytes: limits.maxFileBytes },
  )
}

function totalTooLarge(zipName: string, name: string, limits: UploadLimits): TooLarge {
  return new TooLarge(
    `Tệp ${zipName} khi giải nén vượt quá tổng ${formatSize(limits.maxTotalBytes)} (dừng ở mục "${name}") ` +
      `(zip inflates beyond the total limit of ${formatSize(limits.maxTotalBytes)}, stopped at entry "${name}")`,
    { file: zipName },
    { entry: name, limitBytes: limits.maxTotalBytes },
  )
}

function ratioTooHigh(zipName: string, name: string, limits: UploadLimits): TooLarge {
  return new TooLarge(
    `Mục "${name}" trong tệp ${zipName} bị nén hơn ${limits.maxCompressionRatio} lần, nghi là "bom zip"; tệp nén bị từ chối ` +
      `(zip entry compresses more than ${limits.maxCompressionRatio}:1, a likely zip bomb; the zip was rejected)`,
    { file: zipName },
    { entry: name, limitRatio: limits.maxCompressionRatio },
  )
}

/** Our own errors pass through; a broken archive becomes Invalid; disk and system errors stay as they are. */
function asZipError(error: unknown, zipName: string): unknown {
  if (error instanceof AppError) return error
  const code = (error as { code?: unknown } | null)?.code
  if (code === 'EEXIST' || code === 'ENOTDIR' || code === 'EISDIR' || code === 'ENAMETOOLONG') {
    return new Invalid(
      `Tệp ${zipName} chứa hai mục trùng tên hoặc tên quá dài: ${messageOf(error)} ` +
        `(zip holds entries whose names clash or are too long)`,
      { file: zipName },
    )
  }
  if (isFsError(error)) return error
  return new Invalid(
    `Tệp ${zipName} bị hỏng hoặc không đọc được: ${messageOf(error)} (corrupt or unreadable zip)`,
    { file: zipName },
  )
}

/** Errors from the file system (ENOSPC, EACCES, …), as opposed to yauzl's and zlib's complaints about the archive. */
function isFsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  // errno-style codes only: Node's own ERR_* codes (e.g. a stream closed early) are not disk trouble.
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code)
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
