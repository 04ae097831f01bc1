/**
 * Writing CSV lines (RFC 4180). Hand-written because it is four lines and runs a million
 * times per province; reading CSV elsewhere uses csv-parse.
 */

export function csvLine(values: ReadonlyArray<string | number>): string {
  return values.map(csvField).join(',') + '\r\n'
}

function csvField(value: string | number): string {
  const text = String(value)
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}
