/**
 * VNI-Windows (bảng mã VNI) decode/encode. iconv-lite has no VNI codec; the table is in
 * vni-table.ts. Decoding is greedy longest match: a base byte plus mark byte is tried
 * before reading either byte alone.
 */
import { cp1252Char } from './cp1252.js'
import { VNI_TABLE } from './vni-table.js'

const PAIRS = new Map<number, string>() // (base << 8 | mark) → letter
const SINGLES = new Map<number, string>() // high byte → letter
const CHAR_TO_BYTES = new Map<string, readonly number[]>()

const UPPER_MARKS = new Set<number>()
const LOWER_MARKS = new Set<number>()

for (const [char, bytes] of VNI_TABLE) {
  CHAR_TO_BYTES.set(char, bytes)
  const [first, mark] = bytes
  if (first === undefined) continue
  if (mark === undefined) SINGLES.set(first, char)
  else {
    PAIRS.set((first << 8) | mark, char)
    ;(char === char.toUpperCase() ? UPPER_MARKS : LOWER_MARKS).add(mark)
  }
}

// Capital and lowercase mark bytes differ by 0x20 (Ù 0xD9 / ù 0xF9 for the acute). Text typed
// with Caps Lock or edited later sometimes pairs a base with the other case's mark; read the
// mark for its meaning and keep the base letter's case. Strict pairs are never overwritten.
for (const [key, char] of [...PAIRS]) {
  const base = key >> 8
  const mark = key & 0xff
  const otherMark = UPPER_MARKS.has(mark) ? mark + 0x20 : mark - 0x20
  const otherKey = (base << 8) | otherMark
  if (!PAIRS.has(otherKey)) PAIRS.set(otherKey, char)
}

/** True for bytes that only ever follow a base letter (exported for the table tests). */
export function isVniMarkByte(byte: number): boolean {
  return UPPER_MARKS.has(byte) || LOWER_MARKS.has(byte)
}

/**
 * Decodes VNI bytes to NFC text. Bytes that are not part of a VNI letter are read as the
 * Western glyph the VNI fonts show there; with `strict` (used by detection and residue
 * repair) they become U+FFFD, because genuine VNI text never has a lone mark byte.
 */
export function decodeVni(bytes: Uint8Array, options: { strict?: boolean } = {}): string {
  let text = ''
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] as number
    const next = bytes[i + 1]
    const pair = next === undefined ? undefined : PAIRS.get((byte << 8) | next)
    if (pair !== undefined) {
      text += pair
      i++
    } else if (byte < 0x80) {
      text += String.fromCharCode(byte)
    } else {
      text += SINGLES.get(byte) ?? (options.strict ? '\uFFFD' : cp1252Char(byte))
    }
  }
  return text.normalize('NFC')
}

/** Encodes NFC text; characters VNI cannot represent become '?'. */
export function encodeVni(text: string): Buffer {
  const bytes: number[] = []
  for (const char of text.normalize('NFC')) {
    const code = char.codePointAt(0) ?? 0x3f
    if (code < 0x80) bytes.push(code)
    else bytes.push(...(CHAR_TO_BYTES.get(char) ?? [0x3f]))
  }
  return Buffer.from(bytes)
}
