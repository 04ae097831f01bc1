/**
 * Upload limits (giới hạn tải lên): how much an upload of map files (tệp bản đồ) may hold before
 * it is refused, for the HTTP upload and for zip extraction alike. Read from the environment by
 * a pure function so the app's configuration module can validate it with everything else.
 *
 * Environment variables (document in the README's "Configuration" table):
 * - `LANDBOOK_UPLOAD_MAX_FILE_BYTES`  — largest single file, in bytes, whether uploaded or
 *   extracted from a zip. Default 2147483648 (2 GiB).
 * - `LANDBOOK_UPLOAD_MAX_TOTAL_BYTES` — largest total of one upload, in bytes: the sum of the
 *   uploaded files, and separately the sum of everything extracted from its zip files.
 *   Default 2147483648 (2 GiB).
 * The zip entry count (10,000) and compression ratio (200, checked on entries over 1 MiB)
 * are fixed defaults; callers may still pass other values in code (tests do).
 */
import { z } from 'zod'

export interface UploadLimits {
  /** Largest single file in bytes, uploaded or extracted. */
  maxFileBytes: number
  /** Largest total in bytes of one upload (and, separately, of what its zips extract to). */
  maxTotalBytes: number
  /** Most entries one zip file may hold (folders and ignored entries count). */
  maxEntries: number
  /** Largest inflated/compressed size ratio of one zip entry, for entries over 1 MiB. */
  maxCompressionRatio: number
}

const MiB = 1024 * 1024
const GiB = 1024 * MiB

/** Below this size an entry's compression ratio is not checked: small files of zeros are normal. */
export const RATIO_CHECK_MIN_BYTES = MiB

export const defaultUploadLimits: Readonly<UploadLimits> = Object.freeze({
  maxFileBytes: 2 * GiB,
  maxTotalBytes: 2 * GiB,
  maxEntries: 10_000,
  maxCompressionRatio: 200,
})

const byteCount = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER)

const schema = z.object({
  LANDBOOK_UPLOAD_MAX_FILE_BYTES: byteCount.default(defaultUploadLimits.maxFileBytes),
  LANDBOOK_UPLOAD_MAX_TOTAL_BYTES: byteCount.default(defaultUploadLimits.maxTotalBytes),
})

/** The upload limits named by `env`; unset or empty variables take the defaults. Throws on bad values. */
export function uploadLimitsFrom(env: Record<string, string | undefined>): UploadLimits {
  const present = Object.fromEntries(
    Object.keys(schema.shape)
      .map((key) => [key, env[key]?.trim()] as const)
      .filter(([, value]) => value !== undefined && value !== ''),
  )
  const parsed = schema.safeParse(present)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
    throw new Error(`Invalid configuration: ${problems} (expected a whole number of bytes)`)
  }
  return {
    ...defaultUploadLimits,
    maxFileBytes: parsed.data.LANDBOOK_UPLOAD_MAX_FILE_BYTES,
    maxTotalBytes: parsed.data.LANDBOOK_UPLOAD_MAX_TOTAL_BYTES,
  }
}

/** A size for a clerk's message: MB (or KB below 1 MB), in Vietnamese number format. */
export function formatSize(bytes: number): string {
  const [value, unit] = bytes >= MiB ? [bytes / MiB, 'MB'] : [bytes / 1024, 'KB']
  return `${value.toLocaleString('vi-VN', { maximumFractionDigits: 1 })} ${unit}`
}
