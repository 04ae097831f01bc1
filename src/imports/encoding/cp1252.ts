/**
 * Windows-1252 as Windows itself reads it: the code page through which legacy TCVN3/VNI bytes
 * were most often misread, leaving residue in "Unicode" text. Used by the VNI decoder for bytes
 * VNI leaves to the Western font, and by residue repair to get the original bytes back.
 */
import iconv from 'iconv-lite'

const BYTE_TO_CHAR: string[] = []
const CHAR_TO_BYTE = new Map<string, number>()

for (let byte = 0; byte < 256; byte++) {
  let char = iconv.decode(Buffer.from([byte]), 'windows1252')
  // 0x81 0x8D 0x8F 0x90 0x9D are unassigned; Windows (and WHATWG) pass them through as
  // U+0081 etc., so a misread string can contain them and must still map back to its byte.
  if (char === '\uFFFD') char = String.fromCharCode(byte)
  BYTE_TO_CHAR.push(char)
  CHAR_TO_BYTE.set(char, byte)
}

export function cp1252Char(byte: number): string {
  return BYTE_TO_CHAR[byte] ?? '\uFFFD'
}

/** The cp1252 bytes of `text`, or null when some character has no cp1252 byte. */
export function toCp1252Bytes(text: string): Buffer | null {
  const bytes: number[] = []
  for (const char of text) {
    const byte = CHAR_TO_BYTE.get(char)
    if (byte === undefined) return null
    bytes.push(byte)
  }
  return Buffer.from(bytes)
}
