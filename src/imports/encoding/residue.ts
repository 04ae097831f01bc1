/**
 * Repair of legacy-encoding residue (lỗi font) in text that is already Unicode: TCVN3 or VNI
 * bytes that an earlier conversion read as Windows-1252, e.g. "NguyÔn V¨n Thµnh" (TCVN3) or
 * "Töôøng" (VNI). The fix undoes that misreading: back to the cp1252 bytes, then decode them
 * properly. It is applied only when the result is clearly better Vietnamese.
 */
import { toCp1252Bytes } from './cp1252.js'
import { syllableScore, VIETNAMESE_LETTERS } from './syllable.js'
import { decodeTcvn3 } from './tcvn3.js'
import { decodeVni } from './vni.js'

export interface ResidueRepair {
  text: string
  changed: boolean
  from?: 'tcvn3' | 'vni'
  /** Residue-looking characters were present but no single repair was clearly right. */
  ambiguous: boolean
}

// A repair must make most words valid and gain clearly on the text as it stands.
const MIN_REPAIRED_SCORE = 0.75
const MIN_GAIN = 0.4

/** Non-ASCII characters that are not Vietnamese letters: §, ¨, µ, soft hyphen, ö, ø … */
function hasResidueCharacters(text: string): boolean {
  for (const char of text) if (char.charCodeAt(0) >= 0x80 && !VIETNAMESE_LETTERS.has(char)) return true
  return false
}

export function repairResidue(text: string): ResidueRepair {
  const unchanged: ResidueRepair = { text, changed: false, ambiguous: false }
  if (!/[^\x00-\x7f]/.test(text)) return unchanged

  // Text misread through cp1252 consists of cp1252 characters only; anything else (ễ, Đ, ư)
  // means the text was written as Unicode and is not residue of that kind.
  const bytes = toCp1252Bytes(text.normalize('NFC'))
  if (bytes === null) return { ...unchanged, ambiguous: hasResidueCharacters(text) }

  const original = syllableScore([text]).score
  // Strict decoding: a byte the encoding never produces must not count as a letter.
  const candidates = [
    { from: 'tcvn3' as const, text: decodeTcvn3(bytes, { strict: true }) },
    { from: 'vni' as const, text: decodeVni(bytes, { strict: true }) },
  ]
  const winners = candidates.filter((candidate) => {
    if (candidate.text.includes('\uFFFD')) return false
    const score = syllableScore([candidate.text]).score
    return score >= MIN_REPAIRED_SCORE && score - original >= MIN_GAIN
  })

  const [winner, ...others] = winners
  if (winner && others.every((other) => other.text === winner.text)) {
    return { text: winner.text, changed: true, from: winner.from, ambiguous: false }
  }
  return { ...unchanged, ambiguous: winners.length > 1 || hasResidueCharacters(text) }
}
