/**
 * The clerks' work queue (hàng đợi đối soát) of a commune: its links (matches rows: a parcel
 * with its record, a parcel without record, a record without parcel), filtered, sorted, paged.
 *
 * One statement on the queue's own table (queue-table.ts), whose rows carry what a page shows:
 * the page is an index scan in the chosen order (each sort has its index), and the total a sum
 * of the commune's group counts, counted again only when its queue rows changed. An owner-name
 * "contains" search scans the commune's own rows (~10,000) on folded names.
 */
import type { Knex } from 'knex'
import { normalizeCommuneCode } from '../communes/index.js'
import { preparedRows } from '../db/index.js'
import { NotFound } from '../errors.js'
import { containsPattern, foldName, keyNumber } from './fold.js'
import { CATEGORY_ORDER, rebuildQueue, SOURCES_SQL, STATUS_ORDER } from './queue-table.js'

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

/**
 * Constant ORDER BY fragments, chosen by name: the sort is never built from request text. Each
 * matches an index of reconcile_queue (migration 20261123160000); a '-' sort is the exact reverse
 * of its sort (rows without a status come last by status, first by '-status'), except the area
 * sorts, which both keep rows without an area difference last.
 */
function orderBy(sort: QueueSort): string {
  const desc = sort.startsWith('-')
  const dir = desc ? 'DESC' : 'ASC'
  switch (sort.replace('-', '')) {
    case 'category':
      return `q.category_rank ${dir}, ${byKey(dir)}`
    case 'status':
      return `q.status_rank ${dir}${desc ? ' NULLS FIRST' : ' NULLS LAST'}, ${byKey(dir)}`
    case 'area':
      // Largest difference first ('-area': smallest first); rows without both areas last.
      return `q.area_difference ${desc ? 'ASC' : 'DESC'} NULLS LAST, ${byKey('ASC')}`
    default:
      return byKey(dir)
  }
}

/**
 * Whether one plan serves every value of this filter and sort: no name search, and a category
 * or a status filter (not both) only with an order its index holds (sheet, or its own). A sheet
 * filter keeps about as many rows whatever the sheet; a category may keep half the commune or a
 * handful.
 */
function planIgnoresValues(filter: QueueFilter, q: string): boolean {
  const sort = filter.sort.replace('-', '')
  if (q !== '' || (filter.category && filter.status)) return false
  if (filter.category && sort !== 'sheet' && sort !== 'category') return false
  if (filter.status && sort !== 'sheet' && sort !== 'status') return false
  return true
}

/** 1-based position, as SQL's array_position; 0 (no row has it) for a value not in the order. */
const rankOf = (order: readonly string[], value: string) => order.indexOf(value) + 1

/** Leading digits of a sheet number, as the generated column sheet_digits counts them. */
const leadingDigits = (text: string) => /^[0-9]*/.exec(text)![0].length

/**
 * How many queue rows each commune has per category, status, decided, flagged and sheet, as of
 * a revision of its rows, so that a page's total is a sum in memory instead of a count of the
 * commune's ~10,000 rows per request. A revision names the state of a commune's queue rows:
 * every writer of them changes it (a matching run, import, signing or export through `sources`,
 * a decision through the commune's audit chain head, a rebuild or `refreshQueueFor` through
 * `built_at`). An owner-name search is counted by its statement, as it cannot be summed.
 */
interface Group {
  category: string
  status: string | null
  decided: boolean
  flagged: boolean
  sheet: string
  n: number
}
const groupsByCommune = new Map<string, { revision: string; groups: Group[] }>()

const sumOf = (groups: Group[], filter: QueueFilter, sheet: string | null) =>
  groups.reduce(
    (total, g) =>
      (filter.category === undefined || g.category === filter.category) &&
      (filter.status === undefined || g.status === filter.status) &&
      (sheet === null || g.sheet === sheet) &&
      (filter.decided === undefined || g.decided === filter.decided) &&
      (filter.flagged === undefined || g.flagged === filter.flagged)
        ? total + Number(g.n)
        : total,
    0,
  )

interface PageRow {
  exists: boolean
  sources: string
  built_from: string | null
  revision: string
  total: string | null
  groups: Group[] | null
  match_id: string | null
  [column: string]: unknown
}

export async function listQueue(knex: Knex, code: string, filter: QueueFilter) {
  const commune = normalizeCommuneCode(code)
  const where: string[] = ['q.commune_code = :commune']
  const bindings: Record<string, Knex.Value> = { commune }
  // Category and status by their rank: the sort indexes then hold a filtered page in order.
  if (filter.category) {
    where.push('q.category_rank = :categoryRank')
    bindings.categoryRank = rankOf(CATEGORY_ORDER, filter.category)
  }
  if (filter.status) {
    where.push('q.status_rank = :statusRank')
    bindings.statusRank = rankOf(STATUS_ORDER, filter.status)
  }
  const sheet = filter.sheet ? keyNumber(filter.sheet) : null
  if (sheet !== null) {
    where.push('q.sheet_digits = :sheetDigits AND q.sheet_number = :sheet')
    bindings.sheetDigits = leadingDigits(sheet)
    bindings.sheet = sheet
  }
  const q = filter.q ? foldName(filter.q) : ''
  if (q) {
    where.push(`(q.record_owner LIKE :owner OR q.parcel_owner LIKE :owner)`)
    bindings.owner = containsPattern(q)
  }
  if (filter.decided !== undefined) {
    where.push('q.decided = :decided')
    bindings.decided = filter.decided
  }
  if (filter.flagged !== undefined) {
    where.push('q.flagged = :flagged')
    bindings.flagged = filter.flagged
  }
  const conditions = where.join(' AND ')
  const order = orderBy(filter.sort)

  // One statement: the queue's state, the page (one index scan of the queue's own rows, which
  // carry what is shown) and, when asked, the commune's group counts or the search's total.
  const read = (groups: boolean): Promise<PageRow[]> =>
    preparedRows<PageRow>(
      knex,
      `WITH state AS (
           SELECT now.exists, now.sources, now.built_from, concat_ws(':', now.sources, now.seq, now.built_at) AS revision
           FROM (
             SELECT EXISTS (SELECT 1 FROM communes WHERE code = :commune) AS exists, ${SOURCES_SQL} AS sources, s.built_from,
                    CAST(s.built_at AS text) AS built_at, (SELECT h.seq FROM reconciliation_heads h WHERE h.commune_code = :commune) AS seq
             FROM (SELECT 1) one LEFT JOIN reconcile_queue_state s ON s.commune_code = :commune
           ) now
         ), page AS (
           SELECT ${PAGE_COLUMNS} FROM reconcile_queue q WHERE ${conditions} ORDER BY ${order} OFFSET :offset LIMIT :limit
         )
         SELECT state.*,
                CASE WHEN :search THEN (SELECT count(*) FROM reconcile_queue q WHERE ${conditions}) END AS total,
                CASE WHEN :groups THEN (
                  SELECT json_agg(g) FROM (
                    SELECT category, status, decided, flagged, sheet_number AS sheet, count(*) AS n
                    FROM reconcile_queue WHERE commune_code = :commune GROUP BY 1, 2, 3, 4, 5) g) END AS groups,
                page.*
         FROM state LEFT JOIN page ON true
         ORDER BY ${order.replaceAll('q.', 'page.')}`,
      { ...bindings, offset: (filter.page - 1) * filter.limit, limit: filter.limit, search: q !== '', groups },
      { genericPlan: planIgnoresValues(filter, q) },
    )

  const known = q === '' ? groupsByCommune.get(commune) : undefined
  let rows = await read(q === '' && known === undefined)
  let state = rows[0]!
  if (!state.exists) throw new NotFound(`Không có xã mã ${code} (no commune with this code).`, { field: 'code' })
  if (state.sources !== state.built_from) {
    // A matching run, import, signing or export since the rows were built: rebuild, read again.
    await rebuildQueue(knex, commune)
    rows = await read(q === '')
    state = rows[0]!
  } else if (q === '' && state.groups === null && known?.revision !== state.revision) {
    rows = await read(true) // the rows changed since their groups were counted
    state = rows[0]!
  }
  if (state.groups !== null) groupsByCommune.set(commune, { revision: state.revision, groups: state.groups })
  const total = q !== '' ? Number(state.total) : sumOf(state.groups ?? known!.groups, filter, sheet)
  return {
    commune,
    total,
    page: filter.page,
    limit: filter.limit,
    sort: filter.sort,
    items: rows.filter((r) => r.match_id !== null).map(queueItem),
  }
}

/** What a page shows of each row, with the sort keys its final ORDER BY reads. */
const PAGE_COLUMNS = `q.sheet_digits, q.sheet_number, q.parcel_digits, q.parcel_number, q.category_rank, q.status_rank, q.area_difference,
  q.match_id, q.category, q.decided, q.details, q.parcel_id, q.parcel_sheet, q.parcel_no, q.status, q.parcel_version, q.area_m2,
  q.parcel_land_use, q.parcel_owner_name, q.flagged, q.record_id, q.record_sheet, q.record_parcel, q.record_owner_name,
  q.legal_area_m2, q.record_land_use, q.certificate_serial, q.record_version`

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
            version: row.parcel_version,
            areaM2: row.area_m2,
            landUseCodes: row.parcel_land_use,
            ownerName: row.parcel_owner_name,
            flagged: row.flagged,
          },
    record:
      row.record_id === null
        ? null
        : {
            id: row.record_id,
            sheet: row.record_sheet,
            number: row.record_parcel,
            ownerName: row.record_owner_name,
            legalAreaM2: row.legal_area_m2,
            landUseCodes: row.record_land_use,
            certificateSerial: row.certificate_serial,
            version: row.record_version,
          },
  }
}
