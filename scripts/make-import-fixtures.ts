/**
 * Writes the bad-input fixtures of the parcel import (fixtures/import/<name>/): small
 * commune-like deliveries as real files do them wrong (legacy encodings, a missing or wrong
 * .prj, null shapes, holes wound either way, bow-ties, spikes, duplicate keys, numbers stored
 * as "12.0", a truncated .shp, a .dbf that disagrees with its .shp, a zip that tries to
 * escape its folder ...), each with the report its import must give in `expected.json`.
 *
 * Shapefiles are written with the project's own writer (src/formats) and then damaged by byte
 * surgery where the damage is the point. Output is deterministic: a fixed DBF date, no clocks,
 * no randomness; running the script again gives the same bytes (a test checks this).
 *
 *   npm run fixtures:import            # rewrites fixtures/import
 *   tsx scripts/make-import-fixtures.ts --out DIR
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import iconv from 'iconv-lite'
import proj4 from 'proj4'
import yazl from 'yazl'
import { ShapefileWriter, tm3PrjWkt, type DbfField, type DbfValue } from '../src/formats/index.js'
import { encode, type VietEncoding } from '../src/imports/encoding/index.js'

export const DEFAULT_OUT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/import')

const DBF_DATE = new Date(Date.UTC(2023, 11, 31))
const GIA_LAI_SRID = 9218
const GIA_LAI_MERIDIAN = 108.5
const VN2000_TOWGS84 = '-191.90441429,-39.30318279,-111.45032835,0.00928836,-0.01975479,0.00427372,0.252906278'
/** VN-2000 / TM-3 108°30′ without the datum shift: to VN-2000 degrees (EPSG:4756) and back. */
const TM3_NO_SHIFT = `+proj=tmerc +lat_0=0 +lon_0=${GIA_LAI_MERIDIAN} +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84 +units=m +no_defs`
const LONLAT_NO_SHIFT = '+proj=longlat +ellps=WGS84 +no_defs'
/** The same zone with the EPSG:6960 shift, for WGS 84 degrees (GeoJSON CRS84). */
const TM3_VN2000 = `+proj=tmerc +lat_0=0 +lon_0=${GIA_LAI_MERIDIAN} +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84 +towgs84=${VN2000_TOWGS84} +units=m +no_defs`
const WGS84 = '+proj=longlat +datum=WGS84 +no_defs'

type Point = [number, number]
/** Rings as drawn: the first point is not repeated at the end (closed when written). */
type Ring = Point[]
/** [outer, ...holes] */
type Polygon = Ring[]

interface Parcel {
  /** null: a null shape. Rings are written exactly in the winding given here. */
  polygons: Polygon[] | null
  values: Record<string, DbfValue>
}

export interface Expected {
  description: string
  /** The commune to register before the import; the boundary is the data's extent grown by 100 m. */
  commune: { code: string; name: string; provinceCode: string; srid: number; boundaryWkt: string }
  /** Fixture loaded (successfully) before this one, into the same commune. */
  loadFirst?: string
  /** Files of the dataset, relative to the fixture folder. */
  dataset: { kind: 'shapefile'; shp: string; dbf?: string; shx?: string; prj?: string; cpg?: string } | { kind: 'geojson'; path: string }
  state: 'succeeded' | 'failed'
  parcels: number
  rejected: number
  /** Every finding code of the job with its count; nothing else may appear. */
  findings: Record<string, number>
  /** Parts of the job's report that must match. */
  report?: Record<string, unknown>
  /** For a failed job: the import_failed finding's file, and words its message must contain. */
  error?: { file: string; contains: string[] }
  /** Stored parcels by source row: the listed columns must match (area_m2 within 0.01 m²). */
  stored?: Array<{
    row: number
    values: Record<string, unknown>
    /** ST_NumGeometries / ST_NRings of the stored geometry. */
    polygons?: number
    rings?: number
    /** [xmin, ymin, xmax, ymax] of the stored geometry, within 0.05 m. */
    bbox?: [number, number, number, number]
  }>
  /** Source rows that must not be stored. */
  notStored?: number[]
}

// ---------------------------------------------------------------- geometry helpers

const signedArea = (ring: Ring) => ring.reduce((sum, p, i) => {
  const q = ring[(i + 1) % ring.length]!
  return sum + p[0] * q[1] - q[0] * p[1]
}, 0) / 2
const clockwise = (ring: Ring): Ring => (signedArea(ring) < 0 ? ring : [...ring].reverse())
const counterClockwise = (ring: Ring): Ring => (signedArea(ring) > 0 ? ring : [...ring].reverse())
const move = (ring: Ring, [dx, dy]: Point): Ring => ring.map(([x, y]) => [x + dx, y + dy])

/** A cell of the grid, clockwise from its lower-left corner (y north). */
function cell(origin: Point, col: number, row: number, width = 20, height = 25): Ring {
  const x = origin[0] + col * width
  const y = origin[1] + row * height
  return [[x, y], [x, y + height], [x + width, y + height], [x + width, y]]
}

/** Origin of each fixture commune, apart from the others, in TM-3 108°30′ metres. */
function originOf(code: string): Point {
  return [450000 + (Number(code) % 100) * 500, 1550000 + (Number(code) % 7) * 300]
}

/** The commune boundary registered for a fixture: its data's extent grown by 100 m. */
function boundaryWkt(code: string): string {
  const [x, y] = originOf(code)
  const [x0, y0, x1, y1] = [x - 100, y - 100, x + 160, y + 150]
  return `MULTIPOLYGON(((${x0} ${y0},${x0} ${y1},${x1} ${y1},${x1} ${y0},${x0} ${y0})))`
}

const round = (value: number, digits = 3) => Number(value.toFixed(digits))
const areaOf = (polygons: Polygon[]) => polygons.reduce((sum, rings) => sum + rings.reduce((s, ring, i) => s + (i === 0 ? 1 : -1) * Math.abs(signedArea(ring)), 0), 0)

// ---------------------------------------------------------------- attributes

const TEXT = (name: string, length: number): DbfField => ({ name, type: 'C', length })
const NUMBER = (name: string, length: number, decimals = 0): DbfField => ({ name, type: 'N', length, decimals })

/** The full schema of the common cadastral software (DOMAIN.md), trimmed to what matters here. */
const FULL_FIELDS: DbfField[] = [
  NUMBER('ID', 8), TEXT('MAXA', 5), NUMBER('SHBANDO', 4), NUMBER('SHTHUA', 5), NUMBER('DIENTICH', 12, 1),
  NUMBER('DIENTICHPL', 12, 1), TEXT('KHLOAIDAT', 20), TEXT('TENCHU', 100), TEXT('DIACHI', 120), TEXT('DIADANH', 60),
]

interface Holder {
  owner: string
  address: string
  landUse: string
}

/** Six parcels' people and land, with the real names and places of Gia Lai. */
const HOLDERS: Holder[] = [
  { owner: 'Nguyễn Văn Thành', address: 'Thôn 1, xã Ia Grai', landUse: 'ONT' },
  { owner: 'Trần Thị Hường', address: 'Làng Kép, Đắk Đoa', landUse: 'CLN' },
  { owner: 'Lê Văn Đức', address: 'Thôn 3, xã Ia Grai', landUse: 'LUC' },
  { owner: 'Phạm Thị Ngọc Lan', address: 'Thị trấn Chư Păh', landUse: 'ONT+CLN' },
  { owner: '', address: '', landUse: 'BHK' }, // no certificate yet: no owner on the map
  { owner: 'Đinh Văn Tường', address: 'Xã Đắk Đoa, huyện Đắk Đoa', landUse: 'RSX' },
]
const PLACE = 'Đồng Ia Grai'

/** A parcel of the full schema. */
function fullParcel(code: string, id: number, sheet: number, parcel: number, polygons: Polygon[] | null, holder: Holder): Parcel {
  const area = polygons ? round(areaOf(polygons), 1) : 0
  return {
    polygons,
    values: {
      ID: id, MAXA: code, SHBANDO: sheet, SHTHUA: parcel, DIENTICH: area, DIENTICHPL: area,
      KHLOAIDAT: holder.landUse, TENCHU: holder.owner, DIACHI: holder.address, DIADANH: PLACE,
    },
  }
}

/** Six 20 × 25 m parcels in a 3 × 2 block, numbered 1–6 on one sheet. */
function sixParcels(code: string, sheet = 12): Parcel[] {
  const origin = originOf(code)
  return HOLDERS.map((holder, i) => fullParcel(code, i + 1, sheet, i + 1, [[cell(origin, i % 3, Math.floor(i / 3))]], holder))
}

// ---------------------------------------------------------------- writing

interface ShapefileOptions {
  fields: DbfField[]
  parcels: Parcel[]
  encoding?: VietEncoding
  /** .cpg bytes; null: none. Defaults to "UTF-8" for UTF-8, none otherwise. */
  cpg?: string | Buffer | null
  /** .prj text; null: none. Defaults to VN-2000 / TM-3 108°30′. */
  prj?: string | null
  /** Maps every point before writing (e.g. to degrees). */
  project?: (p: Point) => Point
}

async function writeShapefile(base: string, options: ShapefileOptions): Promise<void> {
  const encoding = options.encoding ?? 'utf8'
  const writer = await ShapefileWriter.create(base, {
    fields: options.fields,
    encodeText: encoding === 'utf8' ? undefined : (text) => encode(text, encoding),
    codePage: null,
    prj: options.prj === null ? undefined : options.prj ?? tm3PrjWkt(GIA_LAI_MERIDIAN),
    date: DBF_DATE,
    // Windings are part of what a fixture says (a hole wound the wrong way): keep them.
    orientRings: false,
  })
  try {
    for (const parcel of options.parcels) {
      const polygons = (parcel.polygons ?? []).map((rings) => rings.map((ring) => {
        const points = options.project ? ring.map(options.project) : ring
        return [...points, points[0]!].flat()
      }))
      await writer.write(polygons, options.fields.map((f) => parcel.values[f.name]))
    }
    const summary = await writer.close()
    if (summary.truncatedValues > 0) throw new Error(`${base}: ${summary.truncatedValues} text values too long for their field`)
  } catch (error) {
    await writer.abort()
    throw error
  }
  const cpg = options.cpg === undefined ? (encoding === 'utf8' ? 'UTF-8' : null) : options.cpg
  if (cpg !== null) fs.writeFileSync(`${base}.cpg`, cpg)
}

function shapefileDataset(code: string, parts: Array<'shx' | 'prj' | 'cpg'>): Expected['dataset'] {
  return {
    kind: 'shapefile', shp: `${code}.shp`, dbf: `${code}.dbf`,
    ...Object.fromEntries(parts.map((part) => [part, `${code}.${part}`])),
  }
}

function commune(code: string, name: string): Expected['commune'] {
  return { code, name, provinceCode: '64', srid: GIA_LAI_SRID, boundaryWkt: boundaryWkt(code) }
}

/** What every six-parcel fixture stores for its rows, as the TCVN3/VNI/UTF-8 text says. */
function sixStored(sheet = '12'): NonNullable<Expected['stored']> {
  return HOLDERS.map((holder, i) => ({
    row: i + 1,
    values: {
      sheet_number: sheet, parcel_number: String(i + 1), owner_name: holder.owner || null, address: holder.address || null,
      place_name: PLACE, land_use_codes: holder.landUse.split('+'), land_use_raw: holder.landUse, area_m2: 500, legal_area_m2: 500, srid: GIA_LAI_SRID,
    },
  }))
}

interface Fixture {
  name: string
  expected: Expected
  write(dir: string): Promise<void>
}

// ---------------------------------------------------------------- the fixtures

const FIXTURES: Fixture[] = []
const fixture = (name: string, expected: Expected, write: (dir: string) => Promise<void>) => FIXTURES.push({ name, expected, write })

fixture('utf8-cpg', {
  description: 'UTF-8 DBF with a .cpg saying UTF-8: the clean case every other fixture is compared with.',
  commune: commune('33001', 'Xã Ia Der (thử nghiệm UTF-8)'),
  dataset: shapefileDataset('33001', ['shx', 'prj', 'cpg']),
  state: 'succeeded', parcels: 6, rejected: 0, findings: {},
  report: { encoding: 'utf8', encodingDeclared: 'utf8', srid: GIA_LAI_SRID, crsSource: 'declared' },
  stored: sixStored(),
}, (dir) => writeShapefile(path.join(dir, '33001'), { fields: FULL_FIELDS, parcels: sixParcels('33001') }))

fixture('tcvn3-no-cpg', {
  description: 'TCVN3 (ABC) DBF without .cpg, as most pre-Unicode deliveries: detected and converted to Unicode.',
  commune: commune('33002', 'Xã Ia Sao (thử nghiệm TCVN3)'),
  dataset: shapefileDataset('33002', ['shx', 'prj']),
  state: 'succeeded', parcels: 6, rejected: 0, findings: { encoding_converted: 1 },
  report: { encoding: 'tcvn3', encodingDeclared: null },
  stored: sixStored(),
}, (dir) => writeShapefile(path.join(dir, '33002'), { fields: FULL_FIELDS, parcels: sixParcels('33002'), encoding: 'tcvn3' }))

fixture('vni-no-cpg', {
  description: 'VNI-Windows DBF without .cpg (base letter + mark byte): detected and converted to Unicode.',
  commune: commune('33003', 'Xã Ia Khươl (thử nghiệm VNI)'),
  dataset: shapefileDataset('33003', ['shx', 'prj']),
  state: 'succeeded', parcels: 6, rejected: 0, findings: { encoding_converted: 1 },
  report: { encoding: 'vni', encodingDeclared: null },
  stored: sixStored(),
}, (dir) => writeShapefile(path.join(dir, '33003'), { fields: FULL_FIELDS, parcels: sixParcels('33003'), encoding: 'vni' }))

fixture('cpg-garbage', {
  description: 'A .cpg holding garbage (binary bytes, a NUL) over a TCVN3 DBF: the .cpg is reported and ignored, the encoding detected.',
  commune: commune('33004', 'Xã Hà Bầu (thử nghiệm .cpg hỏng)'),
  dataset: shapefileDataset('33004', ['shx', 'prj', 'cpg']),
  state: 'succeeded', parcels: 6, rejected: 0, findings: { cpg_unrecognised: 1, encoding_converted: 1 },
  report: { encoding: 'tcvn3', encodingDeclared: null },
  stored: sixStored(),
}, (dir) => writeShapefile(path.join(dir, '33004'), {
  fields: FULL_FIELDS, parcels: sixParcels('33004'), encoding: 'tcvn3',
  cpg: Buffer.concat([Buffer.from([0xff, 0xfe, 0x00, 0x13]), Buffer.from('ANSI ??? codepage', 'latin1'), Buffer.from([0x00, 0x9d, 0x0d, 0x0a])]),
}))

fixture('prj-missing', {
  description: 'No .prj: TM-3 metres, so the commune\'s zone (VN-2000 / TM-3 108°30′) is assumed and said.',
  commune: commune('33005', 'Xã Ia Pết (thử nghiệm thiếu .prj)'),
  dataset: shapefileDataset('33005', ['shx', 'cpg']),
  state: 'succeeded', parcels: 6, rejected: 0, findings: { crs_missing_fallback: 1 },
  report: { srid: GIA_LAI_SRID, crsSource: 'commune_fallback' },
  stored: sixStored(),
}, (dir) => writeShapefile(path.join(dir, '33005'), { fields: FULL_FIELDS, parcels: sixParcels('33005'), prj: null }))

{
  const code = '33006'
  const toDegrees = proj4(TM3_NO_SHIFT, LONLAT_NO_SHIFT)
  const parcels = sixParcels(code)
  const bboxOf = (ring: Ring): [number, number, number, number] => [
    Math.min(...ring.map((p) => p[0])), Math.min(...ring.map((p) => p[1])), Math.max(...ring.map((p) => p[0])), Math.max(...ring.map((p) => p[1])),
  ]
  fixture('prj-wrong-degrees', {
    description: 'The .prj declares VN-2000 / TM-3 108°30′ but the coordinates are VN-2000 longitude/latitude degrees: read as EPSG:4756 and reprojected into the commune\'s zone, landing where the parcels are.',
    commune: commune(code, 'Xã Đắk Sơmei (thử nghiệm .prj sai)'),
    dataset: shapefileDataset(code, ['shx', 'prj', 'cpg']),
    state: 'succeeded', parcels: 6, rejected: 0, findings: { crs_contradicts_coordinates: 1, reprojected: 1 },
    report: { srid: GIA_LAI_SRID, crsSource: 'coordinates' },
    stored: sixStored().map((s, i) => ({ ...s, bbox: bboxOf(parcels[i]!.polygons![0]![0]!) })),
  }, (dir) => writeShapefile(path.join(dir, code), {
    fields: FULL_FIELDS, parcels, project: (p) => toDegrees.forward(p) as Point,
  }))
}

{
  const code = '33007'
  const parcels = sixParcels(code)
  const blank: Parcel = { polygons: null, values: {} }
  const nullWithKey = (sheet: number, parcel: number): Parcel => ({ polygons: null, values: { MAXA: code, SHBANDO: sheet, SHTHUA: parcel, TENCHU: 'Rơ Mah Hlim' } })
  fixture('null-shapes', {
    description: 'Null shapes: a blank first row (so the commune comes from the file name) and two rows whose polygon was deleted in the editor; each is skipped with a finding.',
    commune: commune(code, 'Xã Ia Ka (thử nghiệm hình rỗng)'),
    dataset: shapefileDataset(code, ['shx', 'prj', 'cpg']),
    state: 'succeeded', parcels: 6, rejected: 3, findings: { null_shape: 3 },
    stored: sixStored().map((s, i) => ({ ...s, row: [2, 3, 4, 6, 7, 9][i]! })),
    notStored: [1, 5, 8],
  }, (dir) => writeShapefile(path.join(dir, code), {
    fields: FULL_FIELDS,
    parcels: [blank, parcels[0]!, parcels[1]!, parcels[2]!, nullWithKey(12, 7), parcels[3]!, parcels[4]!, nullWithKey(12, 8), parcels[5]!],
  }))
}

{
  // Holes: a rice field (parcel 1) around a house plot (parcel 2, filling the hole), written
  // right; then the same pair with the hole wound like an outer ring (parcel 3 around 4);
  // then a parcel whose outer ring and hole are both wound backwards (5 around 6).
  const code = '33008'
  const origin = originOf(code)
  const big = (col: number): Ring => cell(origin, col, 0, 40, 50)
  const inner = (col: number): Ring => move(cell([0, 0], 0, 0, 10, 10), [origin[0] + col * 40 + 15, origin[1] + 20])
  const holders = (i: number) => HOLDERS[i % HOLDERS.length]!
  const parcels: Parcel[] = [
    fullParcel(code, 1, 7, 1, [[clockwise(big(0)), counterClockwise(inner(0))]], holders(0)),
    fullParcel(code, 2, 7, 2, [[clockwise(inner(0))]], holders(1)),
    fullParcel(code, 3, 7, 3, [[clockwise(big(1)), clockwise(inner(1))]], holders(2)),
    fullParcel(code, 4, 7, 4, [[clockwise(inner(1))]], holders(3)),
    fullParcel(code, 5, 7, 5, [[counterClockwise(big(2)), clockwise(inner(2))]], holders(4)),
    fullParcel(code, 6, 7, 6, [[clockwise(inner(2))]], holders(5)),
  ]
  const shell = (row: number, parcel: number) => ({ row, polygons: 1, rings: 2, values: { sheet_number: '7', parcel_number: String(parcel), area_m2: 2000 - 100 } })
  const island = (row: number, parcel: number) => ({ row, polygons: 1, rings: 1, values: { sheet_number: '7', parcel_number: String(parcel), area_m2: 100 } })
  fixture('holes', {
    description: 'Parcels with holes filled by other parcels: a hole wound right, a hole wound like an outer ring (holes_rewound), and a parcel wound backwards altogether (holes_rewound); each stored as one polygon with its hole, area = shell − hole.',
    commune: commune(code, 'Xã Ia Tô (thử nghiệm thửa có lỗ)'),
    dataset: shapefileDataset(code, ['shx', 'prj', 'cpg']),
    state: 'succeeded', parcels: 6, rejected: 0, findings: { holes_rewound: 2 },
    stored: [shell(1, 1), island(2, 2), shell(3, 3), island(4, 4), shell(5, 5), island(6, 6)],
  }, (dir) => writeShapefile(path.join(dir, code), { fields: FULL_FIELDS, parcels }))
}

{
  // A bow-tie as digitising makes it: two corners of a rectangle entered in the wrong order.
  // It sits at the block's right end, so the triangle it leaves open towards its neighbour is
  // a real gap; the other open triangle is outside the block.
  const code = '33009'
  const parcels = sixParcels(code)
  const [a, b, c, d] = parcels[2]!.polygons![0]![0]! as [Point, Point, Point, Point]
  parcels[2]!.polygons = [[[a, c, b, d]]]
  parcels[2]!.values.DIENTICH = 500
  fixture('bow-tie', {
    description: 'A bow-tie: parcel 3 with two corners swapped (its ring crosses itself, signed area 0). Repaired by ST_MakeValid into its two triangles (250 m²) and flagged; the triangle it leaves uncovered beside parcel 2 is a gap.',
    commune: commune(code, 'Xã Ia Hrung (thử nghiệm thửa tự cắt)'),
    dataset: shapefileDataset(code, ['shx', 'prj', 'cpg']),
    state: 'succeeded', parcels: 6, rejected: 0, findings: { geometry_repaired: 1, gap: 1 },
    stored: [{ row: 3, polygons: 2, rings: 2, values: { sheet_number: '12', parcel_number: '3', area_m2: 250 } }],
  }, (dir) => writeShapefile(path.join(dir, code), { fields: FULL_FIELDS, parcels }))
}

{
  // A spike: from the middle of parcel 5's top edge (the block's outer edge) the boundary runs
  // 8 m north and straight back, a digitising slip. Repair removes it; the area is unchanged.
  const code = '33010'
  const parcels = sixParcels(code)
  const [p0, p1, p2, p3] = parcels[4]!.polygons![0]![0]! as [Point, Point, Point, Point]
  const middle: Point = [(p1[0] + p2[0]) / 2, p1[1]]
  parcels[4]!.polygons = [[[p0, p1, middle, [middle[0], middle[1] + 8], middle, p2, p3]]]
  fixture('spike', {
    description: 'A spike on parcel 5: the boundary goes 8 m out and straight back. Repaired (the spike removed, area unchanged at 500 m²) and flagged.',
    commune: commune(code, 'Xã Ia Bă (thử nghiệm gai nhọn)'),
    dataset: shapefileDataset(code, ['shx', 'prj', 'cpg']),
    state: 'succeeded', parcels: 6, rejected: 0, findings: { geometry_repaired: 1 },
    stored: [{ row: 5, polygons: 1, rings: 1, values: { sheet_number: '12', parcel_number: '5', area_m2: 500 } }],
  }, (dir) => writeShapefile(path.join(dir, code), { fields: FULL_FIELDS, parcels }))
}

{
  // Duplicate keys: parcel 4 typed twice as "3"; parcel 6 typed as "05", the same key as 5.
  const code = '33011'
  const fields = FULL_FIELDS.map((f) => (f.name === 'SHTHUA' ? TEXT('SHTHUA', 6) : f))
  const parcels = sixParcels(code)
  parcels[3]!.values.SHTHUA = '3'
  parcels[4]!.values.SHTHUA = '5'
  parcels[5]!.values.SHTHUA = '05'
  for (const p of parcels.slice(0, 3)) p.values.SHTHUA = String(p.values.SHTHUA)
  fixture('duplicate-keys', {
    description: 'Duplicate sheet/parcel keys: "3" twice, and "5" with "05". Every row is stored; each repeat is flagged against the first.',
    commune: commune(code, 'Xã Ia Yok (thử nghiệm trùng số thửa)'),
    dataset: shapefileDataset(code, ['shx', 'prj', 'cpg']),
    state: 'succeeded', parcels: 6, rejected: 0, findings: { duplicate_key: 2 },
    stored: [
      { row: 3, values: { parcel_number: '3', parcel_number_raw: '3' } },
      { row: 4, values: { parcel_number: '3', parcel_number_raw: '3' } },
      { row: 5, values: { parcel_number: '5', parcel_number_raw: '5' } },
      { row: 6, values: { parcel_number: '5', parcel_number_raw: '05' } },
    ],
  }, (dir) => writeShapefile(path.join(dir, code), { fields, parcels }))
}

{
  // Another contractor's short schema, numbers stored as floats: sheet "12.0", parcel "3.0",
  // the defence parcel numbered 0, a mixed-use code, and the commune code 09922 stored as the
  // number 9922.
  const code = '09922'
  const origin = originOf(code)
  const fields: DbfField[] = [NUMBER('MADVHC', 8), NUMBER('SOTO', 6, 1), NUMBER('SOTHUA', 7, 1), NUMBER('DT', 10, 1), TEXT('MDSD', 20), TEXT('CHUSDD', 80)]
  const rows: Array<[number, number, string, string]> = [
    [12, 1, 'ONT+CLN', 'Nguyễn Văn Thành'],
    [12, 2, 'ONT+CLN+NTS', 'Trần Thị Hường'],
    [12, 0, 'CQP', 'Ban Chỉ huy Quân sự huyện Ia Grai'],
    [13, 1, 'LUC', 'Lê Văn Đức'],
  ]
  const parcels: Parcel[] = rows.map(([sheet, parcel, landUse, owner], i) => ({
    polygons: [[cell(origin, i, 0)]],
    values: { MADVHC: Number(code), SOTO: sheet, SOTHUA: parcel, DT: 500, MDSD: landUse, CHUSDD: owner },
  }))
  fixture('numbers-as-floats', {
    description: 'Sheet and parcel numbers stored as N with one decimal ("12.0" → "12", raw kept), parcel number 0 (defence land), compound land use ONT+CLN split, and the commune code 09922 stored as the number 9922.',
    commune: { ...commune(code, 'Xã Tân Lập (thử nghiệm số thực)'), provinceCode: '04' },
    dataset: shapefileDataset(code, ['shx', 'prj', 'cpg']),
    state: 'succeeded', parcels: 4, rejected: 0, findings: {},
    stored: [
      { row: 1, values: { commune_code: code, sheet_number: '12', sheet_number_raw: '12.0', parcel_number: '1', parcel_number_raw: '1.0', land_use_codes: ['ONT', 'CLN'], land_use_raw: 'ONT+CLN', owner_name: 'Nguyễn Văn Thành' } },
      { row: 2, values: { land_use_codes: ['ONT', 'CLN', 'NTS'] } },
      { row: 3, values: { sheet_number: '12', parcel_number: '0', parcel_number_raw: '0.0', land_use_codes: ['CQP'], owner_name: 'Ban Chỉ huy Quân sự huyện Ia Grai' } },
      { row: 4, values: { sheet_number: '13', sheet_number_raw: '13.0', parcel_number: '1' } },
    ],
  }, (dir) => writeShapefile(path.join(dir, code), { fields, parcels }))
}

{
  // Legacy residue: TCVN3 bytes once read as Windows-1252 and saved as "Unicode".
  const code = '33012'
  const residue = (text: string) => iconv.decode(encode(text, 'tcvn3'), 'windows1252')
  const parcels = sixParcels(code)
  for (const p of parcels) {
    p.values.TENCHU = residue(String(p.values.TENCHU))
    p.values.DIACHI = residue(String(p.values.DIACHI))
  }
  // Owners 1, 2, 3, 4, 6 and addresses 1, 2, 3, 4, 6 carry residue; row 5 is blank.
  fixture('encoding-residue', {
    description: 'UTF-8 DBF whose text still carries TCVN3-read-as-cp1252 residue ("NguyÔn V¨n Thµnh", "Lµng KÐp, §¾k §oa"): repaired, one finding per repaired value.',
    commune: commune(code, 'Xã Ia Phí (thử nghiệm lỗi font)'),
    dataset: shapefileDataset(code, ['shx', 'prj', 'cpg']),
    state: 'succeeded', parcels: 6, rejected: 0, findings: { encoding_residue_repaired: 10 },
    report: { encoding: 'utf8' },
    stored: sixStored(),
  }, (dir) => writeShapefile(path.join(dir, code), { fields: FULL_FIELDS, parcels }))
}

// The structural failures share commune 33013: a good delivery is loaded first, and a failed
// one must leave it exactly as it was.
{
  const code = '33013'
  const good = commune(code, 'Xã Ia Nhin (thử nghiệm tệp hỏng)')
  fixture('base-33013', {
    description: 'A good delivery of commune 33013, loaded before each damaged one.',
    commune: good,
    dataset: shapefileDataset(code, ['shx', 'prj', 'cpg']),
    state: 'succeeded', parcels: 6, rejected: 0, findings: {},
    stored: sixStored('5'),
  }, (dir) => writeShapefile(path.join(dir, code), { fields: FULL_FIELDS, parcels: sixParcels(code, 5) }))

  // A corrected delivery of the same sheet (other owners), cut off in the middle of record 4.
  const corrected = () => sixParcels(code, 5).map((p) => ({ ...p, values: { ...p.values, TENCHU: 'Ksor Thị Hoa' } }))
  fixture('truncated-shp', {
    description: 'The .shp cut off inside record 4 (an interrupted copy): refused with an error naming the .shp; nothing loaded, the earlier delivery untouched.',
    commune: good, loadFirst: 'base-33013',
    dataset: shapefileDataset(code, ['shx', 'prj', 'cpg']),
    state: 'failed', parcels: 0, rejected: 0, findings: { import_failed: 1 },
    error: { file: `${code}.shp`, contains: [`${code}.shp`, 'cắt cụt', 'truncated'] },
  }, async (dir) => {
    const base = path.join(dir, code)
    await writeShapefile(base, { fields: FULL_FIELDS, parcels: corrected() })
    const shp = fs.readFileSync(`${base}.shp`)
    const shx = fs.readFileSync(`${base}.shx`)
    const record4 = shx.readInt32BE(100 + 3 * 8) * 2
    fs.writeFileSync(`${base}.shp`, shp.subarray(0, record4 + 60))
  })

  fixture('shp-zeroed-record', {
    description: 'Record 3 of the .shp overwritten with zeros (a bad disk block); the .shx and .dbf still say 6: refused with an error naming the .shp and the record; nothing loaded.',
    commune: good, loadFirst: 'base-33013',
    dataset: shapefileDataset(code, ['shx', 'prj', 'cpg']),
    state: 'failed', parcels: 0, rejected: 0, findings: { import_failed: 1 },
    error: { file: `${code}.shp`, contains: [`${code}.shp`, 'đối tượng 3', 'damaged'] },
  }, async (dir) => {
    const base = path.join(dir, code)
    await writeShapefile(base, { fields: FULL_FIELDS, parcels: corrected() })
    const shp = fs.readFileSync(`${base}.shp`)
    const shx = fs.readFileSync(`${base}.shx`)
    const record3 = shx.readInt32BE(100 + 2 * 8) * 2
    const record3Bytes = 8 + shx.readInt32BE(100 + 2 * 8 + 4) * 2
    shp.fill(0, record3, record3 + record3Bytes)
    fs.writeFileSync(`${base}.shp`, shp)
  })

  fixture('dbf-row-count', {
    description: 'The .dbf holds 7 rows for the 6 shapes of the .shp (a row added in a spreadsheet): refused with an error naming the .dbf; nothing loaded.',
    commune: good, loadFirst: 'base-33013',
    dataset: shapefileDataset(code, ['shx', 'prj', 'cpg']),
    state: 'failed', parcels: 0, rejected: 0, findings: { import_failed: 1 },
    error: { file: `${code}.dbf`, contains: [`${code}.dbf`, '6', '7'] },
  }, async (dir) => {
    const base = path.join(dir, code)
    const parcels = corrected()
    await writeShapefile(base, { fields: FULL_FIELDS, parcels })
    // The same table with one more row, written beside the shapes of the six.
    const extra = path.join(dir, 'extra')
    await writeShapefile(extra, { fields: FULL_FIELDS, parcels: [...parcels, fullParcel(code, 7, 5, 7, null, HOLDERS[0]!)] })
    fs.copyFileSync(`${extra}.dbf`, `${base}.dbf`)
    for (const ext of ['shp', 'shx', 'dbf', 'prj', 'cpg']) fs.rmSync(`${extra}.${ext}`, { force: true })
  })
}

fixture('shx-missing', {
  description: 'No .shx (lost in transfer): the .shp is read sequentially; loads, with a finding.',
  commune: commune('33014', 'Xã Ia Bang (thử nghiệm thiếu .shx)'),
  dataset: shapefileDataset('33014', ['prj', 'cpg']),
  state: 'succeeded', parcels: 6, rejected: 0, findings: { shx_missing: 1 },
  stored: sixStored(),
}, async (dir) => {
  await writeShapefile(path.join(dir, '33014'), { fields: FULL_FIELDS, parcels: sixParcels('33014') })
  fs.rmSync(path.join(dir, '33014.shx'))
})

{
  // Parcel 4 was redrawn: the old record (row 4) is marked deleted in the .dbf, the new one
  // follows. Every GIS hides the deleted row; loading it would bring back a parcel that
  // overlaps its successor under the same key.
  const code = '33020'
  const parcels = sixParcels(code)
  const [a, b, c, d] = parcels[3]!.polygons![0]![0]! as [Point, Point, Point, Point]
  const old: Parcel = { polygons: [[[a, [b[0], b[1] - 3], [c[0] + 4, c[1] - 3], d]]], values: { ...parcels[3]!.values, TENCHU: 'Phạm Văn Lực' } }
  fixture('dbf-deleted-record', {
    description: 'A .dbf row marked deleted (0x2A) whose shape is still in the .shp: the old outline of parcel 4, replaced by row 5. Skipped with a finding naming the row, as GDAL, QGIS and ArcGIS skip it.',
    commune: commune(code, 'Xã Ia Krai (thử nghiệm dòng đã xóa)'),
    dataset: shapefileDataset(code, ['shx', 'prj', 'cpg']),
    state: 'succeeded', parcels: 6, rejected: 1, findings: { deleted_record: 1 },
    stored: sixStored().map((s, i) => ({ ...s, row: [1, 2, 3, 5, 6, 7][i]! })),
    notStored: [4],
  }, async (dir) => {
    const base = path.join(dir, code)
    await writeShapefile(base, { fields: FULL_FIELDS, parcels: [...parcels.slice(0, 3), old, ...parcels.slice(3)] })
    const dbf = fs.readFileSync(`${base}.dbf`)
    dbf[dbf.readUInt16LE(8) + 3 * dbf.readUInt16LE(10)] = 0x2a
    fs.writeFileSync(`${base}.dbf`, dbf)
  })
}

{
  // Text written as C strings: the value, a NUL, then whatever the writer's buffer held
  // before (here the previous row's value). shapelib and GDAL read up to the NUL.
  const code = '33021'
  const parcels = sixParcels(code)
  fixture('dbf-nul-terminated', {
    description: 'Text fields ending in a NUL followed by stale bytes of the previous row (C-string writers): the text ends at the NUL, nothing stale or NUL is stored.',
    commune: commune(code, 'Xã Ia Hla (thử nghiệm ký tự NUL)'),
    dataset: shapefileDataset(code, ['shx', 'prj', 'cpg']),
    state: 'succeeded', parcels: 6, rejected: 0, findings: {},
    stored: sixStored(),
  }, async (dir) => {
    const base = path.join(dir, code)
    await writeShapefile(base, { fields: FULL_FIELDS, parcels })
    const dbf = fs.readFileSync(`${base}.dbf`)
    const headerLength = dbf.readUInt16LE(8)
    const recordLength = dbf.readUInt16LE(10)
    let offset = 1
    for (const field of FULL_FIELDS) {
      if (field.name === 'TENCHU' || field.name === 'DIACHI') {
        parcels.forEach((parcel, i) => {
          const slot = dbf.subarray(headerLength + i * recordLength + offset, headerLength + i * recordLength + offset + field.length!)
          const value = Buffer.from(String(parcel.values[field.name]), 'utf8')
          const stale = Buffer.from(String(parcels[(i + 5) % parcels.length]!.values[field.name]) + ' cũ', 'utf8')
          slot.fill(0x20)
          value.copy(slot)
          slot[value.length] = 0x00
          stale.copy(slot, value.length + 1, 0, Math.min(stale.length, slot.length - value.length - 1))
        })
      }
      offset += field.length ?? (field.type === 'L' ? 1 : 8)
    }
    fs.writeFileSync(`${base}.dbf`, dbf)
  })
}

{
  // The .shx left over from an earlier version of the set (5 parcels); .shp and .dbf have 6.
  const code = '33022'
  fixture('shx-stale', {
    description: 'A stale .shx (from an earlier 5-parcel version) beside a .shp and .dbf of 6: the .shp\'s own records agree with the .dbf, so the .shx is ignored like a missing one; loads, with a finding.',
    commune: commune(code, 'Xã Ia O (thử nghiệm .shx cũ)'),
    dataset: shapefileDataset(code, ['shx', 'prj', 'cpg']),
    state: 'succeeded', parcels: 6, rejected: 0, findings: { shx_mismatch: 1 },
    stored: sixStored(),
  }, async (dir) => {
    const base = path.join(dir, code)
    await writeShapefile(base, { fields: FULL_FIELDS, parcels: sixParcels(code) })
    const earlier = path.join(dir, 'earlier')
    await writeShapefile(earlier, { fields: FULL_FIELDS, parcels: sixParcels(code).slice(0, 5) })
    fs.copyFileSync(`${earlier}.shx`, `${base}.shx`)
    for (const ext of ['shp', 'shx', 'dbf', 'prj', 'cpg']) fs.rmSync(`${earlier}.${ext}`, { force: true })
  })
}

/** A GeoJSON FeatureCollection of the six parcels, with the given `crs` member. */
function geojson(code: string, crs: unknown, project?: (p: Point) => Point): string {
  const features = sixParcels(code).map((p) => ({
    type: 'Feature',
    properties: { MAXA: p.values.MAXA, SHBANDO: p.values.SHBANDO, SHTHUA: p.values.SHTHUA, DIENTICHPL: p.values.DIENTICHPL, KHLOAIDAT: p.values.KHLOAIDAT, TENCHU: p.values.TENCHU, DIACHI: p.values.DIACHI, DIADANH: p.values.DIADANH },
    geometry: { type: 'Polygon', coordinates: p.polygons![0]!.map((ring) => {
      const points = (project ? ring.map(project) : ring).map(([x, y]) => [round(x, project ? 9 : 3), round(y, project ? 9 : 3)])
      return [...points, points[0]!]
    }) },
  }))
  return JSON.stringify({ type: 'FeatureCollection', name: code, crs, features }, null, 1) + '\n'
}

fixture('geojson-crs', {
  description: 'A GeoJSON FeatureCollection (as QGIS writes it) with a `crs` member naming EPSG:9218: loads in that zone.',
  commune: commune('33015', 'Xã Ia Chia (thử nghiệm GeoJSON)'),
  dataset: { kind: 'geojson', path: '33015.geojson' },
  state: 'succeeded', parcels: 6, rejected: 0, findings: {},
  report: { format: 'geojson', srid: GIA_LAI_SRID, crsSource: 'declared' },
  stored: sixStored(),
}, async (dir) => fs.writeFileSync(path.join(dir, '33015.geojson'), geojson('33015', { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::9218' } })))

{
  const code = '33016'
  const toWgs84 = proj4(TM3_VN2000, WGS84)
  const origin = originOf(code)
  fixture('geojson-crs84', {
    description: 'A GeoJSON in WGS 84 longitude/latitude (crs CRS84), as web tools export: reprojected into the commune\'s TM-3 zone with the VN-2000 datum shift, landing where the parcels are.',
    commune: commune(code, 'Xã Ia Mơ Nông (thử nghiệm GeoJSON WGS 84)'),
    dataset: { kind: 'geojson', path: `${code}.geojson` },
    state: 'succeeded', parcels: 6, rejected: 0, findings: { reprojected: 1 },
    report: { srid: GIA_LAI_SRID, crsSource: 'declared' },
    stored: sixStored().map((s, i) => {
      const [x0, y0] = cell(origin, i % 3, Math.floor(i / 3))[0]!
      return { ...s, bbox: [x0, y0, x0 + 20, y0 + 25] as [number, number, number, number] }
    }),
  }, async (dir) => fs.writeFileSync(path.join(dir, `${code}.geojson`), geojson(code, { type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } }, (p) => toWgs84.forward(p) as Point)))
}

fixture('geojson-crs-epsg-type', {
  description: 'A GeoJSON with the older `crs` form {"type":"EPSG","properties":{"code":9218}} (GDAL < 2, FME): the declared zone is read, no fallback.',
  commune: commune('33017', 'Xã Ia Kênh (thử nghiệm GeoJSON crs kiểu cũ)'),
  dataset: { kind: 'geojson', path: '33017.geojson' },
  state: 'succeeded', parcels: 6, rejected: 0, findings: {},
  report: { srid: GIA_LAI_SRID, crsSource: 'declared' },
  stored: sixStored(),
}, async (dir) => fs.writeFileSync(path.join(dir, '33017.geojson'), geojson('33017', { type: 'EPSG', properties: { code: 9218 } })))

fixture('cpg-contradicted', {
  description: 'A .cpg saying UTF-8 over TCVN3 bytes (written by a tool that did not know better): the text wins, with a finding.',
  commune: commune('33018', 'Xã Ia Dêr (thử nghiệm .cpg sai)'),
  dataset: shapefileDataset('33018', ['shx', 'prj', 'cpg']),
  state: 'succeeded', parcels: 6, rejected: 0, findings: { cpg_contradicted: 1, encoding_converted: 1 },
  report: { encoding: 'tcvn3', encodingDeclared: 'utf8' },
  stored: sixStored(),
}, (dir) => writeShapefile(path.join(dir, '33018'), { fields: FULL_FIELDS, parcels: sixParcels('33018'), encoding: 'tcvn3', cpg: 'UTF-8' }))

// ---------------------------------------------------------------- the zip that escapes

/** Name written for the escaping entry; yazl refuses "..", so a same-length name is patched. */
export const ZIP_ESCAPE_ENTRY = '../33019.prj'
const ZIP_PLACEHOLDER = 'xx/33019.prj'

/**
 * A delivery zip holding a good shapefile set of commune 33019 plus an entry whose name climbs
 * out of the extraction folder (zip-slip). Written by yazl, then the placeholder name is
 * replaced in the local header and the central directory (names are not in the CRC). The good
 * set stays beside the zip, loose, for the upload that must succeed.
 */
async function writeZipSlip(dir: string): Promise<void> {
  const set = dir
  await writeShapefile(path.join(set, '33019'), { fields: FULL_FIELDS, parcels: sixParcels('33019') })
  const zip = new yazl.ZipFile()
  const mtime = new Date(Date.UTC(2023, 11, 31))
  for (const ext of ['shp', 'shx', 'dbf', 'prj', 'cpg']) {
    zip.addBuffer(fs.readFileSync(path.join(set, `33019.${ext}`)), `33019/33019.${ext}`, { mtime, compress: false })
  }
  zip.addBuffer(Buffer.from(tm3PrjWkt(GIA_LAI_MERIDIAN)), ZIP_PLACEHOLDER, { mtime, compress: false })
  zip.end()
  const chunks: Buffer[] = []
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer)
  const bytes = Buffer.concat(chunks)
  const from = Buffer.from(ZIP_PLACEHOLDER)
  let replaced = 0
  for (let at = bytes.indexOf(from); at >= 0; at = bytes.indexOf(from, at + 1)) {
    Buffer.from(ZIP_ESCAPE_ENTRY).copy(bytes, at)
    replaced++
  }
  if (replaced !== 2) throw new Error(`zip-slip: expected the entry name twice, found it ${replaced} times`)
  fs.writeFileSync(path.join(dir, 'delivery.zip'), bytes)
}

// ---------------------------------------------------------------- main

export const FIXTURE_NAMES = FIXTURES.map((f) => f.name)

/** Writes every fixture (and its expected.json) under `out`, replacing what was there. */
export async function makeImportFixtures(out: string): Promise<string[]> {
  fs.mkdirSync(out, { recursive: true })
  for (const f of FIXTURES) {
    const dir = path.join(out, f.name)
    fs.rmSync(dir, { recursive: true, force: true })
    fs.mkdirSync(dir, { recursive: true })
    await f.write(dir)
    fs.writeFileSync(path.join(dir, 'expected.json'), JSON.stringify(f.expected, null, 2) + '\n')
  }
  const zipDir = path.join(out, 'zip-slip')
  fs.rmSync(zipDir, { recursive: true, force: true })
  fs.mkdirSync(zipDir, { recursive: true })
  await writeZipSlip(zipDir)
  return [...FIXTURE_NAMES, 'zip-slip']
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const at = process.argv.indexOf('--out')
  const out = at >= 0 && process.argv[at + 1] ? path.resolve(process.argv[at + 1]!) : DEFAULT_OUT
  const names = await makeImportFixtures(out)
  process.stdout.write(`${JSON.stringify({ out, fixtures: names })}\n`)
}
