/**
 * Encoding dispatch: one decode/encode pair over the four encodings Vietnamese land data
 * arrives in (bảng mã: Unicode UTF-8, TCVN3/ABC, VNI-Windows, Windows-1258).
 * Every decode returns NFC so text compares and indexes the same whatever its source.
 */
import { decodeCp1258, encodeCp1258 } from './cp1258.js'
import { decodeTcvn3, encodeTcvn3 } from './tcvn3.js'
import { decodeVni, encodeVni } from './vni.js'

export type VietEncoding = 'utf8' | 'tcvn3' | 'vni' | 'cp1258'

/** Fixed order; also the tie-break order when two decodings score the same. */
export const VIET_ENCODINGS: readonly VietEncoding[] = ['utf8', 'tcvn3', 'vni', 'cp1258']

export function decode(bytes: Buffer, encoding: VietEncoding): string {
  switch (encoding) {
    case 'utf8':
      return bytes.toString('utf8').normalize('NFC')
    case 'tcvn3':
      return decodeTcvn3(bytes)
    case 'vni':
      return decodeVni(bytes)
    case 'cp1258':
      return decodeCp1258(bytes)
    default:
      throw new TypeError(`Unknown Vietnamese encoding: ${String(encoding)}`)
  }
}

/** Characters an encoding cannot represent become '?' (as iconv and Windows do). */
export function encode(text: string, encoding: VietEncoding): Buffer {
  switch (encoding) {
    case 'utf8':
      return Buffer.from(text.normalize('NFC'), 'utf8')
    case 'tcvn3':
      return encodeTcvn3(text)
    case 'vni':
      return encodeVni(text)
    case 'cp1258':
      return encodeCp1258(text)
    default:
      throw new TypeError(`Unknown Vietnamese encoding: ${String(encoding)}`)
  }
}
