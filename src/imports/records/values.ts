/**
 * The non-key values of an attribute record (hồ sơ) as registers write them: legal area
 * (diện tích pháp lý) in either number format, certificate serial (số phát hành GCN), the
 * land users (chủ sử dụng) named in one cell, land-use codes (mã loại đất). Pure functions.
 */
import { splitLandUse } from '../values.js'

export type DecimalMark = '.' | ','

export type AreaReading =
  | { ok: true; value: number | null; mark: DecimalMark | null; ambiguous: boolean }
  | { ok: false }

/** decimal(14,2): the largest legal area the column holds. */
const MAX_AREA = 1e12

const UNIT = /\s*(?:m2|m²|m\^2)$/i
const SPACES = /[\s\u00a0\u202f]/g

/**
 * A legal area in m². Accepts "1234.5", "1234,5", "1.234,5", "1,234.5", "1 234,5", "1234 m2".
 * A lone separator before exactly three digits ("1.234") is a thousands separator or a decimal
 * mark depending on the file: `knownMark` is the decimal mark the file has shown in unambiguous
 * values; without one, it is read as thousands (registers record areas to 0.1 m², never to
 * 0.001) and reported `ambiguous`. `mark` is what this value shows, for the caller to learn.
 * Empty input is no area (null), not an error; anything else unreadable is `ok: false`.
 */
export function readArea(raw: string | number | null | undefined, knownMark: DecimalMark | null = null): AreaReading {
  if (raw === null || raw === undefined) return { ok: true, value: null, mark: null, ambiguous: false }
  if (typeof raw === 'number') return Number.isFinite(raw) && raw >= 0 && raw < MAX_AREA ? { ok: true, value: raw, mark: null, ambiguous: false } : { ok: false }
  const text = raw.normalize('NFC').trim().replace(UNIT, '').replace(SPACES, '')
  if (text === '') return { ok: true, value: null, mark: null, ambiguous: false }
  if (!/^\+?\d[\d.,]*$/.test(text) || /[.,]$/.test(text)) return { ok: false }
  const body = text.replace(/^\+/, '')
  const dots = body.split('.').length - 1
  const commas = body.split(',').length - 1
  let value: number | null = null
  let mark: DecimalMark | null = null
  let ambiguous = false
  if (dots === 0 && commas === 0) {
    value = Number(body)
  } else if (dots > 0 && commas > 0) {
    mark = body.lastIndexOf('.') > body.lastIndexOf(',') ? '.' : ','
    value = grouped(body, mark === '.' ? ',' : '.', mark)
  } else {
    const separator: DecimalMark = dots > 0 ? '.' : ','
    if (dots + commas > 1) {
      value = grouped(body, separator, null)
      mark = separator === '.' ? ',' : '.'
    } else {
      const [whole = '', fraction = ''] = body.split(separator)
      const couldBeThousands = fraction.length === 3 && whole.length <= 3 && !whole.startsWith('0')
      if (!couldBeThousands) {
        value = Number(`${whole}.${fraction}`)
        mark = separator
      } else if (knownMark !== null) {
        value = knownMark === separator ? Number(`${whole}.${fraction}`) : Number(whole + fraction)
      } else {
        value = Number(whole + fraction)
        ambiguous = true
      }
    }
  }
  if (value === null || !Number.isFinite(value) || value >= MAX_AREA) return { ok: false }
  return { ok: true, value, mark, ambiguous }
}

/** "1.234.567,8" with thousands "." and decimal ","; null when the groups are not of three. */
function grouped(text: string, thousands: string, decimal: string | null): number | null {
  const [whole = '', fraction, extra] = decimal === null ? [text] : text.split(decimal)
  if (extra !== undefined) return null
  const groups = whole.split(thousands)
  if (!/^\d{1,3}$/.test(groups[0] ?? '') || groups.slice(1).some((g) => !/^\d{3}$/.test(g))) return null
  if (fraction !== undefined && !/^\d+$/.test(fraction)) return null
  return Number(`${groups.join('')}${fraction === undefined ? '' : `.${fraction}`}`)
}

/**
 * A certificate serial in the printed form: series letters, a space, the number ("cs123456",
 * "CS-123456", "Số phát hành: CS 123456" → "CS 123456"). Text of another shape is kept,
 * trimmed, with `recognised: false`.
 */
export function normalizeSerial(raw: string | number | null | undefined): { serial: string | null; recognised: boolean } {
  if (raw === null || raw === undefined) return { serial: null, recognised: true }
  const text = String(raw).normalize('NFC').trim().replace(/\s+/g, ' ')
  if (text === '') return { serial: null, recognised: true }
  const bare = text.toUpperCase().replace(/^(?:SỐ\s*PHÁT\s*HÀNH|SỐ\s*SERI|SERI|SỐ)\s*[:.]?\s*/, '')
  const match = /^([A-ZĐ]{1,3})\s*[-.]?\s*(\d{5,9})$/.exec(bare)
  return match ? { serial: `${match[1]} ${match[2]}`, recognised: true } : { serial: text, recognised: false }
}

// Organisations are named with "và" inside ("Công ty TNHH Xây dựng và Thương mại …"): their
// names are never split. Matched with accents, so the family name Trương is not "Trường".
const ORGANISATION_START = [
  'công ty', 'tổng công ty', 'ubnd', 'ủy ban', 'uỷ ban', 'hợp tác xã', 'htx', 'doanh nghiệp', 'tập đoàn', 'xí nghiệp',
  'nông trường', 'lâm trường', 'ban quản lý', 'trường ', 'bệnh viện', 'trung tâm', 'chi nhánh', 'cơ sở', 'hội ',
  'nhà thờ', 'chùa ', 'giáo xứ', 'tịnh xá', 'công an', 'bộ chỉ huy', 'cộng đồng', 'văn phòng', 'ngân hàng', 'tổ chức',
  'quỹ ', 'đảng ủy', 'đảng uỷ', 'chi cục', 'cục ', 'sở ', 'phòng ', 'đài ', 'bưu điện', 'đồn ', 'nhà nước',
]

/**
 * The land users named in one owner cell: "A và B" (a couple, both on the certificate since
 * the 2013 Land Law) or "A; B" are two; an organisation's name stays whole.
 */
export function splitOwners(owner: string | null): Array<{ name: string }> {
  if (owner === null) return []
  const lower = owner.toLowerCase()
  const organisation = ORGANISATION_START.some((start) => lower.startsWith(start))
  return owner
    .split(';')
    .flatMap((part) => (organisation ? [part] : part.split(/\s+và\s+/i)))
    .map((name) => name.trim())
    .filter((name) => name.length > 0)
    .map((name) => ({ name }))
}

/** A land-use code as the annexes write them: two to four capital letters (LUC, ONT, RSN). */
const CODE = /^[A-ZĐ]{2,4}$/

/** Compound codes split on "+"; parts that are not codes (a purpose written out) come back apart. */
export function landUseCodes(raw: string | null): { codes: string[]; notCodes: string[] } {
  const parts = splitLandUse(raw)
  return { codes: parts.filter((p) => CODE.test(p)), notCodes: parts.filter((p) => !CODE.test(p)) }
}
