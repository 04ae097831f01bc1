// Progress over time as a small SVG chart written by hand: the parcels reconciled, signed and
// synced so far (lines), and the decisions made each day (bars), one scale for both.
import { formatDay } from '../format.js'
import { formatNumber, t } from '../i18n.js'
import type { TimelineDay } from '../types.js'

type Series = 'reconciled' | 'signed' | 'synced'

const SVG = 'http://www.w3.org/2000/svg'
const WIDTH = 760
const HEIGHT = 260
const MARGIN = { top: 14, right: 16, bottom: 30, left: 56 }

export const SERIES: { key: Series; color: string }[] = [
  { key: 'reconciled', color: '#2e9d4f' },
  { key: 'signed', color: '#1f5fa8' },
  { key: 'synced', color: '#6a3d9a' },
]
export const BAR_COLOR = '#c9d3dd'

function el(tag: string, attrs: Record<string, string | number> = {}, text?: string): SVGElement {
  const node = document.createElementNS(SVG, tag)
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v))
  if (text !== undefined) node.textContent = text
  return node
}

/** Round tick values from 0 to at least `max`: steps of 1, 2 or 5 × a power of ten. */
export function niceTicks(max: number, count = 4): number[] {
  if (max <= 0) return [0, 1]
  const raw = max / count
  const power = Math.max(1, 10 ** Math.floor(Math.log10(raw))) // counts: whole steps
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power
  const ticks: number[] = []
  for (let v = 0; v < max + step; v += step) ticks.push(v)
  return ticks
}

/** The chart of `days` (from /api/progress/timeline) as an <svg>, titled for screen readers by `title`. */
/** At least `min` days ending on the last one: the days before the first activity count nothing. */
export function padDays(days: TimelineDay[], min = 7): TimelineDay[] {
  if (days.length === 0 || days.length >= min) return days
  const first = new Date(`${days[0]?.date}T00:00:00Z`)
  const before: TimelineDay[] = []
  for (let i = min - days.length; i > 0; i--) {
    const d = new Date(first)
    d.setUTCDate(d.getUTCDate() - i)
    before.push({ date: d.toISOString().slice(0, 10), decisions: {}, decisionsTotal: 0, imports: {}, matchRuns: 0, reconciled: 0, signed: 0, synced: 0 })
  }
  return [...before, ...days]
}

export function timelineChart(shownDays: TimelineDay[], title: string): SVGElement {
  const days = padDays(shownDays)
  const svg = el('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', class: 'chart', 'aria-label': title })
  const innerW = WIDTH - MARGIN.left - MARGIN.right
  const innerH = HEIGHT - MARGIN.top - MARGIN.bottom
  const max = Math.max(1, ...days.flatMap((d) => [d.decisionsTotal, ...SERIES.map((s) => d[s.key])]))
  const ticks = niceTicks(max)
  const top = ticks[ticks.length - 1] ?? 1
  const y = (v: number): number => MARGIN.top + innerH - (v / top) * innerH
  const slot = innerW / Math.max(1, days.length)
  const x = (i: number): number => MARGIN.left + slot * (i + 0.5)

  for (const v of ticks) {
    svg.append(el('line', { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: y(v), y2: y(v), class: 'grid' }))
    svg.append(el('text', { x: MARGIN.left - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'tick' }, formatNumber(v)))
  }
  // Bars: decisions per day.
  const barW = Math.max(1, Math.min(24, slot * 0.6))
  days.forEach((d, i) => {
    if (d.decisionsTotal > 0) {
      const bar = el('rect', { x: x(i) - barW / 2, y: y(d.decisionsTotal), width: barW, height: y(0) - y(d.decisionsTotal), fill: BAR_COLOR })
      bar.append(el('title', {}, `${formatDay(d.date, { dateStyle: 'medium' })}: ${t('dashboard.chart.decisionsOn', { n: formatNumber(d.decisionsTotal) })}`))
      svg.append(bar)
    }
  })
  // Lines (and points, so a single day still shows).
  for (const s of SERIES) {
    const points = days.map((d, i) => `${x(i).toFixed(1)},${y(d[s.key]).toFixed(1)}`)
    if (days.length > 1) svg.append(el('polyline', { points: points.join(' '), fill: 'none', stroke: s.color, 'stroke-width': 2.5, 'data-series': s.key }))
    days.forEach((d, i) => {
      if (days.length <= 40 || i === days.length - 1) svg.append(el('circle', { cx: x(i), cy: y(d[s.key]), r: 3, fill: s.color }))
    })
  }
  // Day labels: at most 6, first and last always.
  const every = Math.max(1, Math.ceil(days.length / 6))
  days.forEach((d, i) => {
    const last = i === days.length - 1
    if (last || (i % every === 0 && days.length - 1 - i >= every / 2)) svg.append(el('text', { x: x(i), y: HEIGHT - 10, 'text-anchor': 'middle', class: 'tick' }, formatDay(d.date)))
  })
  svg.append(el('line', { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: y(0), y2: y(0), class: 'axis' }))
  return svg
}
