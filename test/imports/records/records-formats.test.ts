/**
 * Records files as offices send them: CSV in UTF-16 (Excel's "Unicode text"), in the legacy
 * TCVN3, VNI and Windows-1258 encodings, with legacy-font residue; and Excel workbooks with a
 * title above the header, a column-number row, rich text, formulas and dates.
 * Commune 37093 belongs to this file.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { upsertCommunes } from '../../../src/communes/index.js'
import { encode } from '../../../src/imports/encoding/index.js'
import { createRecordsJob, fileSha256, openRecordSource, runRecordsJob } from '../../../src/imports/records/index.js'
import { testDatabase } from '../../helpers/db.js'

const CODE = '37093'
const db = testDatabase()
let dir: string

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'landbook-records-formats-'))
  await upsertCommunes(db.knex, [{ code: CODE, name: 'Xã Đắk Đoa (thử bảng mã)', provinceCode: '64', srid: 9218 }])
})
afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true })
  await db.close()
})

function write(name: string, content: string | Buffer): string {
  const file = path.join(dir, name)
  fs.writeFileSync(file, content)
  return file
}

async function importFile(file: string) {
  const name = path.basename(file)
  const job = await createRecordsJob(db.knex, { sourceName: name, sha256: await fileSha256(file) })
  return runRecordsJob(db.knex, job.id, { name, path: file })
}

async function rowsOf(file: string) {
  const source = await openRecordSource({ name: path.basename(file), path: file })
  const rows = []
  for await (const row of source.rows()) rows.push(row)
  return { source, rows }
}

const records = () => db.knex('attribute_records').where({ commune_code: CODE }).orderBy('source_row')

const REGISTER = [
  'Mã xã,Số tờ,Số thửa,Tên chủ sử dụng,Diện tích pháp lý,Mục đích sử dụng,Địa chỉ',
  `${CODE},5,12,Nguyễn Văn Thành,1234.5,ONT+CLN,"Thôn 3, Đắk Đoa"`,
  `${CODE},5,13,Rơ Mah H'Nơi và Trần Thị Tường,310,LUC,Ia Grai`,
].join('\r\n')

describe('CSV encodings', () => {
  it('decodes a TCVN3 (ABC) file and says it converted it', async () => {
    const done = await importFile(write(`${CODE}-tcvn3.csv`, encode(REGISTER, 'tcvn3')))
    expect(done.state, done.error ?? '').toBe('succeeded')
    expect(done.report).toMatchObject({ encoding: 'tcvn3', encodingFoundBy: 'detected' })
    const rows = await records()
    expect(rows.map((r) => [r.owner_name, r.address])).toEqual([['Nguyễn Văn Thành', 'Thôn 3, Đắk Đoa'], ["Rơ Mah H'Nơi và Trần Thị Tường", 'Ia Grai']])
    expect(await db.knex('import_findings').where({ job_id: done.id, code: 'encoding_converted' })).toHaveLength(1)
  })

  it('decodes UTF-16 with a byte-order mark and tabs (Excel\'s "Unicode text")', async () => {
    const text = REGISTER.replaceAll('"Thôn 3, Đắk Đoa"', 'Thôn 3, Đắk Đoa').replaceAll(',', '\t').replace('Thôn 3\t Đắk Đoa', 'Thôn 3, Đắk Đoa')
    const done = await importFile(write(`${CODE}-utf16.txt`, Buffer.from(`\uFEFF${text}`, 'utf16le')))
    expect(done.state, done.error ?? '').toBe('succeeded')
    expect(done.report).toMatchObject({ encoding: 'utf16le', encodingFoundBy: 'bom', delimiter: '\t' })
    const rows = await records()
    expect(rows.map((r) => [r.owner_name, r.address, r.legal_area_m2])).toEqual([['Nguyễn Văn Thành', 'Thôn 3, Đắk Đoa', 1234.5], ["Rơ Mah H'Nơi và Trần Thị Tường", 'Ia Grai', 310]])
  })

  it.each([
    ['UTF-16 big-endian with a mark', () => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(REGISTER, 'utf16le').swap16()]), 'utf16be'],
    ['UTF-16 without a mark', () => Buffer.from(REGISTER, 'utf16le'), 'utf16le'],
    ['VNI-Windows', () => encode(REGISTER, 'vni'), 'vni'],
    ['Windows-1258', () => encode(REGISTER, 'cp1258'), 'cp1258'],
    ['UTF-8 without a mark', () => Buffer.from(REGISTER, 'utf8'), 'utf8'],
  ])('reads %s', async (_name, bytes, encoding) => {
    const { source, rows } = await rowsOf(write(`${encoding}.csv`, bytes()))
    expect(source.report.encoding).toBe(encoding)
    expect(rows.map((r) => r.cells[3])).toEqual(['Tên chủ sử dụng', 'Nguyễn Văn Thành', "Rơ Mah H'Nơi và Trần Thị Tường"])
    expect(rows[1]!.cells[6]).toBe('Thôn 3, Đắk Đoa')
  })

  it('decodes a long file whose chunks end inside a VNI letter', async () => {
    const lines = ['Mã xã;Số tờ;Số thửa;Tên chủ sử dụng']
    for (let i = 1; i <= 5000; i++) lines.push(`${CODE};1;${i};Nguyễn Văn Thành Đắk Đoa Tường`)
    const { source, rows } = await rowsOf(write('vni-long.csv', encode(lines.join('\r\n'), 'vni')))
    expect(source.report).toMatchObject({ encoding: 'vni', delimiter: ';' })
    expect(rows).toHaveLength(5001)
    expect(new Set(rows.slice(1).map((r) => r.cells[3]))).toEqual(new Set(['Nguyễn Văn Thành Đắk Đoa Tường']))
  })

  it('finds a legacy encoding that first shows after 64 KiB of plain ASCII rows', async () => {
    const lines = ['ma_xa,so_to,so_thua,ho_ten']
    for (let i = 1; i <= 6000; i++) lines.push(`${CODE},1,${i},UBND xa`)
    lines.push(`${CODE},2,1,Nguyễn Văn Thành`, `${CODE},2,2,Trần Thị Tường`)
    const { source, rows } = await rowsOf(write('ascii-then-tcvn3.csv', encode(lines.join('\r\n'), 'tcvn3')))
    expect(source.report.encoding).toBe('tcvn3')
    expect(rows.slice(-2).map((r) => r.cells[3])).toEqual(['Nguyễn Văn Thành', 'Trần Thị Tường'])
  })

  it('warns about text that could not be decoded (a second encoding late in a UTF-8 file)', async () => {
    const lines = ['ma_xa,so_to,so_thua,ho_ten']
    for (let i = 1; i <= 3000; i++) lines.push(`${CODE},1,${i},Nguyễn Văn Thành`)
    const file = write(`${CODE}-mixed.csv`, Buffer.concat([Buffer.from(lines.join('\n') + '\n'), Buffer.from(`${CODE},2,1,`), encode('Trần Thị Tường', 'tcvn3')]))
    const done = await importFile(file)
    expect(done.state, done.error ?? '').toBe('succeeded')
    expect(done.report).toMatchObject({ encoding: 'utf8' })
    const warnings = await db.knex('import_findings').where({ job_id: done.id, code: 'undecodable_text' })
    expect(warnings.map((f) => [f.row, f.field])).toEqual([[3002, 'ho_ten']])
  })

  it('repairs legacy-font residue in a UTF-8 file, with a finding for each repaired cell', async () => {
    const done = await importFile(write(`${CODE}-residue.csv`, ['ma_xa,so_to,so_thua,ho_ten,dia_chi', `${CODE},1,1,NguyÔn V¨n Thµnh,§¾k §oa`].join('\n')))
    expect(done.state, done.error ?? '').toBe('succeeded')
    const [row] = await records()
    expect([row.owner_name, row.address]).toEqual(['Nguyễn Văn Thành', 'Đắk Đoa'])
    const repaired = await db.knex('import_findings').where({ job_id: done.id, code: 'encoding_residue_repaired' }).orderBy('seq')
    expect(repaired.map((f) => [f.row, f.field])).toEqual([[2, 'ho_ten'], [2, 'dia_chi']])
  })
})

describe('Excel workbooks', () => {
  it('reads the first visible sheet below its title, with rich text, formulas, numbers and dates', async () => {
    const workbook = new ExcelJS.Workbook()
    workbook.addWorksheet('Hướng dẫn', { state: 'hidden' }).addRow(['Mã xã', 'Số tờ', 'Số thửa'])
    const sheet = workbook.addWorksheet('Sổ địa chính')
    sheet.mergeCells('A1:J1')
    sheet.getCell('A1').value = 'DANH SÁCH HỒ SƠ ĐỊA CHÍNH'
    sheet.getRow(3).values = ['Mã xã', 'Tờ bản đồ số', 'Thửa đất số', 'Họ tên', 'Diện tích', 'Loại đất', 'Số seri', 'Số vào sổ', 'Địa chỉ', 'Ngày cấp']
    sheet.getRow(4).values = ['(1)', '(2)', '(3)', '(4)', '(5)', '(6)', '(7)', '(8)', '(9)', '(10)']
    sheet.getRow(5).values = [Number(CODE), 5, '012', { richText: [{ text: 'Nguyễn ' }, { font: { bold: true }, text: 'Văn Thành' }] }, 1234.5, 'ONT+CLN', 'cs 123456', 'CH00001', 'Đắk Đoa', new Date(Date.UTC(2015, 5, 1))]
    sheet.getRow(6).values = [Number(CODE), 5, 13, 'NguyÔn V¨n Thµnh', { formula: 'E5/2', result: 617.25 }, 'CLN', 'BA 000002', 'H00001', 'Thôn 1']
    sheet.getRow(7).values = [Number(CODE), 5, new Date(Date.UTC(2024, 11, 5)), 'Lê Văn Tám', 10, 'CLN']
    sheet.getRow(8).values = [Number(CODE), 5, 14, { text: 'Lê Thị Hoa', hyperlink: 'mailto:hoa@example.com' }, '1.234,5', 'LUC']
    const file = path.join(dir, `${CODE}.xlsx`)
    await workbook.xlsx.writeFile(file)

    const done = await importFile(file)
    expect(done.state, done.error ?? '').toBe('succeeded')
    expect(done.report).toMatchObject({ format: 'xlsx', sheet: 'Sổ địa chính', headerRow: 3, unmapped: ['Ngày cấp'] })
    expect(done.counts).toMatchObject({ records: 3, rejected: 1 })
    const rows = await records()
    expect(rows.map((r) => [r.source_row, r.sheet_number, r.parcel_number, r.parcel_number_raw, r.owner_name, r.legal_area_m2, r.certificate_serial])).toEqual([
      [5, '5', '12', '012', 'Nguyễn Văn Thành', 1234.5, 'CS 123456'],
      [6, '5', '13', '13', 'Nguyễn Văn Thành', 617.25, 'BA 000002'],
      [8, '5', '14', '14', 'Lê Thị Hoa', 1234.5, null],
    ])
    expect(rows[0].attributes).toEqual({ 'Ngày cấp': '2015-06-01' })
    const findings = await db.knex('import_findings').where({ job_id: done.id }).orderBy('seq')
    expect(findings.map((f) => [f.code, f.row, f.field])).toEqual(expect.arrayContaining([
      ['rows_before_header', 1, null],
      ['column_numbers_row', 4, null],
      ['encoding_residue_repaired', 6, 'Họ tên'],
      ['key_is_date', 7, 'Thửa đất số'],
    ]))
  })

  it('refuses a legacy .xls workbook and a file that only claims to be .xlsx', async () => {
    const xls = await importFile(write('old.xls', Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)])))
    expect(xls.state).toBe('failed')
    expect(xls.error).toMatch(/\.xls/)
    const fake = await importFile(write('fake.xlsx', 'Mã xã,Số tờ,Số thửa\n'))
    expect(fake.state).toBe('failed')
    expect(fake.error).toMatch(/không phải bảng tính \.xlsx/)
  })
})
