import { describe, expect, it } from 'vitest'
import { readCoordinate, readLocation } from '../../../src/imports/records/location.js'

describe('readCoordinate', () => {
  it.each([
    ['1552345.12', 1552345.12], ['1552345,12', 1552345.12], ['1.552.345,12', 1552345.12], ['1,552,345.12', 1552345.12],
    ['1 552 345,12', 1552345.12], ['108,5', 108.5], [430123.5, 430123.5], ['-', null], ['abc', null], ['', null],
  ])('%s → %s', (raw, value) => expect(readCoordinate(raw)).toBe(value))
})

describe('readLocation', () => {
  it('reads X as northing and Y as easting (Vietnamese surveying), or the GIS order, from the values', () => {
    expect(readLocation('xy', '1552345,1', '430123,4', 9218)).toMatchObject({ ok: true, ewkt: 'SRID=9218;POINT(430123.4 1552345.1)' })
    expect(readLocation('xy', 430123.4, 1552345.1, 9218)).toMatchObject({ ok: true, ewkt: 'SRID=9218;POINT(430123.4 1552345.1)' })
  })
  it('takes degrees as longitude/latitude, in either column order', () => {
    expect(readLocation('lonlat', '108.1', '14.2', 9218)).toMatchObject({ ok: true, ewkt: 'SRID=4326;POINT(108.1 14.2)' })
    expect(readLocation('lonlat', '14.2', '108.1', 9218)).toMatchObject({ ok: true, ewkt: 'SRID=4326;POINT(108.1 14.2)' })
    expect(readLocation('xy', '14.2', '108.1', 9218)).toMatchObject({ ok: true, ewkt: 'SRID=4326;POINT(108.1 14.2)' })
  })
  it('does not guess: values outside Vietnam, or a missing half, are unreadable; both empty is no point', () => {
    expect(readLocation('xy', '12', '34', 9218)).toEqual({ ok: false, raw: 'X=12; Y=34' })
    expect(readLocation('xy', '1552345', '', 9218)).toEqual({ ok: false, raw: 'X=1552345; Y=' })
    expect(readLocation('xy', '1552345', '1552345', 9218)).toMatchObject({ ok: false })
    expect(readLocation('xy', null, ' ', 9218)).toBeNull()
  })
})
