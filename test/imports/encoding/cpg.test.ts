import { describe, expect, it } from 'vitest'
import { normalizeCpg } from '../../../src/imports/encoding/index.js'

describe('normalizeCpg', () => {
  it.each([
    ['UTF-8', 'utf8'],
    ['UTF8', 'utf8'],
    ['65001', 'utf8'],
    ['utf-8 ', 'utf8'],
    ['\uFEFFUTF-8\r\n', 'utf8'],
    ['1258', 'cp1258'],
    ['CP1258', 'cp1258'],
    ['windows-1258', 'cp1258'],
    ['ANSI 1258', 'cp1258'],
    ['TCVN3', 'tcvn3'],
    ['TCVN', 'tcvn3'],
    ['ABC', 'tcvn3'],
    ['TCVN5712', 'tcvn3'],
    ['VNI', 'vni'],
    ['VNI-WIN', 'vni'],
    ['vni-win\n', 'vni'],
  ])('%j → %s', (text, expected) => {
    expect(normalizeCpg(text)).toBe(expected)
  })

  it.each(['', '   ', 'ANSI 1252', '1252', 'garbage', 'UTF-16', '8859-1'])('%j → null', (text) => {
    expect(normalizeCpg(text)).toBeNull()
  })
})
