// Numbers, areas, shares and dates in the page's language.
import { language, t } from './i18n.js'

type Amount = number | string | null | undefined

const numberFormat = (options: Intl.NumberFormatOptions): Intl.NumberFormat => new Intl.NumberFormat(language(), options)

/** An area in m² with up to 2 decimals; an em dash when unknown. */
export const formatArea = (m2: Amount): string => (m2 === null || m2 === undefined || m2 === '' ? '—' : `${numberFormat({ maximumFractionDigits: 2 }).format(Number(m2))} m²`)

/** A signed difference in m² (+12,5 m² / −3 m²). */
export const formatDifference = (m2: Amount): string => (m2 === null || m2 === undefined ? '—' : `${numberFormat({ maximumFractionDigits: 2, signDisplay: 'exceptZero' }).format(Number(m2))} m²`)

/** A percentage given in percent (42.5 → "42,5 %"); "—" when there is none (no parcels). */
export const formatPct = (pct: Amount): string => (pct === null || pct === undefined ? '—' : numberFormat({ style: 'percent', maximumFractionDigits: 1 }).format(Number(pct) / 100))

/** Date and time in Vietnam time, as the office lives it. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—'
  return new Intl.DateTimeFormat(language(), { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date(iso))
}

/** A day given as YYYY-MM-DD. */
export function formatDay(date: string, options: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'numeric' }): string {
  return new Intl.DateTimeFormat(language(), { ...options, timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`))
}

/** Land-use codes as written on maps: ONT+CLN. */
export const formatLandUse = (codes: readonly string[] | null | undefined): string => (Array.isArray(codes) && codes.length > 0 ? codes.join('+') : '—')

/** Text or a dash. */
export const orDash = (value: unknown): string => (value === null || value === undefined || value === '' ? '—' : String(value))

/** "Tờ 12, thửa 34". */
export const parcelKey = (sheet: unknown, number: unknown): string => t('parcel.key', { sheet: orDash(sheet), number: orDash(number) })
