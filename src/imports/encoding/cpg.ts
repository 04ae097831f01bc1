/**
 * Reads the code page named in a shapefile's `.cpg` sidecar (tệp mã trang) into one of the
 * Vietnamese encodings. Unknown or non-Vietnamese code pages give null, so the caller falls
 * back to detection: a ".cpg" saying 1252 over Vietnamese text usually means TCVN3 or VNI
 * bytes written by software that did not know better.
 */
import type { VietEncoding } from './codec.js'

// Keys are the .cpg text upper-cased with spaces, hyphens, underscores and dots removed.
const CODE_PAGES: Record<string, VietEncoding> = {
  UTF8: 'utf8',
  '65001': 'utf8',
  '1258': 'cp1258',
  CP1258: 'cp1258',
  WINDOWS1258: 'cp1258',
  WIN1258: 'cp1258',
  ANSI1258: 'cp1258',
  TCVN3: 'tcvn3',
  TCVN: 'tcvn3',
  ABC: 'tcvn3',
  TCVN5712: 'tcvn3',
  VNI: 'vni',
  VNIWIN: 'vni',
  VNIWINDOWS: 'vni',
}

export function normalizeCpg(cpgText: string): VietEncoding | null {
  // trim() also drops a byte-order mark and the CR/LF most .cpg files end with.
  const key = cpgText.trim().toUpperCase().replace(/[\s\-_.]/g, '')
  return CODE_PAGES[key] ?? null
}
