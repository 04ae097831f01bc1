/**
 * Windows-1258 (bảng mã Windows-1258): Vietnamese as base letters (including the
 * precomposed â ê ô ơ ư ă đ and the Latin-1 letters such as á è) plus five combining
 * tone marks at 0xCC (grave), 0xD2 (hook), 0xDE (tilde), 0xEC (acute), 0xF2 (dot below).
 * Decoding is iconv-lite's `windows1258` followed by NFC, which composes base + tone.
 */
import iconv from 'iconv-lite'

const TONE_MARKS = new Set(['\u0300', '\u0301', '\u0303', '\u0309', '\u0323'])

/** Every character cp1258 has a byte for (U+FFFD marks its five unassigned bytes). */
const REPRESENTABLE = new Set<string>()
for (let byte = 0; byte < 256; byte++) {
  const char = iconv.decode(Buffer.from([byte]), 'windows1258')
  if (char !== '\uFFFD') REPRESENTABLE.add(char)
}

export function decodeCp1258(bytes: Uint8Array): string {
  return iconv.decode(Buffer.from(bytes), 'windows1258').normalize('NFC')
}

/**
 * Rewrites NFC text into characters cp1258 has: a letter cp1258 holds whole (á, â, ơ) stays,
 * otherwise it becomes its toneless base (ấ → â) plus the combining tone mark. This is how
 * Windows itself converts to code page 1258.
 */
function toCp1258Form(text: string): string {
  let out = ''
  for (const char of text.normalize('NFC')) {
    if (REPRESENTABLE.has(char)) {
      out += char
      continue
    }
    // NFD orders marks canonically (dot below before circumflex, horn before acute), so
    // dropping the tone and recomposing gives the base letter cp1258 stores.
    const parts = [...char.normalize('NFD')]
    const tones = parts.filter((part) => TONE_MARKS.has(part))
    const base = parts.filter((part) => !TONE_MARKS.has(part)).join('').normalize('NFC')
    out += tones.length === 1 && REPRESENTABLE.has(base) ? base + tones[0] : char
  }
  return out
}

/** Encodes NFC text; characters cp1258 cannot represent become '?' (iconv-lite's default). */
export function encodeCp1258(text: string): Buffer {
  return iconv.encode(toCp1258Form(text), 'windows1258')
}
