import { describe, expect, it } from 'vitest'
import { describeCoordinates, fitsCrs, guessFromCoordinates, type Bbox } from '../../../src/imports/crs/index.js'

// Pleiku, Gia Lai: in degrees, in TM-3 108°30′ and in UTM 48N.
const PLEIKU_DEGREES: Bbox = [107.98, 13.95, 108.05, 14.02]
const PLEIKU_TM3: Bbox = [443_600, 1_542_600, 451_200, 1_550_300]
const PLEIKU_UTM48: Bbox = [820_000, 1_544_000, 828_000, 1_552_000]

describe('guessFromCoordinates', () => {
  it.each<[string, Bbox, string]>([
    ['Pleiku in degrees', PLEIKU_DEGREES, 'degrees'],
    ['Hà Giang (northernmost) in degrees', [105.3, 23.0, 105.5, 23.39], 'degrees'],
    ['Cà Mau in degrees', [104.7, 8.55, 104.9, 8.7], 'degrees'],
    ['Trường Sa in degrees', [114.2, 10.3, 114.4, 10.4], 'degrees'],
    ['Pleiku in TM-3', PLEIKU_TM3, 'tm3_or_utm_metres'],
    ['Pleiku in UTM 48N', PLEIKU_UTM48, 'tm3_or_utm_metres'],
    ['Hà Nội in TM-3 105°', [580_000, 2_320_000, 600_000, 2_330_000], 'tm3_or_utm_metres'],
    ['latitude and longitude swapped', [13.95, 107.98, 14.02, 108.05], 'unknown'],
    ['web mercator metres', [12_020_000, 1_570_000, 12_030_000, 1_580_000], 'unknown'],
    ['FE/FN swapped grid', [-56_000, 2_042_000, -48_000, 2_050_000], 'unknown'],
    ['local drawing coordinates', [0, 0, 1200, 800], 'unknown'],
    ['straddles degrees and metres', [108, 14, 450_000, 1_550_000], 'unknown'],
    ['NaN', [Number.NaN, 14, 108, 14.1], 'unknown'],
    ['min greater than max', [108.05, 13.95, 107.98, 14.02], 'unknown'],
  ])('%s → %s', (_label, bbox, expected) => {
    expect(guessFromCoordinates(bbox)).toBe(expected)
  })
})

describe('fitsCrs', () => {
  it('checks degrees for geographic, metres for projected kinds, nothing for unknown', () => {
    expect(fitsCrs(PLEIKU_DEGREES, 'geographic')).toBe(true)
    expect(fitsCrs(PLEIKU_DEGREES, 'tm3')).toBe(false)
    expect(fitsCrs(PLEIKU_TM3, 'tm3')).toBe(true)
    expect(fitsCrs(PLEIKU_TM3, 'utm')).toBe(true)
    expect(fitsCrs(PLEIKU_TM3, 'geographic')).toBe(false)
    expect(fitsCrs(PLEIKU_TM3, 'unknown')).toBe(false)
  })

  it('UTM 48N eastings near 109.5°E fit UTM but are too far from any TM-3 meridian', () => {
    const eastUtm: Bbox = [950_000, 1_400_000, 960_000, 1_410_000]
    expect(fitsCrs(eastUtm, 'utm')).toBe(true)
    expect(fitsCrs(eastUtm, 'tm3')).toBe(false)
  })
})

describe('describeCoordinates', () => {
  it('says what the coordinates look like, Vietnamese then English', () => {
    expect(describeCoordinates(PLEIKU_DEGREES)).toMatch(/^tọa độ là độ: kinh độ 107\.98000–108\.05000.*\(coordinates are degrees/)
    expect(describeCoordinates(PLEIKU_TM3)).toMatch(/^tọa độ là mét: x 443600–451200, y 1542600–1550300 \(coordinates are metres/)
    expect(describeCoordinates([13.95, 107.98, 14.02, 108.05])).toMatch(/latitude and longitude swapped/)
    expect(describeCoordinates([0, 0, 1200, 800])).toMatch(/neither degrees nor VN-2000 metres/)
  })
})
