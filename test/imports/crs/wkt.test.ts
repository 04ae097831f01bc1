import { describe, expect, it } from 'vitest'
import { parseWkt, WktSyntaxError } from '../../../src/imports/crs/wkt.js'

describe('parseWkt', () => {
  it('reads nodes, strings, numbers and bare words into a tree', () => {
    expect(parseWkt('AXIS["Easting",EAST]')).toEqual({ keyword: 'AXIS', args: ['Easting', 'EAST'] })
    const tree = parseWkt('PROJCS["a",PARAMETER["k",0.9999],PARAMETER["x",-5e-3],UNIT["m",1]]')
    expect(tree.keyword).toBe('PROJCS')
    expect(tree.args).toEqual(['a', { keyword: 'PARAMETER', args: ['k', 0.9999] }, { keyword: 'PARAMETER', args: ['x', -0.005] }, { keyword: 'UNIT', args: ['m', 1] }])
  })

  it('keeps brackets and commas inside quoted names, and doubled quotes', () => {
    const tree = parseWkt('GEOGCS["VN-2000 [Gia Lai], ""TM-3""",UNIT["degree",0.0174532925199433]]')
    expect(tree.args[0]).toBe('VN-2000 [Gia Lai], "TM-3"')
  })

  it('accepts round brackets and upper-cases keywords', () => {
    expect(parseWkt('unit("metre", 1)')).toEqual({ keyword: 'UNIT', args: ['metre', 1] })
  })

  it.each([
    ['unterminated string', 'PROJCS["abc'],
    ['missing close', 'PROJCS["a",UNIT["m",1]'],
    ['mismatched pair', 'PROJCS["a")'],
    ['text after the end', 'UNIT["m",1] UNIT["m",1]'],
    ['no keyword', '["a"]'],
    ['stray comma', 'UNIT["m",,1]'],
    ['nested too deeply', `${'A['.repeat(40)}1${']'.repeat(40)}`],
    ['plain text', 'VN2000 kinh tuyen 108.5'],
  ])('refuses %s', (_label, text) => {
    expect(() => parseWkt(text)).toThrow(WktSyntaxError)
  })
})
