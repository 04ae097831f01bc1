// The map's legend (chú giải), a Leaflet control: the choropleth classes of the chosen measure
// and, once parcels are drawn, the colours of their statuses or categories.
import { h } from '../dom.js'
import { formatPct } from '../format.js'
import { t } from '../i18n.js'
import { CATEGORY_COLORS, NO_DATA_COLOR, SHARE_CLASSES, STATUS_COLORS, UNKNOWN_COLOR } from './colors.js'
import { L } from './leaflet.js'

const swatch = (color: string): HTMLElement => h('span', { class: 'swatch', style: `background:${color}`, 'aria-hidden': 'true' })
const item = (color: string, text: string): HTMLElement => h('li', {}, swatch(color), text)

export interface LegendState {
  measure: string
  colorBy: string
  parcelsShown: boolean
}

export interface Legend extends L.Control {
  /** Redraws for the measure, the parcel colouring, and whether parcels are shown. */
  render(state: LegendState): void
}

export function legendControl(): Legend {
  const box = h('div', { class: 'legend', role: 'region', 'aria-label': '' })
  const control = new L.Control({ position: 'bottomright' })
  control.onAdd = () => {
    L.DomEvent.disableClickPropagation(box)
    return box
  }
  const render = ({ measure, colorBy, parcelsShown }: LegendState): void => {
    box.setAttribute('aria-label', t('map.legend'))
    const parts: HTMLElement[] = [
      h('h3', {}, t(`map.measure.${measure}`)),
      h('ul', {}, ...SHARE_CLASSES.map((c) => item(c.color, `${formatPct(c.from)} – ${formatPct(c.to)}`)), item(NO_DATA_COLOR, t('map.noParcels'))),
    ]
    if (parcelsShown) {
      const colors = colorBy === 'category' ? CATEGORY_COLORS : STATUS_COLORS
      const prefix = colorBy === 'category' ? 'category' : 'status'
      parts.push(
        h('h3', {}, t(`map.colorBy.${colorBy}`)),
        h('ul', {}, ...Object.entries(colors).map(([key, color]) => item(color, t(`${prefix}.${key}`))), colorBy === 'category' ? item(UNKNOWN_COLOR, t('map.noCategory')) : null),
      )
    } else {
      parts.push(h('p', { class: 'hint' }, t('map.zoomForParcels')))
    }
    box.replaceChildren(...parts)
  }
  return Object.assign(control, { render })
}
