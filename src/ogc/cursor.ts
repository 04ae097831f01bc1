/**
 * Keyset paging (phân trang theo khóa): a page starts after (or ends before) the key of the
 * last (first) feature of the page the client came from, so page 1,000 of a province costs
 * what page 1 costs, and a feature added meanwhile never shifts the pages. The key is the
 * table's primary key, (commune_code, id), or the commune code for communes.
 *
 * The cursor also carries numberMatched from the first page: counting 1.6 million parcels
 * again for every page would cost more than the page itself.
 */
import { Invalid } from '../errors.js'

export interface Cursor {
  /** 'after': the page after `key`; 'before': the page before it. */
  direction: 'after' | 'before'
  key: [string, number] | [string]
  /** numberMatched as counted on the first page. */
  matched: number | null
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.direction === 'after' ? 'a' : 'b', cursor.key, cursor.matched])).toString('base64url')
}

export function decodeCursor(value: string | undefined): Cursor | null {
  if (value === undefined) return null
  try {
    const [direction, key, matched] = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as [unknown, unknown, unknown]
    const keyOk =
      Array.isArray(key) &&
      typeof key[0] === 'string' &&
      (key.length === 1 || (key.length === 2 && Number.isSafeInteger(key[1])))
    if ((direction === 'a' || direction === 'b') && keyOk && (matched === null || Number.isSafeInteger(matched))) {
      return { direction: direction === 'a' ? 'after' : 'before', key: key as Cursor['key'], matched: matched as number | null }
    }
  } catch {
    // falls through to the 400 below
  }
  throw new Invalid('Tham số cursor không hợp lệ: hãy dùng đúng liên kết next/prev của trang trước (invalid cursor; follow the next/prev links).', { field: 'cursor' })
}
