/**
 * Well-known text (WKT) of coordinate systems, read into a tree: `KEYWORD[arg, arg, ...]`
 * where an argument is a quoted string, a number, a bare word (`AXIS["E",EAST]`) or another
 * node. Covers ESRI WKT, OGC WKT1 and the shape of WKT2; what the nodes mean is prj.ts's job.
 */

export interface WktNode {
  /** Upper-cased keyword, e.g. PROJCS, GEOGCS, DATUM, PARAMETER. */
  keyword: string
  args: WktValue[]
}

export type WktValue = WktNode | string | number

export class WktSyntaxError extends Error {
  override name = 'WktSyntaxError'
}

type Token =
  | { type: 'word'; value: string; at: number }
  | { type: 'string'; value: string; at: number }
  | { type: 'number'; value: number; at: number }
  | { type: 'open' | 'close'; value: '[' | ']' | '(' | ')'; at: number }
  | { type: 'comma'; at: number }

// Sticky (y) so they match at lastIndex without copying the rest of the text.
const NUMBER = /[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y
const WORD = /[A-Za-z_][A-Za-z0-9_.]*/y
// Deeper than any real CRS (a WKT2 bound CRS nests about 6 levels); stops hostile input early.
const MAX_DEPTH = 32

function tokenize(text: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < text.length) {
    const c = text[i]!
    if (/\s/.test(c)) {
      i++
    } else if (c === '[' || c === '(') {
      tokens.push({ type: 'open', value: c, at: i++ })
    } else if (c === ']' || c === ')') {
      tokens.push({ type: 'close', value: c, at: i++ })
    } else if (c === ',') {
      tokens.push({ type: 'comma', at: i++ })
    } else if (c === '"') {
      // WKT escapes a quote inside a string by doubling it.
      let value = ''
      let j = i + 1
      for (;;) {
        if (j >= text.length) throw new WktSyntaxError(`unterminated string at ${i}`)
        if (text[j] === '"') {
          if (text[j + 1] === '"') {
            value += '"'
            j += 2
            continue
          }
          break
        }
        value += text[j++]
      }
      tokens.push({ type: 'string', value, at: i })
      i = j + 1
    } else {
      NUMBER.lastIndex = i
      WORD.lastIndex = i
      const number = NUMBER.exec(text)
      const word = WORD.exec(text)
      if (number) {
        tokens.push({ type: 'number', value: Number(number[0]), at: i })
        i += number[0].length
      } else if (word) {
        tokens.push({ type: 'word', value: word[0], at: i })
        i += word[0].length
      } else {
        throw new WktSyntaxError(`unexpected character ${JSON.stringify(c)} at ${i}`)
      }
    }
  }
  return tokens
}

const CLOSING = { '[': ']', '(': ')' } as const

/** Parses one WKT object; throws WktSyntaxError on anything that is not well-formed WKT. */
export function parseWkt(text: string): WktNode {
  const tokens = tokenize(text)
  let pos = 0

  function node(depth: number): WktNode {
    const keyword = tokens[pos]
    if (keyword?.type !== 'word') throw new WktSyntaxError(`expected a keyword at ${keyword?.at ?? 'end'}`)
    pos++
    const open = tokens[pos]
    if (open?.type !== 'open') throw new WktSyntaxError(`expected [ after ${keyword.value} at ${keyword.at}`)
    if (depth > MAX_DEPTH) throw new WktSyntaxError('nested too deeply')
    pos++
    const args: WktValue[] = []
    if (tokens[pos]?.type !== 'close') {
      for (;;) {
        args.push(value(depth))
        const next = tokens[pos]
        if (next?.type === 'comma') {
          pos++
          continue
        }
        break
      }
    }
    const close = tokens[pos]
    if (close?.type !== 'close') throw new WktSyntaxError(`expected , or ${CLOSING[open.value as '[' | '(']} at ${close?.at ?? 'end'}`)
    if (close.value !== CLOSING[open.value as '[' | '(']) throw new WktSyntaxError(`${close.value} at ${close.at} does not close ${open.value} at ${open.at}`)
    pos++
    return { keyword: keyword.value.toUpperCase(), args }
  }

  function value(depth: number): WktValue {
    const token = tokens[pos]
    if (!token) throw new WktSyntaxError('unexpected end of text')
    if (token.type === 'string' || token.type === 'number') {
      pos++
      return token.value
    }
    if (token.type === 'word') {
      if (tokens[pos + 1]?.type === 'open') return node(depth + 1)
      pos++
      return token.value
    }
    throw new WktSyntaxError(`unexpected ${token.type === 'comma' ? ',' : token.value} at ${token.at}`)
  }

  const root = node(0)
  if (pos !== tokens.length) throw new WktSyntaxError(`unexpected text after the end at ${tokens[pos]!.at}`)
  return root
}

/** Child nodes with one of the keywords, in order. */
export function children(node: WktNode, ...keywords: string[]): WktNode[] {
  return node.args.filter((a): a is WktNode => typeof a === 'object' && keywords.includes(a.keyword))
}

export function child(node: WktNode, ...keywords: string[]): WktNode | undefined {
  return children(node, ...keywords)[0]
}

/** The node's name: its first argument when that is a string. */
export function nodeName(node: WktNode | undefined): string | undefined {
  const first = node?.args[0]
  return typeof first === 'string' ? first : undefined
}

/** The numeric arguments of a node, in order (e.g. TOWGS84, SPHEROID). */
export function numbers(node: WktNode | undefined): number[] {
  return node ? node.args.filter((a): a is number => typeof a === 'number') : []
}
