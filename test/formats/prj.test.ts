/** The VN-2000 TM-3 `.prj` WKT: names, parameters, and that PROJ-style readers project with it. */
import proj4 from 'proj4'
import { describe, expect, it } from 'vitest'
import { tm3PrjWkt } from '../../src/formats/index.js'

describe('tm3PrjWkt', () => {
  it('names the CRS by its meridian in degrees and minutes', () => {
    expect(tm3PrjWkt(108.5)).toMatch(/^PROJCS\["VN_2000_TM_3_108_30",GEOGCS\["GCS_VN_2000",DATUM\["D_Vietnam_2000"/)
    expect(tm3PrjWkt(105.75)).toContain('"VN_2000_TM_3_105_45"')
    expect(tm3PrjWkt(107)).toContain('PARAMETER["Central_Meridian",107.0]')
    expect(() => tm3PrjWkt(108.123)).toThrow(/minutes/)
  })

  it('carries TM-3 parameters and the position-vector datum shift', () => {
    const wkt = tm3PrjWkt(108.5)
    expect(wkt).toContain('PARAMETER["Scale_Factor",0.9999]')
    expect(wkt).toContain('PARAMETER["False_Easting",500000.0]')
    expect(wkt).toContain('PARAMETER["False_Northing",0.0]')
    expect(wkt).toContain('TOWGS84[-191.90441429,-39.30318279,-111.45032835,0.00928836,-0.01975479,0.00427372,0.252906278]')
  })

  it('projects like the PROJ definition of EPSG:9218', () => {
    const reference =
      '+proj=tmerc +lat_0=0 +lon_0=108.5 +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84 ' +
      '+towgs84=-191.90441429,-39.30318279,-111.45032835,0.00928836,-0.01975479,0.00427372,0.252906278 +units=m +no_defs'
    const pleiku = [108.0, 13.98]
    const fromWkt = proj4(tm3PrjWkt(108.5)).forward(pleiku)
    const fromProj = proj4(reference).forward(pleiku)
    expect(fromWkt[0]).toBeCloseTo(fromProj[0]!, 3)
    expect(fromWkt[1]).toBeCloseTo(fromProj[1]!, 3)
    // Pleiku lies about 54 km west of the 108°30′ meridian.
    expect(fromWkt[0]).toBeGreaterThan(440_000)
    expect(fromWkt[0]).toBeLessThan(450_000)
  })
})
