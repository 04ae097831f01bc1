/**
 * Parcel keys of attribute records (khóa thửa của hồ sơ): commune code (mã xã), sheet number
 * (số tờ bản đồ) and parcel number (số thửa) as clerks type them — "Tờ 5", "tờ số 05", "012",
 * "12A", "12.0", or "5/12" (sheet 5, parcel 12) in the parcel column — reduced to the form
 * the map side uses, so the two sides meet on one key. Pure functions; callers keep the raw text.
 */
import { normalizeNumberText } from '../values.js'

/** One character's base letter (ờ → o, Đ → D): the same length as the input, so offsets carry over. */
function baseLetter(char: string): string {
  if (char === 'đ') return 'd'
  if (char === 'Đ') return 'D'
  if (char.length > 1) return char
  return char.normalize('NFD')[0] ?? char
}

function foldSameLength(text: string): string {
  return Array.from(text, baseLetter).join('').toLowerCase()
}

// The words clerks put before the number: "Tờ", "Tờ số", "Tờ bản đồ số", "TBĐ", "Thửa đất số",
// "Số thửa", "số"; then an optional ":" or "#". Matched on the folded text, only before a digit.
const NUMBER_PREFIX = /^(?:so\s*)?(?:(?:to|thua)(?:\s*ban\s*do|\s*bd|\s*dat)?|tbd)?(?:\s*so)?\s*[:.#-]?\s*(?=\d)/

/**
 * A sheet or parcel number in its key form: prefix words dropped, lower case, "12.0" → "12",
 * leading zeros dropped ("012" → "12", "0" stays "0"), "12 A" → "12a". Text that is not a
 * number (a sheet named "F-48-68") is only trimmed and lower-cased. Empty input gives "".
 */
export function normalizeKeyNumber(raw: string | number | null | undefined): string {
  if (raw === null || raw === undefined) return ''
  const text = String(raw).normalize('NFC').trim()
  const prefix = NUMBER_PREFIX.exec(foldSameLength(text))
  let rest = prefix ? text.slice(prefix[0].length) : text
  rest = rest.replace(/^(\d+),0+$/, '$1').replace(/^(\d+)\s+(\p{L})$/u, '$1$2')
  return normalizeNumberText(rest)
}

export interface RecordKey {
  sheet: string
  parcel: string
  /** The sheet came from a "5/12" parcel cell because the sheet cell was empty. */
  sheetFromParcel: boolean
  /** A "5/12" parcel cell whose sheet part differs from the sheet cell: kept whole as the parcel number. */
  slashConflict: { sheetInParcel: string } | null
}

const SHEET_SLASH_PARCEL = /^\s*([^/\s]+)\s*\/\s*([^/\s]+)\s*$/

/**
 * The (sheet, parcel) key of a row. "5/12" in the parcel column means sheet 5, parcel 12 when
 * the sheet column is empty or says 5; otherwise the parcel column is kept as it is (and the
 * conflict reported), since a clerk's "5/12" next to sheet 7 may mean something else.
 * Either part may come back empty: the caller reports the missing key.
 */
export function recordKey(sheetRaw: string | number | null | undefined, parcelRaw: string | number | null | undefined): RecordKey {
  const sheet = normalizeKeyNumber(sheetRaw)
  const parcelText = parcelRaw === null || parcelRaw === undefined ? '' : String(parcelRaw)
  const slash = SHEET_SLASH_PARCEL.exec(parcelText.normalize('NFC'))
  if (slash) {
    const sheetInParcel = normalizeKeyNumber(slash[1])
    const parcelInParcel = normalizeKeyNumber(slash[2])
    if (/^\d/.test(sheetInParcel) && /^\d/.test(parcelInParcel)) {
      if (sheet === '') return { sheet: sheetInParcel, parcel: parcelInParcel, sheetFromParcel: true, slashConflict: null }
      if (sheet === sheetInParcel) return { sheet, parcel: parcelInParcel, sheetFromParcel: false, slashConflict: null }
      return { sheet, parcel: `${sheetInParcel}/${parcelInParcel}`, sheetFromParcel: false, slashConflict: { sheetInParcel } }
    }
  }
  return { sheet, parcel: normalizeKeyNumber(parcelText), sheetFromParcel: false, slashConflict: null }
}

/**
 * A commune code with its leading zeros back ("9922" and "9922.0" → "09922"); "" for an
 * empty cell; null for text that is no commune code.
 */
export function normalizeCommuneText(raw: string | number | null | undefined): string | null {
  if (raw === null || raw === undefined) return ''
  const text = String(raw).trim().replace(/^(\d+)[.,]0+$/, '$1')
  if (text === '') return ''
  if (!/^\d{1,5}$/.test(text)) return null
  return text.padStart(5, '0')
}
