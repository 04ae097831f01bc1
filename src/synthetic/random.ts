/**
 * Seeded pseudo-random numbers for the synthetic province: same seed → same data, byte for byte.
 *
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator): 128-bit state, passes
 * PractRand, a handful of 32-bit integer operations per number. Each part of the output
 * (a commune's plan, its parcels, its discrepancies) draws from its own named stream, so
 * changing how one part consumes numbers does not shift every other part.
 * Only integer arithmetic and sqrt (exactly rounded in IEEE 754) are used downstream of
 * these numbers where geometry depends on them, so output does not depend on the platform's
 * Math.exp/log implementation.
 */

export class Random {
  private a: number
  private b: number
  private c: number
  private d: number

  /** A generator for `stream` (any label, e.g. "commune/12/parcels") under `seed`. */
  constructor(seed: number, stream: string) {
    if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`Seed must be a non-negative integer, got ${seed}`)
    // Three independent 32-bit hashes of "seed/stream" fill the state, so distinct
    // (seed, stream) pairs cannot share a sequence the way XOR-ing the two would allow.
    const label = `${seed}/${stream}`
    this.a = hashString(`${label}/a`)
    this.b = hashString(`${label}/b`)
    this.c = hashString(`${label}/c`)
    this.d = 1
    for (let round = 0; round < 12; round++) this.uint32()
  }

  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0
    this.d = (this.d + 1) | 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) | 0
    this.c = (this.c << 21) | (this.c >>> 11)
    this.c = (this.c + t) | 0
    return t >>> 0
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / 0x1_0000_0000
  }

  /** Uniform in [min, max). */
  range(min: number, max: number): number {
    return min + (max - min) * this.next()
  }

  /** Uniform integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  /** Uniform in [-1, 1). */
  signed(): number {
    return 2 * this.next() - 1
  }

  chance(probability: number): boolean {
    return this.next() < probability
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('Cannot pick from an empty list')
    return items[Math.floor(this.next() * items.length)]!
  }

  /** Fisher–Yates, in place; returns the same array. */
  shuffle<T>(items: T[]): T[] {
    for (let index = items.length - 1; index > 0; index--) {
      const other = Math.floor(this.next() * (index + 1))
      const kept = items[index]!
      items[index] = items[other]!
      items[other] = kept
    }
    return items
  }
}

/** A list of values with relative weights, prepared once and drawn from many times. */
export class WeightedTable<T> {
  private readonly values: T[]
  private readonly cumulative: number[]

  constructor(entries: ReadonlyArray<readonly [T, number]>) {
    this.values = entries.map(([value]) => value)
    let total = 0
    this.cumulative = entries.map(([, weight]) => (total += weight))
    if (!(total > 0)) throw new RangeError('A weighted table needs a positive total weight')
  }

  draw(random: Random): T {
    const target = random.next() * this.cumulative[this.cumulative.length - 1]!
    let low = 0
    let high = this.cumulative.length - 1
    while (low < high) {
      const middle = (low + high) >> 1
      if (this.cumulative[middle]! > target) high = middle
      else low = middle + 1
    }
    return this.values[low]!
  }
}

/** FNV-1a over UTF-16 code units, then a murmur3 finaliser so nearby labels spread apart. */
function hashString(text: string): number {
  let hash = 0x811c9dc5
  for (let index = 0; index < text.length; index++) {
    hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193)
  }
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b)
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35)
  return (hash ^ (hash >>> 16)) >>> 0
}
