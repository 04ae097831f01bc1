// Numbers, areas, shares and dates in the page's language.
import { language, t } from './i18n.js'

const numberFormat = (options) => new Intl.NumberFormat(language(), options)

/** An area in m² with up to 2 decimals; an em dash when unknown. */
export const formatArea = (m2) => (m2 === null || m2 === undefined || m2 === '' ? '—' : `${numberFormat({ maximumFractionDigits: 2 }).format(Number(m2))} m²`)

/** A signed difference in m² (+12,5 m² / −3 m²). */
export const formatDifference = (m2) => (m2 === null || m2 === undefined ? '—' : `${numberFormat({ maximumFractionDigits: 2, signDisplay: 'exceptZero' }).format(Number(m2))} m²`)

/** A percentage given in percent (42.5 → "42,5 %"); "—" when there is none (no parcels). */
export const formatPct = (pct) => (pct === null || pct === undefined ? '—' : numberFormat({ style: 'percent', maximumFractionDigits: 1 }).format(Number(pct) / 100))

/** Date and time in Vietnam time, as the office lives it. */
export function formatDateTime(iso) {
  if (!iso) return '—'
  return new Intl.DateTimeFormat(language(), { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date(iso))
}

/** A day given as YYYY-MM-DD. */
export function formatDay(date, options = { day: 'numeric', month: 'numeric' }) {
  return new Intl.DateTimeFormat(language(), { ...options, timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`))
}

/** Land-use codes as written on maps: ONT+CLN. */
export const formatLandUse = (codes) => (Array.isArray(codes) && codes.length > 0 ? codes.join('+') : '—')

/** Text or a dash. */
export const orDash = (value) => (value === null || value === undefined || value === '' ? '—' : String(value))

/** "Tờ 12, thửa 34". */
export const parcelKey = (sheet, number) => t('parcel.key', { sheet: orDash(sheet), number: orDash(number) })
