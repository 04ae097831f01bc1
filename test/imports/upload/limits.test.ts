import { describe, expect, it } from 'vitest'
import { uploadLimitsFrom } from '../../../src/imports/upload/index.js'

const GiB = 1024 ** 3

describe('uploadLimitsFrom', () => {
  it('defaults to 2 GiB per file and in total, 10,000 entries, ratio 200', () => {
    expect(uploadLimitsFrom({})).toEqual({
      maxFileBytes: 2 * GiB,
      maxTotalBytes: 2 * GiB,
      maxEntries: 10_000,
      maxCompressionRatio: 200,
    })
  })

  it('reads the byte limits from the environment', () => {
    expect(
      uploadLimitsFrom({ LANDBOOK_UPLOAD_MAX_FILE_BYTES: '1048576', LANDBOOK_UPLOAD_MAX_TOTAL_BYTES: ' 5368709120 ' }),
    ).toMatchObject({ maxFileBytes: 1048576, maxTotalBytes: 5 * GiB })
  })

  it('treats an empty variable as unset', () => {
    expect(uploadLimitsFrom({ LANDBOOK_UPLOAD_MAX_FILE_BYTES: '' }).maxFileBytes).toBe(2 * GiB)
  })

  it.each(['abc', '0', '-5', '1.5', '2GB'])('refuses %j, naming the variable', (value) => {
    expect(() => uploadLimitsFrom({ LANDBOOK_UPLOAD_MAX_TOTAL_BYTES: value })).toThrow(/LANDBOOK_UPLOAD_MAX_TOTAL_BYTES/)
  })
})
