// The dashboard's table (bảng tiến độ): one row per commune with its figures, the totals in the
// footer, sortable by any column (a button in each header; aria-sort says which).
import { h } from '../dom.js'
import { formatDateTime, formatPct } from '../format.js'
import { formatNumber, t } from '../i18n.js'
import type { CommuneFigures, Progress } from '../types.js'

type Row = Omit<CommuneFigures, 'code' | 'name'> & { code: string; name: string }
type Key = keyof CommuneFigures & string

interface Column {
  key: Key
  label: string
  text?: boolean
  date?: boolean
  pct?: 'reconciled' | 'signed' | 'synced'
}

/** The columns: `key` of the figure, its label, and how it sorts and shows. */
export const COLUMNS: Column[] = [
  { key: 'code', label: 'dashboard.col.code', text: true },
  { key: 'name', label: 'dashboard.col.name', text: true },
  { key: 'parcels', label: 'figure.parcels' },
  { key: 'records', label: 'figure.records' },
  { key: 'matched', label: 'figure.matched' },
  { key: 'areaMismatch', label: 'figure.areaMismatch' },
  { key: 'landuseMismatch', label: 'figure.landuseMismatch' },
  { key: 'spatialOnly', label: 'figure.spatialOnly' },
  { key: 'recordOnly', label: 'figure.recordOnly' },
  { key: 'reconciled', label: 'figure.reconciled', pct: 'reconciled' },
  { key: 'signed', label: 'figure.signed', pct: 'signed' },
  { key: 'synced', label: 'figure.synced', pct: 'synced' },
  { key: 'lastActivity', label: 'figure.lastActivity', date: true },
]

const valueOf = (row: Row, key: Key): string | number | null => {
  const v = row[key]
  return typeof v === 'string' || typeof v === 'number' ? v : null
}

/** The rows sorted by `sort` ("reconciled", "-reconciled"); ties in commune-code order. */
export function sortRows(rows: Row[], sort: string): Row[] {
  const desc = sort.startsWith('-')
  const key = desc ? sort.slice(1) : sort
  const col = COLUMNS.find((c) => c.key === key) ?? { key: 'code', label: '', text: true }
  const cmp = (a: Row, b: Row): number => {
    const va = valueOf(a, col.key)
    const vb = valueOf(b, col.key)
    if (va === vb) return 0
    if (va === null) return 1 // unknown last, either way
    if (vb === null) return -1
    const c = col.text || col.date ? String(va).localeCompare(String(vb), 'vi') : Number(va) - Number(vb)
    return desc ? -c : c
  }
  return [...rows].sort((a, b) => cmp(a, b) || a.code.localeCompare(b.code))
}

function cell(row: Row, col: Column, { total = false } = {}): HTMLElement {
  const v = valueOf(row, col.key)
  if (col.date) return h('td', { class: 'when' }, formatDateTime(v === null ? null : String(v)))
  if (col.text) return h(total ? 'th' : 'td', total ? { scope: 'row' } : {}, v ?? '')
  const n = Number(v ?? 0)
  const text = col.pct ? `${formatNumber(n)} (${formatPct(row.percent?.[col.pct])})` : formatNumber(n)
  return h('td', { class: 'num', 'data-col': col.key }, text)
}

/**
 * Draws the table: headers with sort buttons, the commune rows (the chosen one marked), totals.
 * `onSort(sort)` and `onChoose(code)` are called when the user asks.
 */
export interface TableOptions {
  sort: string
  chosen: string
  onSort: (sort: string) => void
  onChoose: (code: string) => void
}

export function renderTable(table: HTMLTableElement, progress: Progress, { sort, chosen, onSort, onChoose }: TableOptions): void {
  const current = sort.startsWith('-') ? sort.slice(1) : sort
  const desc = sort.startsWith('-')
  table.tHead?.replaceChildren(
    h(
      'tr',
      {},
      ...COLUMNS.map((col) => {
        const active = col.key === current
        const next = active && !desc ? `-${col.key}` : col.key
        return h(
          'th',
          { scope: 'col', class: col.text || col.date ? '' : 'num', 'aria-sort': active ? (desc ? 'descending' : 'ascending') : null },
          h('button', { type: 'button', class: 'sort', 'data-sort': col.key, onclick: () => onSort(next) }, t(col.label), h('span', { 'aria-hidden': 'true', class: 'arrow' }, active ? (desc ? ' ▼' : ' ▲') : '')),
        )
      }),
    ),
  )
  table.tBodies[0]?.replaceChildren(
    ...sortRows(progress.communes, sort).map((row) =>
      h(
        'tr',
        { 'data-commune': row.code, 'aria-current': row.code === chosen ? 'true' : null },
        ...COLUMNS.map((col) =>
          col.key === 'name'
            ? h('td', {}, h('button', { type: 'button', class: 'link', onclick: () => onChoose(row.code), 'aria-label': t('dashboard.showChartOf', { name: row.name }) }, row.name))
            : cell(row, col),
        ),
      ),
    ),
  )
  const totals: Row = { ...progress.totals, code: t('dashboard.total'), name: t('dashboard.totalCommunes', { n: formatNumber(progress.totals.communes) }) }
  table.tFoot?.replaceChildren(h('tr', { 'data-commune': '' }, ...COLUMNS.map((col) => cell(totals, col, { total: col.key === 'code' }))))
}
