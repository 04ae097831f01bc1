/**
 * The clerks' work queue (hàng đợi đối soát) of a commune: its links (matches rows: a parcel
 * with its record, a parcel without record, a record without parcel), filtered, sorted, paged.
 *
 * One statement on the queue's own table (queue-table.ts), whose rows carry what a page shows.
 * A page with no filter, or one filter its sort's index leads with, is a range scan of that
 * index, and its total a sum of the commune's group counts, counted again only when its queue
 * rows changed. Any other page (an owner-name "contains" search on folded names, combined
 * filters) scans the commune's entries (~10,000) of one narrow covering index, counts and sorts
 * the hits, and reads only the page's rows from the table.
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
 * Whether an index of the queue holds the filtered rows in the requested order, so that a page
 * is a range scan that stops after OFFSET + LIMIT rows: no filter, or a category, status or
 * sheet filter alone with an order whose index leads with it (migration 20261123160000).
 * Otherwise (an owner-name search, two filters, a filter with another order, decided/flagged)
 * the page collects the matching rows from the narrow covering index reconcile_queue_hits and
 * sorts them (migration 20261123170000): about 1–3 ms for a commune's ~10,000 rows, whatever
 * the filter keeps, instead of walking an order index through rows the filter rejects.
 */
function indexHoldsPage(filter: QueueFilter, q: string): boolean {
  const filters = [filter.category, filter.status, filter.sheet, filter.decided, filter.flagged].filter((f) => f !== undefined && f !== '')
  if (q !== '' || filters.length > 1 || filter.decided !== undefined || filter.flagged !== undefined) return false
  const sort = filter.sort.replace('-', '')
  if (filter.category) return sort === 'sheet' || sort === 'category'
  if (filter.status) return sort === 'sheet' || sort === 'status'
  if (filter.sheet) return sort === 'sheet'
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
  /** The page's items, as JSON text: the rows' stored items, in order. */
  items: string
}

/** A page of the queue; `items` is JSON text, sent as it is (queuePageJson). */
export interface QueuePage {
  commune: string
  total: number
  page: number
  limit: number
  sort: QueueSort
  items: string
}

export async function listQueue(knex: Knex, code: string, filter: QueueFilter): Promise<QueuePage> {
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

  // With an index that holds the page, the page is a range scan of it; otherwise the matching
  // rows' sort keys come from the covering index, are counted and sorted, and only the page's
  // rows are read from the table.
  const viaIndex = indexHoldsPage(filter, q)
  const page = viaIndex
    ? `page AS (
           SELECT ${PAGE_COLUMNS} FROM reconcile_queue q WHERE ${conditions} ORDER BY ${order} OFFSET :offset LIMIT :limit
         )`
    : `hits AS MATERIALIZED (
           SELECT ${HIT_COLUMNS} FROM reconcile_queue q WHERE ${conditions}
         ), page_ids AS (
           SELECT q.match_id FROM hits q ORDER BY ${order} OFFSET :offset LIMIT :limit
         ), page AS (
           SELECT ${PAGE_COLUMNS} FROM page_ids i JOIN reconcile_queue q ON q.commune_code = :commune AND q.match_id = i.match_id
         )`

  // One statement: the queue's state, the page and its total (counted with the hits) or, when
  // asked, the commune's group counts. Either way the plan does not depend on the values bound.
  const read = (groups: boolean): Promise<PageRow[]> =>
    preparedRows<PageRow>(
      knex,
      `WITH now AS MATERIALIZED (
           SELECT EXISTS (SELECT 1 FROM communes WHERE code = :commune) AS exists, ${SOURCES_SQL} AS sources, s.built_from,
                  CAST(s.built_at AS text) AS built_at, (SELECT h.seq FROM reconciliation_heads h WHERE h.commune_code = :commune) AS seq
           FROM (SELECT 1) one LEFT JOIN reconcile_queue_state s ON s.commune_code = :commune
         ), state AS (
           SELECT now.exists, now.sources, now.built_from, concat_ws(':', now.sources, now.seq, now.built_at) AS revision FROM now
         ), ${page}
         SELECT state.*,
                ${viaIndex ? 'NULL' : '(SELECT count(*) FROM hits)'} AS total,
                CASE WHEN :groups THEN (
                  SELECT json_agg(g) FROM (
                    SELECT category, status, decided, flagged, sheet_number AS sheet, count(*) AS n
                    FROM reconcile_queue WHERE commune_code = :commune GROUP BY 1, 2, 3, 4, 5) g) END AS groups,
                (SELECT concat('[', string_agg(CAST(q.item AS text), ',' ORDER BY ${order}), ']') FROM page q) AS items
         FROM state`,
      { ...bindings, offset: (filter.page - 1) * filter.limit, limit: filter.limit, groups },
      { genericPlan: true },
    )

  // Pages read through an index take their total from the commune's group counts.
  const known = viaIndex ? groupsByCommune.get(commune) : undefined
  let state = (await read(viaIndex && known === undefined))[0]!
  if (!state.exists) throw new NotFound(`Không có xã mã ${code} (no commune with this code).`, { field: 'code' })
  if (state.sources !== state.built_from) {
    // A matching run, import, signing or export since the rows were built: rebuild, read again.
    await rebuildQueue(knex, commune)
    state = (await read(viaIndex))[0]!
  } else if (viaIndex && state.groups === null && known?.revision !== state.revision) {
    state = (await read(true))[0]! // the rows changed since their groups were counted
  }
  if (state.groups !== null) groupsByCommune.set(commune, { revision: state.revision, groups: state.groups })
  const total = viaIndex ? sumOf(state.groups ?? known!.groups, filter, sheet) : Number(state.total)
  return {
    commune,
    total,
    page: filter.page,
    limit: filter.limit,
    sort: filter.sort,
    items: state.items,
  }
}

/** What the pages not held by an index filter and sort on: all in reconcile_queue_hits. */
const HIT_COLUMNS = 'q.match_id, q.sheet_digits, q.sheet_number, q.parcel_digits, q.parcel_number, q.category_rank, q.status_rank, q.area_difference'

/** What a page reads of each row: its sort keys and its item's JSON (written with the row, migration 20261123170200). */
const PAGE_COLUMNS = `q.sheet_digits, q.sheet_number, q.parcel_digits, q.parcel_number, q.category_rank, q.status_rank, q.area_difference,
  q.match_id, q.item`

/** The response body of a page: its fields, then the items as PostgreSQL wrote them. */
export function queuePageJson(page: QueuePage): string {
  const { items, ...head } = page
  return `${JSON.stringify(head).slice(0, -1)},"items":${items}}`
}
