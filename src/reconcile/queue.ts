/**
 * The clerks' work queue (hàng đợi đối soát) of a commune: its links (matches rows: a parcel
 * with its record, a parcel without record, a record without parcel), filtered, sorted, paged.
 *
 * One statement on the queue's own narrow table (queue-table.ts): the page is found by an index
 * scan (or a sort of the commune's narrow rows for the other sorts), counted with the same
 * filter, and only the page's rows are joined to matches, parcels and records for display. An
 * owner-name "contains" search scans the commune's own rows (~10,000) on folded names.
 */
import type { Knex } from 'knex'
import { normalizeCommuneCode } from '../communes/index.js'
import { NotFound } from '../errors.js'
import { containsPattern, foldName, keyNumber } from './fold.js'
import { ensureQueue } from './queue-table.js'

export const QUEUE_SORTS = ['sheet', '-sheet', 'category', '-category', 'area', '-area', 'status', '-status'] as const
export type QueueSort = (typeof QUEUE_SORTS)[number]

export interface QueueFilter {
  category?: string
  status?: string
  sheet?: string
  /** Owner name, any accents and case ("nguyen van a" finds "Nguyễn Văn A"). */
  q?: string
  decided?: boolean
  flagged?: boolean
  sort: QueueSort
  page: number
  limit: number
}

// Sheet and parcel numbers in natural order (2, 10, 10a, 11): the count of leading digits, then
// the text (collation C), as the index reconcile_queue_order holds them.
const byKey = (dir: string) => `q.sheet_digits ${dir}, q.sheet_number ${dir}, q.parcel_digits ${dir}, q.parcel_number ${dir}, q.match_id ${dir}`

/** Constant ORDER BY fragments, chosen by name: the sort is never built from request text. */
function orderBy(sort: QueueSort): string {
  const desc = sort.startsWith('-')
  const dir = desc ? 'DESC' : 'ASC'
  switch (sort.replace('-', '')) {
    case 'category':
      return `q.category_rank ${dir}, ${byKey(dir)}`
    case 'status':
      return `q.status_rank ${dir} NULLS LAST, ${byKey(dir)}`
    case 'area':
      // Largest difference first ('-area': smallest first); rows without both areas last.
      return `q.area_difference ${desc ? 'ASC' : 'DESC'} NULLS LAST, ${byKey('ASC')}`
    default:
      return byKey(dir)
  }
}

/** Leading digits of a sheet number, as the generated column sheet_digits counts them. */
const leadingDigits = (text: string) => /^[0-9]*/.exec(text)![0].length

export async function listQueue(knex: Knex, code: string, filter: QueueFilter) {
  const commune = normalizeCommuneCode(code)
  if (!(await ensureQueue(knex, commune))) throw new NotFound(`Không có xã mã ${code} (no commune with this code).`, { field: 'code' })
  const where: string[] = ['q.commune_code = ?']
  const bindings: Knex.Value[] = [commune]
  if (filter.category) {
    where.push('q.category = ?')
    bindings.push(filter.category)
  }
  if (filter.status) {
    where.push('q.status = ?')
    bindings.push(filter.status)
  }
  if (filter.sheet) {
    const sheet = keyNumber(filter.sheet)
    where.push('q.sheet_digits = ? AND q.sheet_number = ?')
    bindings.push(leadingDigits(sheet), sheet)
  }
  const q = filter.q ? foldName(filter.q) : ''
  if (q) {
    where.push(`(q.record_owner LIKE ? OR q.parcel_owner LIKE ?)`)
    bindings.push(containsPattern(q), containsPattern(q))
  }
  if (filter.decided !== undefined) {
    where.push('q.decided = ?')
    bindings.push(filter.decided)
  }
  if (filter.flagged !== undefined) {
    where.push('q.flagged = ?')
    bindings.push(filter.flagged)
  }
  const conditions = where.join(' AND ')
  const order = orderBy(filter.sort)

  // The page's rows are read in full from their tables: what is shown is always current.
  const { rows } = await knex.raw(
    `WITH q AS (
       SELECT q.* FROM reconcile_queue q WHERE ${conditions} ORDER BY ${order} OFFSET ? LIMIT ?
     ), total AS (SELECT count(*) AS n FROM reconcile_queue q WHERE ${conditions})
     SELECT total.n AS total, page.* FROM total LEFT JOIN (
       SELECT q.sheet_digits, q.sheet_number, q.parcel_digits, q.parcel_number, q.category_rank, q.status_rank, q.area_difference,
              m.id AS match_id, m.category, m.decided, m.details,
              p.id AS parcel_id, p.sheet_number AS parcel_sheet, p.parcel_number AS parcel_no, p.status, p.version,
              round(CAST(p.area_m2 AS numeric), 2) AS area_m2, p.land_use_codes AS parcel_land_use, p.owner_name AS parcel_owner,
              p.review_flag IS NOT NULL AS flagged,
              r.id AS record_id, r.sheet_number AS record_sheet, r.parcel_number AS record_parcel, r.owner_name,
              r.legal_area_m2, r.land_use_codes AS record_land_use, r.certificate_serial, r.version AS record_version
       FROM q
       JOIN matches m ON m.commune_code = q.commune_code AND m.id = q.match_id
       -- The commune named once more: an outer join's inner side does not inherit it, and
       -- parcels is partitioned by commune (named, one partition is read; else all are probed).
       LEFT JOIN parcels p ON p.commune_code = ? AND p.commune_code = m.commune_code AND p.id = m.parcel_id
       LEFT JOIN attribute_records r ON r.commune_code = m.commune_code AND r.id = m.record_id
     ) page ON true
     ORDER BY ${order.replaceAll('q.', 'page.')}`,
    [...bindings, (filter.page - 1) * filter.limit, filter.limit, ...bindings, commune],
  )
  return {
    commune,
    total: rows.length > 0 ? Number(rows[0].total) : 0,
    page: filter.page,
    limit: filter.limit,
    sort: filter.sort,
    items: rows.filter((r: { match_id: number | null }) => r.match_id !== null).map(queueItem),
  }
}

function queueItem(row: Record<string, any>) {
  return {
    matchId: row.match_id,
    category: row.category,
    decided: row.decided,
    details: row.details,
    parcel:
      row.parcel_id === null
        ? null
        : {
            id: row.parcel_id,
            sheet: row.parcel_sheet,
            number: row.parcel_no,
            status: row.status,
            version: row.version,
            areaM2: row.area_m2,
            landUseCodes: row.parcel_land_use,
            ownerName: row.parcel_owner,
            flagged: row.flagged,
          },
    record:
      row.record_id === null
        ? null
        : {
            id: row.record_id,
            sheet: row.record_sheet,
            number: row.record_parcel,
            ownerName: row.owner_name,
            legalAreaM2: row.legal_area_m2,
            landUseCodes: row.record_land_use,
            certificateSerial: row.certificate_serial,
            version: row.record_version,
          },
  }
}
