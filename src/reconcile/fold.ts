/**
 * Text as the work queue searches and filters it: owner names folded for accent-insensitive
 * search, and sheet numbers in their key form. `foldName` must fold exactly as the database
 * function `landbook_fold` (migration 20261123101400) that fills `owner_name_folded`.
 */

/** "Nguyễn  Văn ĐỨC" → "nguyen van duc": marks removed, đ → d, lower case, spaces folded. */
export function foldName(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
}

/** A LIKE pattern matching the text anywhere, with LIKE's own wildcards taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

/** Sheet and parcel numbers as the imports store them: "012" and "12.0" are "12", "12A" is "12a". */
export function keyNumber(raw: string): string {
  return raw.normalize('NFC').trim().toLowerCase().replace(/^(\d+)\.0+$/, '$1').replace(/^0+(?=\d)/, '')
}
