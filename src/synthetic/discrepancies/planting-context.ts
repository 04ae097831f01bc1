/**
 * Shared state while planting one commune's discrepancies: which parcels are already used
 * (each planted item gets parcels of its own, so items never interact), a shuffled visiting
 * order with one cursor per kind, and parcel numbers known to be absent from a sheet.
 */
import type { ParcelDescriber } from '../attributes.js'
import type { Random } from '../random.js'
import type { AttributeRecord, MapParcel, PlantedDiscrepancy } from '../types.js'

export class PlantingContext {
  readonly items: PlantedDiscrepancy[] = []
  private readonly order: number[]
  private readonly used: Uint8Array
  private readonly cursors = new Map<string, number>()
  private readonly maxNumber = new Map<number, number>()
  private readonly invented = new Set<string>()
  private readonly vertexIndex = new Map<number, Map<string, number[]>>()

  constructor(
    readonly random: Random,
    readonly parcels: MapParcel[],
    readonly records: AttributeRecord[],
    readonly describer: ParcelDescriber,
    readonly sheetCount: number,
  ) {
    this.order = random.shuffle(Array.from(parcels, (_, index) => index))
    this.used = new Uint8Array(parcels.length)
    for (const parcel of parcels) {
      this.maxNumber.set(parcel.sheet, Math.max(parcel.number, this.maxNumber.get(parcel.sheet) ?? 0))
    }
  }

  /**
   * The next unused parcel, in the named walk through the shuffled order (one walk per kind
   * of item, so a parcel one kind skipped is still there for another), for which `accept`
   * returns true; it is marked used. Null when none is left.
   */
  take(walk: string, accept: (parcel: MapParcel, index: number) => boolean): MapParcel | null {
    let cursor = this.cursors.get(walk) ?? 0
    while (cursor < this.order.length) {
      const index = this.order[cursor++]!
      if (this.used[index] || !accept(this.parcels[index]!, index)) continue
      this.used[index] = 1
      this.cursors.set(walk, cursor)
      return this.parcels[index]!
    }
    this.cursors.set(walk, cursor)
    return null
  }

  isUsed(index: number): boolean {
    return this.used[index] === 1
  }

  markUsed(index: number): void {
    this.used[index] = 1
  }

  /**
   * A parcel number that exists nowhere on `sheet` (above every number the map had, so not
   * even a number freed by another planted item) and that no other planted record uses.
   * `preferred` (e.g. a typo of the true number) is taken when it qualifies.
   */
  absentNumber(sheet: number, preferred?: number): number {
    const max = this.maxNumber.get(sheet) ?? 0
    let number = preferred !== undefined && preferred > max ? preferred : max + this.random.int(1, 99)
    while (this.invented.has(`${sheet}/${number}`)) number++
    this.invented.add(`${sheet}/${number}`)
    return number
  }

  /**
   * Indexes of the parcels on `sheet` having a vertex at exactly (x, y). The index is built on
   * first use per sheet; exact keys work because shared vertices are bit-identical.
   */
  vertexOwners(sheet: number, x: number, y: number): number[] {
    let index = this.vertexIndex.get(sheet)
    if (!index) {
      index = new Map()
      this.parcels.forEach((parcel, parcelIndex) => {
        if (parcel.sheet !== sheet) return
        for (let at = 0; at < parcel.ring.length - 2; at += 2) {
          const key = `${parcel.ring[at]},${parcel.ring[at + 1]}`
          const owners = index!.get(key)
          if (owners) owners.push(parcelIndex)
          else index!.set(key, [parcelIndex])
        }
      })
      this.vertexIndex.set(sheet, index)
    }
    return index.get(`${x},${y}`) ?? []
  }

  plant(item: PlantedDiscrepancy): void {
    this.items.push(item)
  }
}
