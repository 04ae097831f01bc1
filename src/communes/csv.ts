/** Reading communes from the CSV a delivery (or the synthetic generator) provides. */
import fs from 'node:fs'
import path from 'node:path'
import { parse } from 'csv-parse/sync'
import { Invalid } from '../errors.js'
import type { CommuneInput } from './service.js'

/** Columns: code, name, province_code, srid, and optionally boundary_wkt (in that srid). */
export function readCommunesCsv(file: string): CommuneInput[] {
  const rows = parse(fs.readFileSync(file), { columns: true, bom: true, skip_empty_lines: true, trim: true }) as Array<Record<string, string>>
  return rows.map((r, i) => {
    for (const column of ['code', 'name', 'province_code', 'srid']) {
      if (!r[column]) throw new Invalid(`Tệp ${path.basename(file)}, dòng ${i + 2}: thiếu cột ${column} (missing ${column}).`, { file: path.basename(file), row: i + 2, field: column })
    }
    return { code: r.code!, name: r.name!, provinceCode: r.province_code!, srid: Number(r.srid), boundaryWkt: r.boundary_wkt || null }
  })
}
