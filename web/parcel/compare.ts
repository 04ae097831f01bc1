// The record beside the geometry (so sánh bản đồ và hồ sơ): one row per attribute, the map's
// value and each linked record's, differences marked (colour and a "≠" the screen reader says).
import { h } from '../dom.js'
import { formatArea, formatLandUse, orDash } from '../format.js'
import { t } from '../i18n.js'
import { detailsText, toleranceText } from '../reconcile/labels.js'
import type { AttributeRecord, Link, Parcel, ParcelDetail } from '../types.js'

interface Row {
  key: string
  label: string
  map: string
  value: (record: AttributeRecord) => string
  differs: (record: AttributeRecord, link: Link) => boolean
}

const fold = (s: string | null | undefined): string => (s ?? '').normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase()
const sameCodes = (a: string[] | null, b: string[] | null): boolean => {
  const x = [...(a ?? [])].sort().join('+')
  const y = [...(b ?? [])].sort().join('+')
  return x === y
}

/**
 * The rows: label, the parcel's value, and for each record its value and whether it differs
 * from the map (only where both sides have a value: a missing value is not a difference here).
 */
function rowsOf(parcel: Parcel): Row[] {
  const area = (link: Link): boolean => link.details?.area_off === true || (link.category === 'area_mismatch')
  return [
    { key: 'sheet', label: 'parcel.field.sheet', map: orDash(parcel.sheet), value: (r) => orDash(r.sheet), differs: (r) => r.sheet !== parcel.sheet },
    { key: 'number', label: 'parcel.field.number', map: orDash(parcel.number), value: (r) => orDash(r.number), differs: (r) => r.number !== parcel.number },
    {
      key: 'area',
      label: 'parcel.field.area',
      map: parcel.legalAreaM2 !== null && parcel.legalAreaM2 !== undefined ? t('parcel.mapArea', { area: formatArea(parcel.areaM2), dbf: formatArea(parcel.legalAreaM2) }) : formatArea(parcel.areaM2),
      value: (r) => formatArea(r.legalAreaM2),
      differs: (r, link) => area(link),
    },
    {
      key: 'landUse',
      label: 'parcel.field.landUse',
      map: formatLandUse(parcel.landUseCodes),
      value: (r) => formatLandUse(r.landUseCodes),
      differs: (r) => (parcel.landUseCodes?.length ?? 0) > 0 && (r.landUseCodes?.length ?? 0) > 0 && !sameCodes(parcel.landUseCodes, r.landUseCodes),
    },
    { key: 'owner', label: 'parcel.field.owner', map: orDash(parcel.ownerName), value: (r) => orDash(r.ownerName), differs: (r) => Boolean(parcel.ownerName && r.ownerName) && fold(parcel.ownerName) !== fold(r.ownerName) },
    { key: 'certificate', label: 'parcel.field.certificate', map: '—', value: (r) => orDash(r.certificateSerial), differs: () => false },
    { key: 'book', label: 'parcel.field.bookEntry', map: '—', value: (r) => orDash(r.bookEntryNumber), differs: () => false },
    { key: 'address', label: 'parcel.field.address', map: orDash(parcel.address ?? parcel.placeName), value: (r) => orDash(r.address), differs: () => false },
  ]
}

const valueCell = (text: string, differs: boolean): HTMLElement =>
  differs
    ? h('td', { class: 'diff', 'data-differs': 'true' }, h('span', { class: 'diff-mark', 'aria-hidden': 'true' }, '≠ '), h('mark', {}, text), h('span', { class: 'visually-hidden' }, ` (${t('parcel.differs')})`))
    : h('td', {}, text)

/** Draws the comparison of the parcel with its linked records into `table`. */
export function renderCompare(table: HTMLElement, note: HTMLElement, detail: ParcelDetail): void {
  const { parcel, links } = detail
  const withRecord = links.filter((l): l is Link & { record: AttributeRecord } => l.record !== null)
  const rows = rowsOf(parcel)
  table.replaceChildren(
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, t('parcel.field.field')),
        h('th', { scope: 'col' }, t('parcel.mapColumn')),
        ...(withRecord.length
          ? withRecord.map((l) => h('th', { scope: 'col' }, t('parcel.recordColumn', { id: l.record.id }), ' ', h('span', { class: `cat cat-${l.category}` }, t(`category.${l.category}`))))
          : [h('th', { scope: 'col' }, t('parcel.recordColumnNone'))]),
      ),
    ),
    h(
      'tbody',
      {},
      ...rows.map((row) =>
        h(
          'tr',
          { 'data-field': row.key },
          h('th', { scope: 'row' }, t(row.label)),
          h('td', {}, row.map),
          ...(withRecord.length ? withRecord.map((l) => valueCell(row.value(l.record), row.differs(l.record, l))) : [h('td', { class: 'hint' }, row.key === 'sheet' ? t('parcel.noRecord') : '')]),
        ),
      ),
    ),
  )
  const lines = links.map((l) => [detailsText(l.category, l.details), toleranceText(l.details)].filter(Boolean).join(' · ')).filter(Boolean)
  note.replaceChildren(...lines.map((line) => h('span', { class: 'line' }, line)))
}
