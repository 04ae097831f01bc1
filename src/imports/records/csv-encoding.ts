/**
 * The text encoding of a CSV file (bảng mã của tệp CSV): UTF-16 by its byte-order mark (or
 * its zero bytes, as some exports write it without one), UTF-8 when the bytes are valid
 * UTF-8, otherwise the legacy Vietnamese encoding (TCVN3, VNI, Windows-1258) whose decoding
 * reads as Vietnamese. Decoding is streamed in whole lines, so a VNI or Windows-1258 letter
 * and its tone mark are never cut apart between two chunks.
 */
import { decode, detectEncoding, type VietEncoding } from '../encoding/index.js'

export type CsvEncoding = VietEncoding | 'utf16le' | 'utf16be'

export interface CsvEncodingChoice {
  encoding: CsvEncoding
  /** Bytes of byte-order mark to skip. */
  bomLength: number
  how: 'bom' | 'zero-bytes' | 'valid-utf8' | 'detected'
  /** 0–1 for a detected legacy encoding; 1 otherwise. */
  confidence: number
}

const FATAL_UTF8 = new TextDecoder('utf-8', { fatal: true })

/** `sample` is the start of the file; `whole` says whether it is all of it. */
export function chooseCsvEncoding(sample: Buffer, whole: boolean): CsvEncodingChoice {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return { encoding: 'utf8', bomLength: 3, how: 'bom', confidence: 1 }
  if (sample[0] === 0xff && sample[1] === 0xfe) return { encoding: 'utf16le', bomLength: 2, how: 'bom', confidence: 1 }
  if (sample[0] === 0xfe && sample[1] === 0xff) return { encoding: 'utf16be', bomLength: 2, how: 'bom', confidence: 1 }
  const zeros = utf16ByZeros(sample)
  if (zeros) return { encoding: zeros, bomLength: 0, how: 'zero-bytes', confidence: 1 }
  // Only whole lines are judged: a sample cut inside a UTF-8 letter is not invalid UTF-8.
  const lines = whole ? sample : sample.subarray(0, sample.lastIndexOf(0x0a) + 1 || sample.length)
  try {
    FATAL_UTF8.decode(lines)
    return { encoding: 'utf8', bomLength: 0, how: 'valid-utf8', confidence: 1 }
  } catch {
    // Not UTF-8: one of the 8-bit Vietnamese encodings.
  }
  const samples = splitLines(lines).filter((line) => line.some((byte) => byte >= 0x80))
  const detected = detectEncoding(samples.slice(0, 2000))
  return { encoding: detected.encoding, bomLength: 0, how: 'detected', confidence: detected.confidence }
}

/** UTF-16 text of mostly ASCII letters has a zero in every other byte. */
function utf16ByZeros(sample: Buffer): 'utf16le' | 'utf16be' | null {
  const n = Math.min(sample.length, 4096) & ~1
  if (n < 4) return null
  let evenZeros = 0
  let oddZeros = 0
  for (let i = 0; i < n; i += 2) {
    if (sample[i] === 0) evenZeros++
    if (sample[i + 1] === 0) oddZeros++
  }
  const pairs = n / 2
  if (oddZeros > pairs * 0.3 && evenZeros < pairs * 0.05) return 'utf16le'
  if (evenZeros > pairs * 0.3 && oddZeros < pairs * 0.05) return 'utf16be'
  return null
}

function splitLines(bytes: Buffer): Buffer[] {
  const lines: Buffer[] = []
  let start = 0
  for (let i = bytes.indexOf(0x0a); i >= 0; i = bytes.indexOf(0x0a, start)) {
    lines.push(bytes.subarray(start, i))
    start = i + 1
  }
  if (start < bytes.length) lines.push(bytes.subarray(start))
  return lines
}

/** Decodes a byte stream to NFC text, chunk by chunk, cutting only after a line break. */
export async function* decodeLines(chunks: AsyncIterable<Buffer> | Iterable<Buffer>, choice: CsvEncodingChoice): AsyncGenerator<string> {
  const width = choice.encoding === 'utf16le' || choice.encoding === 'utf16be' ? 2 : 1
  let pending: Buffer = Buffer.alloc(0)
  let skip = choice.bomLength
  for await (const chunk of chunks) {
    let bytes: Buffer = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk
    if (skip > 0) {
      const skipped = Math.min(skip, bytes.length)
      bytes = bytes.subarray(skipped)
      skip -= skipped
    }
    const cut = lastLineEnd(bytes, choice.encoding)
    pending = bytes.subarray(cut)
    if (cut > 0) yield decodeText(bytes.subarray(0, cut), choice.encoding)
    // A file without line breaks still has to move on.
    if (pending.length > (1 << 24)) {
      const even = pending.length - (pending.length % width)
      yield decodeText(pending.subarray(0, even), choice.encoding)
      pending = pending.subarray(even)
    }
  }
  if (pending.length > 0) yield decodeText(pending, choice.encoding)
}

/** Offset just after the last line feed (aligned for UTF-16), 0 when there is none. */
function lastLineEnd(bytes: Buffer, encoding: CsvEncoding): number {
  if (encoding === 'utf16le' || encoding === 'utf16be') {
    const [lf, zero] = encoding === 'utf16le' ? [0, 1] : [1, 0]
    for (let i = (bytes.length & ~1) - 2; i >= 0; i -= 2) if (bytes[i + lf] === 0x0a && bytes[i + zero] === 0) return i + 2
    return 0
  }
  return bytes.lastIndexOf(0x0a) + 1
}

function decodeText(bytes: Buffer, encoding: CsvEncoding): string {
  if (encoding === 'utf16le' || encoding === 'utf16be') {
    const text = new TextDecoder(encoding === 'utf16le' ? 'utf-16le' : 'utf-16be').decode(bytes)
    return text.normalize('NFC')
  }
  return decode(bytes, encoding)
}
