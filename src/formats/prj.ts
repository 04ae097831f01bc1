/**
 * `.prj` text for VN-2000 TM-3 (the cadastral projection, hệ tọa độ VN-2000 múi chiếu 3°).
 *
 * ESRI-style WKT1 names (GCS_VN_2000, D_Vietnam_2000) so ArcGIS/QGIS recognise the datum, plus
 * a TOWGS84 clause: without it GDAL/PROJ treat VN-2000 as WGS84 and every parcel lands some
 * hundreds of metres off. The seven parameters are EPSG:6960 in the position-vector
 * convention that WKT1 TOWGS84 and PROJ use (rotations sign-flipped from EPSG's
 * coordinate-frame values; see DOMAIN.md "Spatial reference").
 */

const VN2000_TOWGS84 = '-191.90441429,-39.30318279,-111.45032835,0.00928836,-0.01975479,0.00427372,0.252906278'

/** TM-3 parameters fixed by TT 973/2001/TT-TCĐC for cadastral maps. */
const TM3_SCALE_FACTOR = 0.9999
const TM3_FALSE_EASTING = 500000

/**
 * ESRI WKT for VN-2000 / TM-3 with the given central meridian, e.g. 108.5 →
 * `PROJCS["VN_2000_TM_3_108_30", …]` (Gia Lai, EPSG:9218).
 */
export function tm3PrjWkt(centralMeridianDegrees: number): string {
  const totalMinutes = Math.round(centralMeridianDegrees * 60)
  if (!Number.isFinite(centralMeridianDegrees) || Math.abs(totalMinutes / 60 - centralMeridianDegrees) > 1e-9) {
    throw new RangeError(`Central meridian ${centralMeridianDegrees} is not a whole number of minutes`)
  }
  const degrees = Math.floor(totalMinutes / 60)
  const minutes = String(totalMinutes - degrees * 60).padStart(2, '0')
  const name = `VN_2000_TM_3_${degrees}_${minutes}`
  return (
    `PROJCS["${name}",` +
    'GEOGCS["GCS_VN_2000",' +
    `DATUM["D_Vietnam_2000",SPHEROID["WGS_1984",6378137.0,298.257223563],TOWGS84[${VN2000_TOWGS84}]],` +
    'PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],' +
    'PROJECTION["Transverse_Mercator"],' +
    `PARAMETER["False_Easting",${TM3_FALSE_EASTING.toFixed(1)}],` +
    'PARAMETER["False_Northing",0.0],' +
    `PARAMETER["Central_Meridian",${formatDegrees(centralMeridianDegrees)}],` +
    `PARAMETER["Scale_Factor",${TM3_SCALE_FACTOR}],` +
    'PARAMETER["Latitude_Of_Origin",0.0],' +
    'UNIT["Meter",1.0]]'
  )
}

/** 108 → "108.0", 108.5 → "108.5", 105.75 → "105.75" (ESRI writes a decimal point always). */
function formatDegrees(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : String(value)
}
