/**
 * Loads a generated commune's records CSV straight into attribute_records, for tests of
 * matching that must not depend on the records import. Columns are positional, as the
 * generator writes them: commune, sheet, parcel, owner, legal area, land use, serial, book, address.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Knex } from 'knex'
import { parse } from 'csv-parse/sync'

export async function insertGeneratedRecords(knex: Knex, provinceDir: string, code: string): Promise<number> {
  const rows = parse(fs.readFileSync(path.join(provinceDir, 'records', `${code}.csv`)), { bom: true, from_line: 2 }) as string[][]
  const records = rows.map((r, i) => ({
    commune_code: code,
    sheet_number: r[1],
    parcel_number: r[2],
    sheet_number_raw: r[1],
    parcel_number_raw: r[2],
    owner_name: r[3] || null,
    legal_area_m2: Number(r[4]),
    land_use_codes: r[5]!.split('+'),
    land_use_raw: r[5],
    certificate_serial: r[6],
    book_entry_number: r[7],
    address: r[8],
    source_row: i + 2,
  }))
  for (let i = 0; i < records.length; i += 1000) await knex('attribute_records').insert(records.slice(i, i + 1000))
  return records.length
}
