/**
 * TCVN3 (ABC; TCVN 5712:1993 VN3, bảng mã TCVN3) — the one-byte font encoding of most
 * pre-Unicode Vietnamese cadastral DBFs (.VnTime/.VnArial fonts).
 *
 * Table: iconv-lite's `tcvn` codec (full TCVN 5712, a superset) for bytes 0x80–0xFF; its
 * 0xA1–0xFE letters match the ABC font table (Ă Â Ê Ô Ơ Ư Đ at 0xA1–0xA7, ă â ê ô ơ ư đ at
 * 0xA8–0xAE, toned lowercase letters in 0xB5–0xFE).
 *
 * Bytes 0x00–0x7F are plain ASCII here, unlike iconv-lite, which maps 0x01, 0x02, 0x04–0x06
 * and 0x11–0x17 to toned capitals (Ú Ụ Ừ Ử Ữ Ứ Ự Ỳ Ỷ Ỹ Ý Ỵ) as in TCVN 5712 VN1. ABC fonts
 * (VN3) leave the control range alone, DBF text never holds control codes, and a stray 0x01
 * decoding to "Ú" would hide corruption as a letter.
 *
 * Capitals with tone marks have no TCVN3 byte: typists switch to the ".VnTimeH" capitals
 * font, which draws the *lowercase* byte values as capitals. The bytes cannot say which font
 * was used, so decoding gives lowercase ("ẨN" typed that way decodes as "ẩN"); encoding does
 * the same in reverse (lossy case, as in practice).
 */
import iconv from 'iconv-lite'

const BYTE_TO_CHAR: string[] = []
/** Bytes an ABC font actually uses; the rest of 0x80–0xFF are VN1/VN2-only positions. */
const ABC_BYTES = new Set<number>()
const CHAR_TO_BYTE = new Map<string, number>()

const ABC_CAPITALS = new Set(['Ă', 'Â', 'Ê', 'Ô', 'Ơ', 'Ư', 'Đ'])

for (let byte = 0; byte < 256; byte++) {
  const char = byte < 0x80 ? String.fromCharCode(byte) : iconv.decode(Buffer.from([byte]), 'tcvn')
  BYTE_TO_CHAR.push(char)
  if (byte < 0x80) continue
  const isLowercaseLetter = char !== char.toUpperCase()
  if (byte === 0xa0 || isLowercaseLetter || ABC_CAPITALS.has(char)) {
    ABC_BYTES.add(byte)
    CHAR_TO_BYTE.set(char, byte)
  }
}

/**
 * Decodes TCVN3 bytes to NFC text. With `strict`, bytes no ABC font produces (toned capitals
 * and spacing tone marks of the VN1/VN2 tables) become U+FFFD: detection and residue repair
 * use that so a wrong guess cannot borrow letters TCVN3 files never contain.
 */
export function decodeTcvn3(bytes: Uint8Array, options: { strict?: boolean } = {}): string {
  let text = ''
  for (const byte of bytes) {
    if (options.strict && byte >= 0x80 && !ABC_BYTES.has(byte)) text += '\uFFFD'
    else text += BYTE_TO_CHAR[byte]
  }
  // Bytes 0xB0–0xB4 are combining tone marks in TCVN 5712; NFC attaches them.
  return text.normalize('NFC')
}

/** Encodes NFC text; toned capitals take their lowercase byte, other unknowns become '?'. */
export function encodeTcvn3(text: string): Buffer {
  const bytes: number[] = []
  for (const char of text.normalize('NFC')) {
    const code = char.codePointAt(0) ?? 0x3f
    if (code < 0x80) {
      bytes.push(code)
      continue
    }
    bytes.push(CHAR_TO_BYTE.get(char) ?? CHAR_TO_BYTE.get(char.toLowerCase()) ?? 0x3f)
  }
  return Buffer.from(bytes)
}
