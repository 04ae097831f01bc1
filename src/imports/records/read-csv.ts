/**
 * Reading attribute records from CSV (tệp CSV hồ sơ) with csv-parse, streamed: the encoding
 * is chosen from a sample of the file (see csv-encoding.ts and `sampleOf`), the delimiter
 * (",", ";" or tab) from the first lines. Every record counts as a row, blank ones too, so row numbers are the ones
 * a spreadsheet program shows.
 */
import fs from 'node:fs'
import { Readable, pipeline } from 'node:stream'
import { CsvError, parse } from 'csv-parse'
import { Invalid } from '../../errors.js'
import type { Finding } from '../findings.js'
import { chooseCsvEncoding, decodeLines, type CsvEncodingChoice } from './csv-encoding.js'
import type { RecordSource, RecordsFile, SourceRow } from './source.js'

const SAMPLE_BYTES = 64 * 1024
const DELIMITERS = [',', ';', '\t'] as const

export async function openCsvSource(input: RecordsFile): Promise<RecordSource> {
  const file = input.name
  const { sample, detectionSample, whole, lineFeeds } = await sampleOf(input.path)
  const choice = chooseCsvEncoding(detectionSample, whole)
  const head = await firstText(sample, choice)
  const delimiter = chooseDelimiter(head)
  const findings: Finding[] = []
  if (choice.how === 'detected') {
    findings.push({
      code: 'encoding_converted', severity: 'info', file,
      message: `Văn bản trong ${file} dùng bảng mã ${choice.encoding.toUpperCase()}, đã chuyển sang Unicode (converted from ${choice.encoding} to Unicode NFC).`,
    })
    if (choice.confidence === 0) {
      findings.push({
        code: 'encoding_uncertain', severity: 'warning', file,
        message: `Không chắc chắn về bảng mã của ${file}; đã đọc theo ${choice.encoding.toUpperCase()}. Hãy kiểm tra tên chủ sử dụng trong báo cáo; nếu sai, lưu tệp dưới dạng UTF-8 rồi nhập lại (encoding uncertain).`,
      })
    }
  }
  return {
    file,
    format: 'csv',
    total: Math.max(lineFeeds - 1, 0) || null,
    findings,
    report: { format: 'csv', encoding: choice.encoding, encodingFoundBy: choice.how, encodingConfidence: choice.confidence, delimiter },
    rows: () => readRows(input.path, file, choice, delimiter),
  }
}

/**
 * The first 64 KiB, whether that is the whole file, and its line count (for progress). When
 * the first 64 KiB are plain ASCII, the lines around the first other byte come along: a
 * register sorted with its "UBND" rows first must not be taken for UTF-8 on their account.
 */
async function sampleOf(filePath: string): Promise<{ sample: Buffer; detectionSample: Buffer; whole: boolean; lineFeeds: number }> {
  const parts: Buffer[] = []
  let length = 0
  let lineFeeds = 0
  let highSeen = false
  let later: Buffer | null = null
  for await (const chunk of fs.createReadStream(filePath)) {
    const bytes = chunk as Buffer
    if (length < SAMPLE_BYTES) {
      const part = bytes.subarray(0, SAMPLE_BYTES - length)
      parts.push(part)
      highSeen ||= firstHighByte(part) >= 0
    } else if (!highSeen && later === null) {
      const high = firstHighByte(bytes)
      if (high >= 0) later = bytes.subarray(bytes.lastIndexOf(0x0a, high) + 1).subarray(0, SAMPLE_BYTES)
    }
    length += bytes.length
    for (let i = bytes.indexOf(0x0a); i >= 0; i = bytes.indexOf(0x0a, i + 1)) lineFeeds++
  }
  const sample = Buffer.concat(parts)
  const detectionSample = later ? Buffer.concat([sample.subarray(0, sample.lastIndexOf(0x0a) + 1), later]) : sample
  return { sample, detectionSample, whole: length <= SAMPLE_BYTES, lineFeeds }
}

function firstHighByte(bytes: Buffer): number {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! >= 0x80) return i
  return -1
}

/** The sample as text; a legacy letter cut at the sample's end does not matter for delimiters. */
async function firstText(sample: Buffer, choice: CsvEncodingChoice): Promise<string> {
  let text = ''
  for await (const part of decodeLines([sample], choice)) text += part
  return text
}

/** The delimiter that splits some line of the head into the most cells (quoted text aside). */
export function chooseDelimiter(head: string): ',' | ';' | '\t' {
  const lines = head.split(/\r\n|\n|\r/).filter((line) => line.trim() !== '').slice(0, 10)
  let best: ',' | ';' | '\t' = ','
  let bestCount = 0
  for (const delimiter of DELIMITERS) {
    const count = Math.max(0, ...lines.map((line) => line.replace(/"[^"]*"/g, '').split(delimiter).length - 1))
    if (count > bestCount) {
      best = delimiter
      bestCount = count
    }
  }
  return best
}

async function* readRows(filePath: string, file: string, choice: CsvEncodingChoice, delimiter: string): AsyncGenerator<SourceRow> {
  const parser = parse({
    delimiter,
    // Files edited on more than one machine mix line endings.
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
  })
  const text = Readable.from(decodeLines(fs.createReadStream(filePath) as AsyncIterable<Buffer>, choice))
  pipeline(text, parser, () => {
    // Errors reach the loop below through the parser.
  })
  let row = 0
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      row++
      yield { row, cells: record }
    }
  } catch (error) {
    if (error instanceof CsvError) {
      const at = row + 1
      throw new Invalid(`Tệp ${file}, dòng ${at}: cấu trúc CSV bị hỏng (${error.code === 'CSV_QUOTE_NOT_CLOSED' ? 'dấu ngoặc kép mở mà không đóng' : error.message}); không nhập gì (malformed CSV).`, { file, row: at })
    }
    throw error
  } finally {
    parser.destroy()
  }
}
