// VN-2000 coordinate reference systems (hệ tọa độ VN-2000): the TM-3 zone of each provincial
// central meridian, and the spatial_ref_sys rows PostGIS needs to transform them.
//
// Rows use the EPSG codes so PROJ picks the EPSG:6960 datum operation itself; proj4text
// carries the same 7 parameters in PROJ's position-vector convention (rotations sign-flipped
// from EPSG's coordinate-frame values) for PostGIS builds that fall back to it.
import type { Knex } from 'knex'

const TOWGS84 = '-191.90441429,-39.30318279,-111.45032835,0.00928836,-0.01975479,0.00427372,0.252906278'

/** [EPSG code, central meridian in degrees, provinces using it before 2025 (TT 973/2001, TT 25/2014 Phụ lục 02)] */
const TM3_ZONES: Array<[number, number, string]> = [
  [9205, 103.0, 'Lai Châu, Điện Biên'],
  [9206, 104.0, 'Sơn La'],
  [9207, 104.5, 'Kiên Giang, Cà Mau'],
  [9208, 104.75, 'Lào Cai, Yên Bái, Nghệ An, Phú Thọ, An Giang'],
  [5897, 105.0, 'Hà Nội, Thanh Hóa, Vĩnh Phúc, Ninh Bình, Hà Nam, Đồng Tháp, Cần Thơ, Hậu Giang, Bạc Liêu'],
  [9209, 105.5, 'Hà Giang, Bắc Ninh, Hải Dương, Hưng Yên, Thái Bình, Nam Định, Hà Tĩnh, Tây Ninh, Vĩnh Long, Trà Vinh, Sóc Trăng'],
  [9210, 105.75, 'Cao Bằng, Hải Phòng, TP Hồ Chí Minh, Bình Dương, Long An, Tiền Giang, Bến Tre'],
  [9211, 106.0, 'Tuyên Quang, Hòa Bình, Quảng Bình'],
  [9212, 106.25, 'Quảng Trị, Bình Phước'],
  [9213, 106.5, 'Bắc Kạn, Thái Nguyên'],
  [9214, 107.0, 'Bắc Giang, Thừa Thiên Huế'],
  [9215, 107.25, 'Lạng Sơn'],
  [9216, 107.5, 'Kon Tum'],
  [5899, 107.75, 'Quảng Ninh, Đà Nẵng, Quảng Nam, Lâm Đồng, Đồng Nai, Bà Rịa - Vũng Tàu'],
  [5898, 108.0, 'Quảng Ngãi'],
  [9217, 108.25, 'Bình Định, Khánh Hòa, Ninh Thuận'],
  [9218, 108.5, 'Gia Lai, Đắk Lắk, Đắk Nông, Phú Yên, Bình Thuận'],
]

const UTM_ZONES: Array<[number, number, string]> = [
  [3405, 105, 'VN-2000 / UTM zone 48N'],
  [3406, 111, 'VN-2000 / UTM zone 49N'],
]

function meridianLabel(degrees: number): string {
  const d = Math.floor(degrees)
  const m = Math.round((degrees - d) * 60)
  return `${d}°${String(m).padStart(2, '0')}′`
}

function tmercProj4(lon0: number, k: number): string {
  return `+proj=tmerc +lat_0=0 +lon_0=${lon0} +k=${k} +x_0=500000 +y_0=0 +ellps=WGS84 +towgs84=${TOWGS84} +units=m +no_defs`
}

function projectedWkt(name: string, lon0: number, k: number, epsg: number): string {
  return (
    `PROJCS["${name}",GEOGCS["VN-2000",DATUM["Vietnam_2000",SPHEROID["WGS 84",6378137,298.257223563],` +
    `TOWGS84[${TOWGS84}]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],` +
    `PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",${lon0}],` +
    `PARAMETER["scale_factor",${k}],PARAMETER["false_easting",500000],PARAMETER["false_northing",0],` +
    `UNIT["metre",1],AUTHORITY["EPSG","${epsg}"]]`
  )
}

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('crs_zones', (t) => {
    t.integer('srid').primary()
    t.text('name').notNullable()
    t.text('kind').notNullable().checkIn(['tm3', 'utm', 'geographic'])
    t.double('central_meridian')
    t.double('scale_factor')
    t.text('provinces').comment('Provinces whose cadastral maps use this zone (pre-2025 provinces)')
    t.boolean('added_to_spatial_ref_sys').notNullable().defaultTo(false)
  })

  const rows = [
    ...TM3_ZONES.map(([srid, lon0, provinces]) => ({
      srid, kind: 'tm3', central_meridian: lon0, scale_factor: 0.9999, provinces,
      name: `VN-2000 / TM-3 ${meridianLabel(lon0)}`,
    })),
    ...UTM_ZONES.map(([srid, lon0, name]) => ({ srid, kind: 'utm', central_meridian: lon0, scale_factor: 0.9996, provinces: null, name })),
    { srid: 4756, kind: 'geographic', central_meridian: null, scale_factor: null, provinces: null, name: 'VN-2000' },
  ]
  for (const row of rows) {
    const { rows: present } = await knex.raw('SELECT 1 FROM spatial_ref_sys WHERE srid = ?', [row.srid])
    const add = present.length === 0
    if (add) {
      const proj4 =
        row.kind === 'geographic'
          ? `+proj=longlat +ellps=WGS84 +towgs84=${TOWGS84} +no_defs`
          : tmercProj4(row.central_meridian!, row.scale_factor!)
      const wkt =
        row.kind === 'geographic'
          ? `GEOGCS["VN-2000",DATUM["Vietnam_2000",SPHEROID["WGS 84",6378137,298.257223563],TOWGS84[${TOWGS84}]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433],AUTHORITY["EPSG","4756"]]`
          : projectedWkt(row.name, row.central_meridian!, row.scale_factor!, row.srid)
      await knex.raw(
        'INSERT INTO spatial_ref_sys (srid, auth_name, auth_srid, srtext, proj4text) VALUES (?, ?, ?, ?, ?)',
        [row.srid, 'EPSG', row.srid, wkt, proj4],
      )
    }
    await knex('crs_zones').insert({ ...row, added_to_spatial_ref_sys: add })
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DELETE FROM spatial_ref_sys WHERE srid IN (SELECT srid FROM crs_zones WHERE added_to_spatial_ref_sys)')
  await knex.schema.dropTable('crs_zones')
}
