/**
 * Attribute-record imports against the real database: a generated commune's register loads
 * whole and right, in the three header styles; re-imports replace; bad rows are reported and
 * skipped; bad files load nothing and leave the commune's records as they were.
 * Communes 37000–37001 (generated) and 37090–37093 (made here) belong to this file.
 */
import fs from 'node:fs'
import path from 'node:path'
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { upsertCommunes } from '../../../src/communes/index.js'
import { createRecordsJob, fileSha256, RECORD_FIELD_NAMES, runRecordsJob, type RecordsJobOptions } from '../../../src/imports/records/index.js'
import { RECORDS_HEADERS } from '../../../src/synthetic/index.js'
import { testDatabase } from '../../helpers/db.js'
import { makeProvince, registerCommunes, type TestProvince } from '../../helpers/province.js'

const db = testDatabase()
let province: TestProvince

beforeAll(async () => {
  province = await makeProvince({ firstCode: 37000, communes: 2, parcelsPerCommune: 300 })
  await registerCommunes(db.knex, province)
  await upsertCommunes(db.knex, ['37090', '37091', '37092', '37093'].map((code) => ({ code, name: `Xã thử ${code}`, provinceCode: '64', srid: 9218 })))
})
afterAll(async () => {
  province?.cleanUp()
  await db.close()
})

const csvOf = (code: string) => path.join(province.dir, 'records', `${code}.csv`)

async function importFile(file: string, options: RecordsJobOptions = {}, name = path.basename(file)) {
  const job = await createRecordsJob(db.knex, { sourceName: name, sha256: await fileSha256(file), communeCode: options.communeCode ?? null, mapping: options.mapping })
  return runRecordsJob(db.knex, job.id, { name, path: file }, options)
}

function write(name: string, content: string | Buffer): string {
  const file = path.join(province.dir, name)
  fs.writeFileSync(file, content)
  return file
}

async function findingsOf(jobId: number, code?: string) {
  const query = db.knex('import_findings').where({ job_id: jobId }).orderBy('seq')
  return code ? query.andWhere({ code }) : query
}

const recordsOf = (code: string) => db.knex('attribute_records').where({ commune_code: code }).orderBy('source_row')

describe('a generated commune register', () => {
  let job: Awaited<ReturnType<typeof importFile>>
  let code: string
  beforeAll(async () => {
    code = province.codes[0]!
    job = await importFile(csvOf(code))
  })

  it('loads every record with its key and values as the CSV has them', async () => {
    expect(job.state, job.error ?? '').toBe('succeeded')
    const truth = province.truth(code)
    const csv: string[][] = parse(fs.readFileSync(csvOf(code), 'utf8'), { bom: true })
    const [header, ...lines] = csv
    expect(header).toEqual(RECORDS_HEADERS.vietnamese)
    const rows = await recordsOf(code)
    expect(rows).toHaveLength(truth.records)
    expect(lines).toHaveLength(truth.records)
    expect(job.counts).toMatchObject({ records: truth.records, rejected: 0, replaced: 0 })
    lines.forEach(([commune, sheet, parcel, owner, area, landUse, serial, bookEntry, address], i) => {
      const r = rows[i]!
      expect(r.source_row, `line ${i + 2}`).toBe(i + 2)
      expect(r).toMatchObject({
        commune_code: commune, sheet_number: sheet, parcel_number: parcel, sheet_number_raw: sheet, parcel_number_raw: parcel,
        owner_name: owner, certificate_serial: serial, book_entry_number: bookEntry, address, land_use_raw: landUse,
        land_use_codes: landUse!.split('+'), import_job_id: job.id, attributes: {},
      })
      expect(Number(r.legal_area_m2)).toBeCloseTo(Number(area), 2)
      expect(r.owners.map((o: { name: string }) => o.name).join(' và ')).toBe(owner)
    })
  })

  it('agrees with the ground truth: keys with records, and the planted duplicate records flagged', async () => {
    const truth = province.truth(code)
    const keys = new Set((await recordsOf(code)).map((r) => `${r.sheet_number}/${r.parcel_number}`))
    for (const [sheet, parcels] of Object.entries(truth.parcelsWithRecords)) for (const parcel of parcels) expect(keys.has(`${sheet}/${parcel}`), `${sheet}/${parcel}`).toBe(true)
    const duplicates = truth.planted.filter((p) => p.kind === 'duplicate_key' && (p.detail as { side?: string }).side === 'records')
    const flagged = (await findingsOf(job.id, 'duplicate_key')).map((f) => `${f.sheet_number}/${f.parcel_number}`)
    expect(flagged.sort()).toEqual(duplicates.map((p) => `${p.sheet}/${p.parcel}`).sort())
  })

  it('reports the columns it used', async () => {
    expect(job.report).toMatchObject({
      format: 'csv', encoding: 'utf8', delimiter: ',', headerRow: 1,
      mapping: { commune: 'Mã xã', sheet: 'Số tờ', parcel: 'Số thửa', owner: 'Tên chủ sử dụng', legalArea: 'Diện tích pháp lý', landUse: 'Mục đích sử dụng', serial: 'Số phát hành GCN', bookEntry: 'Số vào sổ', address: 'Địa chỉ' },
      unmapped: [],
    })
  })

  it('recognises the same file uploaded again and loads nothing twice', async () => {
    const again = await importFile(csvOf(code))
    expect(again.state).toBe('duplicate')
    expect(again.duplicate_of).toBe(job.id)
    expect(await recordsOf(code)).toHaveLength(province.truth(code).records)
  })

  it('loads the same file again when the user maps its columns differently (fixing a mapping)', async () => {
    const again = await importFile(csvOf(code), { mapping: { address: 'Số vào sổ', bookEntry: 'Địa chỉ' } })
    expect(again.state, again.error ?? '').toBe('succeeded')
    expect(again.counts).toMatchObject({ replaced: province.truth(code).records })
    const [first] = await recordsOf(code)
    expect(first.address).toMatch(/^C?H\d{5}$/)
    const back = await importFile(csvOf(code))
    expect(back.state, back.error ?? '').toBe('succeeded')
    expect(await importFile(csvOf(code))).toMatchObject({ state: 'duplicate', duplicate_of: back.id })
  })
})

describe('header styles and re-imports', () => {
  it('loads the ASCII and the alternate headers alike; each import replaces the commune\'s records', async () => {
    const code = province.codes[1]!
    const [, ...body] = fs.readFileSync(csvOf(code), 'utf8').replace(/^\uFEFF/, '').split('\r\n')
    const expected = province.truth(code).records
    let previous: number | null = null
    for (const [style, headers] of Object.entries(RECORDS_HEADERS)) {
      const file = write(`${code}-${style}.csv`, [headers.join(','), ...body].join('\r\n'))
      const done = await importFile(file)
      expect(done.state, `${style}: ${done.error}`).toBe('succeeded')
      expect(done.counts).toMatchObject({ records: expected, rejected: 0, replaced: previous === null ? 0 : expected })
      const mapping = done.report!.mapping as Record<string, string>
      // The generator writes the nine register columns; the coordinate fields stay unmapped.
      expect(RECORD_FIELD_NAMES.slice(0, headers.length).map((field) => mapping[field])).toEqual(headers)
      expect(RECORD_FIELD_NAMES.slice(headers.length).map((field) => mapping[field])).toEqual(RECORD_FIELD_NAMES.slice(headers.length).map(() => undefined))
      const rows = await recordsOf(code)
      expect(rows).toHaveLength(expected)
      expect(new Set(rows.map((r) => r.import_job_id))).toEqual(new Set([done.id]))
      expect(done.report!.replacedJobs).toEqual(previous === null ? [] : [previous])
      previous = done.id
    }
  })

  it('loads a file again once a later file has replaced its records (going back to it)', async () => {
    const code = province.codes[1]!
    const first = await importFile(path.join(province.dir, `${code}-vietnamese.csv`))
    expect(first.state, first.error ?? '').toBe('succeeded')
    expect(first.counts).toMatchObject({ replaced: province.truth(code).records })
  })
})

describe('rows with errors', () => {
  const CODE = '37090'
  it('reports each bad row with its row number and column, and loads the good rows', async () => {
    const file = write(`${CODE}-errors.csv`, [
      'Mã xã;Số tờ;Số thửa;Họ tên;Diện tích;Loại đất;Số seri;Số vào sổ;Địa chỉ;Ghi chú',
      `${CODE};Tờ 5;012;Nguyễn Văn Thành và Lê Thị Hoa;1.234,5;ONT+CLN;cs123456;CH00001;Đắk Đoa;đã đo lại`,
      `${CODE};5;;Lê Văn B;100;CLN;CS 000002;CH00002;Thôn 1;`,
      `${CODE};5;13;Lê Văn C;12,3,4;CLN;CS 000003;CH00003;Thôn 1;`,
      `23500;5;14;Lê Văn D;100;CLN;CS 000004;CH00004;Thôn 1;`,
      `${CODE};5;15;Lê Văn E;100;CLN;CS 000005;CH00005;Thôn 1;;thừa`,
      '',
      `${Number(CODE)};;6/7;UBND xã;250,0;DGT;;;;`,
      `${CODE};5;12a;Trần Thị F;99,5;Đất ở;chưa cấp;;;`,
    ].join('\n'))
    const done = await importFile(file)
    expect(done.state, done.error ?? '').toBe('succeeded')
    expect(done.counts).toMatchObject({ records: 3, rejected: 4 })
    expect(done.report).toMatchObject({ delimiter: ';', decimalMark: ',', unmapped: ['Ghi chú'] })

    const errors = (await findingsOf(done.id)).filter((f) => f.severity === 'error').map((f) => [f.row, f.code, f.field])
    expect(errors).toEqual([
      [3, 'missing_key', 'Số thửa'],
      [4, 'unreadable_area', 'Diện tích'],
      [5, 'other_commune', 'Mã xã'],
      [6, 'too_many_cells', null],
    ])
    const [missing] = await findingsOf(done.id, 'missing_key')
    expect(missing.message).toMatch(/^Dòng 3: cột Số thửa trống/)

    const rows = await recordsOf(CODE)
    expect(rows.map((r) => [r.source_row, r.sheet_number, r.parcel_number, r.sheet_number_raw, r.parcel_number_raw])).toEqual([
      [2, '5', '12', 'Tờ 5', '012'],
      [8, '6', '7', null, '6/7'],
      [9, '5', '12a', '5', '12a'],
    ])
    expect(rows[0]).toMatchObject({ legal_area_m2: 1234.5, certificate_serial: 'CS 123456', land_use_codes: ['ONT', 'CLN'], attributes: { 'Ghi chú': 'đã đo lại' } })
    expect(rows[0].owners).toEqual([{ name: 'Nguyễn Văn Thành' }, { name: 'Lê Thị Hoa' }])
    expect(rows[1]).toMatchObject({ legal_area_m2: 250, owner_name: 'UBND xã', owners: [{ name: 'UBND xã' }], certificate_serial: null })
    expect(rows[2]).toMatchObject({ land_use_codes: [], land_use_raw: 'Đất ở', certificate_serial: 'chưa cấp' })
    expect((await findingsOf(done.id, 'land_use_not_code')).map((f) => f.row)).toEqual([9])
    expect((await findingsOf(done.id, 'serial_unrecognised')).map((f) => f.row)).toEqual([9])
  })
})

describe('whose register a file is', () => {
  it('is the commune most rows name, so a mistyped code in the first row is only that row\'s error', async () => {
    const CODE = '37090'
    const done = await importFile(write(`${CODE}-typo.csv`, ['ma_xa,so_to,so_thua', '37092,3,1', `${CODE},3,2`, `${Number(CODE)},3,3`].join('\n')))
    expect(done.state, done.error ?? '').toBe('succeeded')
    expect(done.commune_code).toBe(CODE)
    expect((await findingsOf(done.id, 'other_commune')).map((f) => f.row)).toEqual([2])
    expect((await recordsOf(CODE)).map((r) => r.parcel_number)).toEqual(['2', '3'])
  })
})

describe('areas with a lone separator before three digits', () => {
  const CODE = '37090'
  const load = (name: string, areas: string[]) =>
    importFile(write(name, ['ma_xa,so_to,so_thua,dien_tich', ...areas.map((a, i) => `${CODE},9,${i + 1},"${a}"`)].join('\n')))

  it('reads them with the decimal mark the rest of the file uses', async () => {
    const done = await load(`${CODE}-dot.csv`, ['1.234', '99.5', '2.345'])
    expect(done.state, done.error ?? '').toBe('succeeded')
    expect((await recordsOf(CODE)).map((r) => r.legal_area_m2)).toEqual([1.23, 99.5, 2.35])
    const comma = await load(`${CODE}-comma.csv`, ['1.234', '99,5'])
    expect((await recordsOf(CODE)).map((r) => r.legal_area_m2)).toEqual([1234, 99.5])
    expect(await findingsOf(comma.id, 'ambiguous_area')).toEqual([])
  })

  it('reads them as thousands when nothing in the file says otherwise, with a warning on each', async () => {
    const done = await load(`${CODE}-unknown.csv`, ['1.234', '250'])
    expect((await recordsOf(CODE)).map((r) => r.legal_area_m2)).toEqual([1234, 250])
    const warnings = await findingsOf(done.id, 'ambiguous_area')
    expect(warnings.map((f) => [f.row, f.field, f.details])).toEqual([[2, 'dien_tich', { raw: '1.234', read: 1234 }]])
  })
})

describe('files that load nothing', () => {
  const CODE = '37091'
  let good: Awaited<ReturnType<typeof importFile>>
  const state = async () => (await recordsOf(CODE)).map((r) => [r.id, r.import_job_id])

  beforeAll(async () => {
    good = await importFile(write(`${CODE}.csv`, ['ma_xa,so_to,so_thua,ho_ten,dien_tich', `${CODE},1,1,Siu Thơm,100.5`, `${CODE},1,2,Ksor H'Nơi,200`].join('\n')))
    expect(good.state, good.error ?? '').toBe('succeeded')
  })

  it('fails a file without a key column, naming the headers it has, and keeps the commune\'s records', async () => {
    const before = await state()
    const done = await importFile(write(`${CODE}-no-parcel.csv`, ['ma_xa,so_to,ho_ten', `${CODE},1,Siu Thơm`].join('\n')))
    expect(done.state).toBe('failed')
    expect(done.error).toContain('Số thửa')
    expect(done.error).toContain('ma_xa, so_to, ho_ten')
    const [failure] = await findingsOf(done.id, 'import_failed')
    expect(failure).toMatchObject({ file: `${CODE}-no-parcel.csv`, field: 'parcel' })
    expect(await state()).toEqual(before)
  })

  it('fails a file whose every row has an error, keeping the row errors in its report', async () => {
    const before = await state()
    const done = await importFile(write(`${CODE}-all-bad.csv`, ['ma_xa,so_to,so_thua,dien_tich', `${CODE},1,,10`, `${CODE},1,2,mười`].join('\n')))
    expect(done.state).toBe('failed')
    expect(done.error).toMatch(/không có hồ sơ nào dùng được trong 2 dòng/)
    expect((await findingsOf(done.id)).map((f) => [f.code, f.row])).toEqual([['import_failed', null], ['missing_key', 2], ['unreadable_area', 3]])
    expect(await state()).toEqual(before)
  })

  it('fails a CSV broken in the middle (a quote never closed) and loads none of its rows', async () => {
    const before = await state()
    const done = await importFile(write(`${CODE}-quote.csv`, ['ma_xa,so_to,so_thua,ho_ten', `${CODE},2,1,An`, `${CODE},2,2,"Bình`, `${CODE},2,3,Chi`].join('\n')))
    expect(done.state).toBe('failed')
    expect(done.error).toMatch(/dòng 3: cấu trúc CSV bị hỏng/)
    expect(await state()).toEqual(before)
  })

  it('fails a file of another commune than the one chosen', async () => {
    const done = await importFile(write(`${CODE}-other.csv`, ['ma_xa,so_to,so_thua', '37092,1,1'].join('\n')), { communeCode: CODE })
    expect(done.state).toBe('failed')
    expect((await findingsOf(done.id, 'other_commune')).map((f) => f.row)).toEqual([2])
  })

  it('refuses to replace records that carry a clerk\'s reconciliation decision', async () => {
    const before = await state()
    const [record] = await recordsOf(CODE)
    await db.knex('matches').insert({ commune_code: CODE, record_id: record.id, category: 'record_only', decided: true })
    try {
      const done = await importFile(write(`${CODE}-v2.csv`, ['ma_xa,so_to,so_thua', `${CODE},1,1`].join('\n')))
      expect(done.state).toBe('failed')
      expect(done.error).toMatch(/quyết định đối soát/)
      expect(await state()).toEqual(before)
    } finally {
      await db.knex('matches').where({ commune_code: CODE }).delete()
    }
  })
})

describe('a sheet left out of a re-import', () => {
  it('warns that the replaced records of that sheet are gone', async () => {
    const CODE = '37092'
    const first = await importFile(write(`${CODE}.csv`, ['ma_xa,so_to,so_thua', `${CODE},1,1`, `${CODE},2,1`, `${CODE},2,2`].join('\n')))
    expect(first.state, first.error ?? '').toBe('succeeded')
    const second = await importFile(write(`${CODE}-sheet1.csv`, ['ma_xa,so_to,so_thua', `${CODE},1,1`].join('\n')))
    expect(second.state, second.error ?? '').toBe('succeeded')
    expect(second.counts).toMatchObject({ records: 1, replaced: 3 })
    const [warning] = await findingsOf(second.id, 'sheets_dropped')
    expect(warning.details).toEqual({ sheets: ['2'], records: 2 })
  })
})
