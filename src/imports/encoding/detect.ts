/**
 * Encoding detection (nhận dạng bảng mã) for files without a usable `.cpg`: decode the samples
 * with each candidate and keep the one whose words read as Vietnamese syllables.
 */
import { VIET_ENCODINGS, decode, type VietEncoding } from './codec.js'
import { commonSyllableShareOf, nonAsciiWords, syllableScoreOf, VIETNAMESE_LETTERS } from './syllable.js'
import { decodeTcvn3 } from './tcvn3.js'
import { decodeVni } from './vni.js'

export interface EncodingDetection {
  encoding: VietEncoding
  /** 0–1: how far the winner's score stands above the best decoding that reads differently. */
  confidence: number
  /** Per encoding, 0–1: share of non-ASCII words that are valid syllables (0 = ruled out). */
  scores: Record<VietEncoding, number>
  /** Every byte was ASCII: all four encodings give the same text, so 'utf8' is exact. */
  asciiOnly: boolean
}

const FATAL_UTF8 = new TextDecoder('utf-8', { fatal: true })

/**
 * Valid UTF-8, forgiving one cut-off character at the end: DBF character fields are fixed
 * width, and writers that count bytes slice multi-byte characters in half.
 */
function isValidUtf8(sample: Buffer): boolean {
  let end = sample.length
  while (end > 0 && (sample[end - 1] === 0x20 || sample[end - 1] === 0x00)) end--
  // Find the lead byte of the last character; drop it if its continuation bytes are missing.
  let lead = end - 1
  while (lead > 0 && end - lead < 4 && ((sample[lead] as number) & 0xc0) === 0x80) lead--
  const leadByte = sample[lead] ?? 0
  const expected = leadByte >= 0xf0 ? 4 : leadByte >= 0xe0 ? 3 : leadByte >= 0xc0 ? 2 : 1
  if (lead >= 0 && lead + expected > end) end = lead
  try {
    FATAL_UTF8.decode(sample.subarray(0, end))
    return true
  } catch {
    return false
  }
}

/**
 * The text each candidate gives, for scoring. TCVN3 and VNI are decoded strictly: bytes a real
 * file in that encoding never contains become U+FFFD instead of borrowing a letter.
 */
function decodeForScoring(sample: Buffer, encoding: VietEncoding): string {
  if (encoding === 'tcvn3') return decodeTcvn3(sample, { strict: true })
  if (encoding === 'vni') return decodeVni(sample, { strict: true })
  return decode(sample, encoding)
}

function hasVietnameseLetter(text: string): boolean {
  for (const char of text) if (char.charCodeAt(0) >= 0x80 && VIETNAMESE_LETTERS.has(char)) return true
  return false
}

export function detectEncoding(samples: Buffer[]): EncodingDetection {
  const scores = { utf8: 0, tcvn3: 0, vni: 0, cp1258: 0 } satisfies Record<VietEncoding, number>

  if (samples.every((sample) => sample.every((byte) => byte < 0x80))) {
    for (const encoding of VIET_ENCODINGS) scores[encoding] = 1
    return { encoding: 'utf8', confidence: 1, scores, asciiOnly: true }
  }

  const texts = {} as Record<VietEncoding, string[]>
  // Each decoding's words are split out once, for the score and for the tie-break below.
  const evidence = {} as Record<VietEncoding, string[]>
  for (const encoding of VIET_ENCODINGS) {
    texts[encoding] = samples.map((sample) => decodeForScoring(sample, encoding))
    evidence[encoding] = nonAsciiWords(texts[encoding])
    scores[encoding] = syllableScoreOf(evidence[encoding]).score
  }

  // Legacy bytes almost never form valid UTF-8 that spells Vietnamese letters (those need
  // lead bytes C3–C6 or E1 followed by 80–BF), so such input is UTF-8 whatever its words.
  const utf8Valid = samples.every(isValidUtf8)
  if (!utf8Valid) scores.utf8 = 0
  else if (texts.utf8.some(hasVietnameseLetter)) scores.utf8 = 0.5 + scores.utf8 / 2
  const candidates = VIET_ENCODINGS.filter((encoding) => encoding !== 'utf8' || utf8Valid)

  // Highest score wins. Between equal scores (a lone short name can be valid in two
  // encodings) the decoding made of more common name syllables wins, then VIET_ENCODINGS
  // order, so the answer is deterministic; confidence stays 0 for such a tie.
  const common = {} as Record<VietEncoding, number>
  for (const encoding of VIET_ENCODINGS) common[encoding] = commonSyllableShareOf(evidence[encoding])
  let best = candidates[0] as VietEncoding
  for (const encoding of candidates) {
    const better = scores[encoding] > scores[best]
    const tieButMoreCommon = scores[encoding] === scores[best] && common[encoding] > common[best]
    if (better || tieButMoreCommon) best = encoding
  }

  // Encodings that decode to the same text as the winner are not rivals.
  const winnerText = texts[best].join('\n')
  let rival = 0
  for (const encoding of VIET_ENCODINGS) {
    if (encoding !== best && texts[encoding].join('\n') !== winnerText) rival = Math.max(rival, scores[encoding])
  }
  const confidence = Math.min(1, Math.max(0, scores[best] - rival))
  return { encoding: best, confidence, scores, asciiOnly: false }
}
