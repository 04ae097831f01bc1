import { describe, expect, it } from 'vitest'
import { diffEntries } from '../../src/signing/index.js'
import { canonicalizeReference, jcs } from '../../src/signing/jcs.js'

describe('JCS (RFC 8785)', () => {
  it('writes the RFC 8785 §3.2.2 example as the RFC does', () => {
    const input = JSON.parse('{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}')
    expect(jcs(input)).toBe('{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}')
  })

  it('gives the same text as the canonicalize package, also where the fast path steps aside', () => {
    const samples: unknown[] = [
      { b: 1, a: [3, { z: 'Đắk Đoa', y: null, x: -0 }], 'é': 'Nguyễn Văn Thành', A: 0.1 + 0.2 },
      { owners: [{ '10': 'mười', '9': 'chín', name: 'x' }] }, // integer-like keys: JS would order them 9, 10
      { big: 1e21, small: 1e-7, neg: -123.456, emoji: '😀\u2028' },
      [1, 'two', [true, false, null], {}],
      { undef: undefined, list: [undefined, 1] },
      'chuỗi',
      42,
    ]
    for (const s of samples) expect(jcs(s)).toBe(canonicalizeReference(s))
  })
})

describe('entry diff', () => {
  it('names the changed fields by path', () => {
    const a = { sheet: '1', geometry: { srid: 9218, wkbSha256: 'aa' }, landUse: ['ONT'], records: [{ id: 1, ownerName: 'A' }], areaM2: 10 }
    const b = { sheet: '1', geometry: { srid: 9218, wkbSha256: 'bb' }, landUse: ['ONT', 'CLN'], records: [{ id: 1, ownerName: 'B' }], areaM2: 10 }
    expect(diffEntries(a, b)).toEqual(['geometry.wkbSha256', 'landUse', 'records[0].ownerName'])
    expect(diffEntries(a, { ...a, records: [] })).toEqual(['records'])
    expect(diffEntries(a, structuredClone(a))).toEqual([])
  })
})
