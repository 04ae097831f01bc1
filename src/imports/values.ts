/**
 * Values as they are found in practice, normalised for keys and comparison. The original
 * text is always kept beside the normalised value by the callers.
 */

// Already in normal form (digits without a leading zero): most keys are, and skip the work.
const PLAIN_NUMBER = /^[1-9][0-9]*$/

/** Sheet and parcel numbers: "012" and "12.0" are 12; "12A" is "12a". */
export function normalizeNumberText(raw: unknown): string {
  if (typeof raw === 'string' && PLAIN_NUMBER.test(raw)) return raw
  if (raw === null || raw === undefined) return ''
  let text = String(raw).normalize('NFC').trim().toLowerCase()
  text = text.replace(/^(\d+)\.0+$/, '$1')
  text = text.replace(/^0+(?=\d)/, '')
  return text
}

/** Land-use codes: compound codes ("ONT+CLN") split on "+", upper-cased, empty parts dropped. */
export function splitLandUse(raw: unknown): string[] {
  if (raw === null || raw === undefined) return []
  return String(raw)
    .split('+')
    .map((code) => code.trim().toUpperCase())
    .filter((code) => code.length > 0)
}

/** Text fields: NFC, trimmed, empty → null. */
export function cleanText(raw: unknown): string | null {
  if (raw === null || raw === undefined) return null
  const text = String(raw).normalize('NFC').trim()
  return text.length > 0 ? text : null
}

/** Numbers that may arrive as text ("1.234,5" is not handled here: DBF numbers use '.'). */
export function toNumber(raw: unknown): number | null {
  if (raw === null || raw === undefined || raw === '') return null
  const value = typeof raw === 'number' ? raw : Number.parseFloat(String(raw).replace(',', '.'))
  return Number.isFinite(value) ? value : null
}
