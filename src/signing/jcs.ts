/**
 * JSON Canonicalization Scheme (RFC 8785): object keys sorted by UTF-16 code units, no
 * whitespace, ECMAScript number and string serialisation (which JSON.stringify already does).
 * Fast path: rebuild objects with their keys in sorted order and let JSON.stringify write them.
 * JavaScript objects put integer-like keys ("7", "12") first whatever their insertion order, so
 * a value holding such a key (or anything unusual) goes to the `canonicalize` package instead.
 * test/signing/jcs.test.ts checks both give the same text.
 */
import canonicalizeModule from 'canonicalize'

// The package is CommonJS whose module.exports is the function; its typings say `default`.
const canonicalize = canonicalizeModule as unknown as (value: unknown) => string | undefined

const INTEGER_LIKE = /^(0|[1-9][0-9]*)$/
const NOT_SIMPLE = Symbol('not simple')

function sortedCopy(value: unknown): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw NOT_SIMPLE
    return value
  }
  if (Array.isArray(value)) return value.map(sortedCopy)
  if (typeof value !== 'object' || typeof (value as { toJSON?: unknown }).toJSON === 'function') throw NOT_SIMPLE
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(value).sort()) {
    if (INTEGER_LIKE.test(key)) throw NOT_SIMPLE
    const v = (value as Record<string, unknown>)[key]
    if (v !== undefined) out[key] = sortedCopy(v)
  }
  return out
}

export function jcs(value: unknown): string {
  try {
    return JSON.stringify(sortedCopy(value))
  } catch (error) {
    if (error !== NOT_SIMPLE) throw error
    const text = canonicalize(value)
    if (text === undefined) throw new TypeError('JCS: value has no JSON form')
    return text
  }
}

/** The `canonicalize` package itself, for tests comparing the two. */
export const canonicalizeReference = (value: unknown): string | undefined => canonicalize(value)
