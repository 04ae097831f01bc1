/**
 * Edge matching (đối chiếu cạnh thửa): in a clean cadastral map, neighbouring parcels share
 * their boundary vertex for vertex, so every interior edge occurs exactly twice. Counting
 * edges while the file streams in is linear, and leaves a small set of parcels whose edges do
 * not pair up: the commune's outline, and wherever there are gaps, overlaps or T-junctions.
 * Only those candidates go on to the exact overlap and gap checks.
 *
 * Edges are counted in an open-addressing hash table over typed arrays (millimetre-quantised
 * end points as exact integers in doubles): this runs for every edge of every parcel of a
 * province, and string keys in a Map cost several times more.
 */
import type { ShapeStore } from './shapes.js'

/** Vertices closer than this (map units: metres) are the same vertex. */
const QUANTUM = 1e-3

export class EdgeIndex {
  private capacity: number
  private keys: Float64Array
  private counts: Int32Array
  private used = 0
  /** Slot of each edge, item after item; itemStart[i] is where item i's edges begin. */
  private edgeSlots = new Int32Array(1 << 16)
  private edgeCount = 0
  private readonly itemStart: number[] = []

  /** Sized for `parcels` parcels (a parcel brings about five new edges; the table stays under half full). */
  constructor(parcels = 0) {
    this.capacity = 1 << 15
    while (this.capacity < parcels * 10) this.capacity *= 2
    this.keys = new Float64Array(this.capacity * 4)
    this.counts = new Int32Array(this.capacity)
  }

  /** Counts the edges of the store's parcel `item`; items are added in order (0, 1, 2 ...). */
  add(item: number, store: ShapeStore): void {
    this.itemStart[item] = this.edgeCount
    const xy = store.xy, ringStart = store.ringStart
    const firstRing = store.polygonStart[store.itemStart[item]!]!, endRing = store.polygonStart[store.itemStart[item + 1]!]!
    for (let r = firstRing; r < endRing; r++) {
      const end = ringStart[r + 1]!
      if (end - ringStart[r]! < 2) continue
      // Each vertex is quantised once, as the end of one edge and the start of the next.
      let bx = Math.round(xy[2 * ringStart[r]!]! / QUANTUM), by = Math.round(xy[2 * ringStart[r]! + 1]! / QUANTUM)
      for (let k = ringStart[r]!; k < end - 1; k++) {
        const ax = bx, ay = by
        bx = Math.round(xy[2 * k + 2]! / QUANTUM)
        by = Math.round(xy[2 * k + 3]! / QUANTUM)
        if (ax === bx && ay === by) continue
        const slot = ax < bx || (ax === bx && ay < by) ? this.count(ax, ay, bx, by) : this.count(bx, by, ax, ay)
        if (this.edgeCount === this.edgeSlots.length) {
          const grown = new Int32Array(this.edgeSlots.length * 2)
          grown.set(this.edgeSlots)
          this.edgeSlots = grown
        }
        this.edgeSlots[this.edgeCount++] = slot
      }
    }
    this.itemStart[item + 1] = this.edgeCount
  }

  /** Parcels with an edge that no neighbour shares, or that more than two parcels share. */
  candidates(): number[] {
    const result: number[] = []
    for (let item = 0; item + 1 < this.itemStart.length; item++) {
      const start = this.itemStart[item]
      if (start === undefined) continue
      const end = this.itemStart[item + 1]!
      for (let e = start; e < end; e++) {
        if (this.counts[this.edgeSlots[e]!] !== 2) {
          result.push(item)
          break
        }
      }
    }
    return result
  }

  /** The unshared edges as line segments: the linework from which gaps are polygonised. */
  unsharedSegments(): Array<[number, number, number, number]> {
    const result: Array<[number, number, number, number]> = []
    for (let slot = 0; slot < this.capacity; slot++) {
      if (this.counts[slot] !== 1) continue
      const k = slot * 4
      result.push([this.keys[k]! * QUANTUM, this.keys[k + 1]! * QUANTUM, this.keys[k + 2]! * QUANTUM, this.keys[k + 3]! * QUANTUM])
    }
    return result
  }

  private count(ax: number, ay: number, bx: number, by: number): number {
    if (this.used * 2 >= this.capacity) this.grow()
    const slot = this.find(ax, ay, bx, by)
    if (this.counts[slot] === 0) {
      const k = slot * 4
      this.keys[k] = ax
      this.keys[k + 1] = ay
      this.keys[k + 2] = bx
      this.keys[k + 3] = by
      this.used++
    }
    this.counts[slot]!++
    return slot
  }

  /** The slot holding this edge, or the empty slot where it belongs (linear probing). */
  private find(ax: number, ay: number, bx: number, by: number): number {
    const mask = this.capacity - 1
    let h = Math.imul(ax | 0, 0x9e3779b1) ^ Math.imul(ay | 0, 0x85ebca6b) ^ Math.imul(bx | 0, 0xc2b2ae35) ^ Math.imul(by | 0, 0x27d4eb2f)
    h ^= h >>> 15
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      if (this.counts[slot] === 0) return slot
      const k = slot * 4
      if (this.keys[k] === ax && this.keys[k + 1] === ay && this.keys[k + 2] === bx && this.keys[k + 3] === by) return slot
    }
  }

  /** Doubles the table; edge slots recorded so far are remapped. */
  private grow(): void {
    const oldKeys = this.keys, oldCounts = this.counts, oldCapacity = this.capacity
    this.capacity *= 2
    this.keys = new Float64Array(this.capacity * 4)
    this.counts = new Int32Array(this.capacity)
    const remap = new Int32Array(oldCapacity)
    for (let slot = 0; slot < oldCapacity; slot++) {
      if (oldCounts[slot] === 0) continue
      const k = slot * 4
      const moved = this.find(oldKeys[k]!, oldKeys[k + 1]!, oldKeys[k + 2]!, oldKeys[k + 3]!)
      this.keys.set(oldKeys.subarray(k, k + 4), moved * 4)
      this.counts[moved] = oldCounts[slot]!
      remap[slot] = moved
    }
    for (let e = 0; e < this.edgeCount; e++) this.edgeSlots[e] = remap[this.edgeSlots[e]!]!
  }
}
