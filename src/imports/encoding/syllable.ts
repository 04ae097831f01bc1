/**
 * Vietnamese syllable (âm tiết) validity: the yardstick detection and residue repair use to
 * tell a right decoding from a wrong one. A wrong decoding leaves symbols, foreign letters,
 * impossible vowel clusters or two tone marks in a word; a right one gives syllables made of
 * an onset, a rhyme (vần) and at most one tone mark.
 */
import { COMMON_SYLLABLES } from './common-syllables.js'

const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/g
const STOP_TONES = new Set(['\u0301', '\u0323']) // sắc, nặng

const ONSETS = [
  'ngh', 'ng', 'nh', 'ch', 'gh', 'gi', 'kh', 'ph', 'qu', 'q', 'th', 'tr',
  'b', 'c', 'd', 'đ', 'g', 'h', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'x',
  // Clusters and letters of Central Highlands place and person names (Krông, Prông, Kbang).
  'bl', 'br', 'dr', 'gr', 'hr', 'kb', 'kl', 'kr', 'pl', 'pr', 'f', 'j', 'w', 'z',
]

// Rhymes written without tone, medial included (oa, uy…). Coda k (Đắk, Lắk) is added below.
const RHYMES = `
  a ai ao au ay ac ach am an ang anh ap at
  ăc ăm ăn ăng ăp ăt
  âc âm ân âng âp ât âu ây
  e ec em en eng eo ep et
  ê êch êm ên ênh êp êt êu
  i ia ich im in inh ip it iu
  iêc iêm iên iêng iêp iêt iêu
  o oc oi om on ong oo ooc oong op ot
  oa oac oach oai oam oan oang oanh oao oap oat oay
  oăc oăm oăn oăng oăt
  oe oen oeo oet
  ô ôc ôi ôm ôn ông ôp ôt
  ơ ơi ơm ơn ơp ơt
  u ua uc ui um un ung up ut
  uân uâng uât uây
  uê uêch uênh
  uy uya uych uynh uyt uyu uyên uyêt
  uôc uôi uôm uôn uông uôt
  uơ
  ư ưa ưc ưi ưm ưn ưng ưt ưu
  ươc ươi ươm ươn ương ươp ươt ươu
  y yêm yên yêng yêt yêu
`.trim().split(/\s+/)

const MINORITY_K_RHYMES = RHYMES.filter((rhyme) => rhyme.endsWith('c')).map((rhyme) => rhyme.slice(0, -1) + 'k')
const RHYME_SET: ReadonlySet<string> = new Set([...RHYMES, ...MINORITY_K_RHYMES])

// Stop-final rhymes only carry sắc or nặng in Vietnamese spelling (coda k in names is exempt).
const STOP_CODA = /(c|ch|p|t)$/
const VOWEL = /[aăâeêioôơuưy]/
const MARKED_VOWEL = /[ăâêôơư]/
// Open rhymes where old style (hòa, thủy) and new style (hoà, thuỷ) disagree: accept both.
const EITHER_TONE_PLACE = new Set(['oa', 'oe', 'uy'])

/**
 * Where the tone mark may sit in a rhyme (indexes into the rhyme): on the vowel carrying a
 * shape mark (the last one, ươ → ơ); else before a coda on the last vowel (oán); else on the
 * first of two vowels (ái, múa) or the middle of three (oái, khuỷu).
 */
function tonePlaces(rhyme: string): number[] {
  let vowelCount = 0
  while (vowelCount < rhyme.length && VOWEL.test(rhyme[vowelCount] ?? '')) vowelCount++
  const vowels = rhyme.slice(0, vowelCount)
  let marked = -1
  for (let i = 0; i < vowels.length; i++) if (MARKED_VOWEL.test(vowels[i] ?? '')) marked = i
  if (marked >= 0) return [marked]
  if (vowelCount === 1 || vowelCount < rhyme.length) return [vowelCount - 1]
  if (EITHER_TONE_PLACE.has(vowels)) return [0, 1]
  return vowelCount === 2 ? [0] : [1]
}

const TONELESS_VOWELS = 'aăâeêioôơuưy'
const TONES = ['', '\u0300', '\u0301', '\u0303', '\u0309', '\u0323']

/** Every letter Vietnamese writes: ASCII letters, đ Đ, and each vowel with each tone. */
export const VIETNAMESE_LETTERS: ReadonlySet<string> = (() => {
  const letters = new Set<string>()
  for (const char of 'abcdefghijklmnopqrstuvwxyzđ') {
    letters.add(char)
    letters.add(char.toUpperCase())
  }
  for (const vowel of TONELESS_VOWELS) {
    for (const tone of TONES) {
      const letter = (vowel + tone).normalize('NFC')
      letters.add(letter)
      letters.add(letter.toUpperCase())
    }
  }
  return letters
})()

function hasTone(letter: string): boolean {
  return letter.normalize('NFD').search(TONE_MARKS) >= 0
}

/**
 * Case must be lower, Capitalised or UPPER after the first letter. Lowercase toned letters are
 * left out of the check because TCVN3 cannot write a toned capital (see tcvn3.ts): "NGUYễN"
 * is fine; "NguyÔn" and "ThÓ" (misread "Nguyễn" and "Thể") are not.
 */
function hasPlausibleCase(letters: string[]): boolean {
  const isTcvn3Lowered = (letter: string) => hasTone(letter) && letter === letter.toLowerCase()
  const rest = letters.slice(1).filter((letter) => !isTcvn3Lowered(letter))
  return rest.every((l) => l === l.toLowerCase()) || rest.every((l) => l === l.toUpperCase())
}

// Names and place words repeat in every file of a province: each distinct word is judged once.
const judged = new Map<string, boolean>()
const JUDGED_MAX = 200_000

/** True when `word` (NFC) is one well-formed Vietnamese syllable. */
export function isVietnameseSyllable(word: string): boolean {
  let valid = judged.get(word)
  if (valid === undefined) {
    valid = judgeSyllable(word)
    if (judged.size >= JUDGED_MAX) judged.clear()
    judged.set(word, valid)
  }
  return valid
}

function judgeSyllable(word: string): boolean {
  const letters = [...word.normalize('NFC')]
  if (letters.length === 0 || !letters.every((letter) => VIETNAMESE_LETTERS.has(letter))) return false
  if (!hasPlausibleCase(letters)) return false

  const tones = letters.join('').normalize('NFD').match(TONE_MARKS) ?? []
  if (tones.length > 1) return false
  const tone = tones[0]
  const tonedAt = letters.findIndex(hasTone)
  const toneless = letters.join('').normalize('NFD').replace(TONE_MARKS, '').normalize('NFC').toLowerCase()

  // Try every onset, since some words split two ways (gia = gi + a or g + ia).
  for (const onset of ['', ...ONSETS]) {
    if (!toneless.startsWith(onset)) continue
    const rhyme = toneless.slice(onset.length)
    if (!RHYME_SET.has(rhyme)) continue
    // Onset q is qu with the u read as part of the rhyme: quỳnh = q + uynh, quả = qu + a.
    if (onset === 'q' && !rhyme.startsWith('u')) continue
    if (STOP_CODA.test(rhyme) && !(tone !== undefined && STOP_TONES.has(tone))) continue
    if (tone !== undefined && !tonePlaces(rhyme).includes(tonedAt - onset.length)) continue
    return true
  }
  return false
}

/** Splits on whitespace and ASCII punctuation/digits; every non-ASCII character stays in a word. */
export function words(text: string): string[] {
  return text.split(/[\s\x21-\x40\x5b-\x60\x7b-\x7e]+/).filter((word) => word.length > 0)
}

/**
 * The words holding a non-ASCII character: the only evidence about an encoding, since
 * ASCII-only words read the same in every encoding.
 */
export function nonAsciiWords(texts: readonly string[]): string[] {
  return texts.flatMap(words).filter((word) => /[^\x00-\x7f]/.test(word))
}

/** Share of the non-ASCII words in `texts` that are valid syllables, with the count behind it. */
export function syllableScore(texts: readonly string[]): { score: number; evidence: number } {
  return syllableScoreOf(nonAsciiWords(texts))
}

/** The same, from the non-ASCII words already split out. */
export function syllableScoreOf(evidence: readonly string[]): { score: number; evidence: number } {
  const valid = evidence.filter(isVietnameseSyllable).length
  return { score: evidence.length === 0 ? 0 : valid / evidence.length, evidence: evidence.length }
}

/**
 * Share of these non-ASCII words that are common in names and land terms; used only to break
 * ties between decodings that are all valid Vietnamese.
 */
export function commonSyllableShareOf(evidence: readonly string[]): number {
  const common = evidence.filter((word) => COMMON_SYLLABLES.has(word.toLowerCase())).length
  return evidence.length === 0 ? 0 : common / evidence.length
}
