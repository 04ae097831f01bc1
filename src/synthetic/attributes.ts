/**
 * Attributes of a sheet's parcels (thửa đất): land-use code, place name, and for certified
 * parcels the attribute record (hồ sơ) with owner, legal area, certificate and address.
 * Records here are honest; discrepancies are planted afterwards (discrepancies/).
 */
import { CertificateBook } from './certificates.js'
import { ringArea, roundTenth } from './geometry.js'
import { drawLandUse, isPublicLand } from './land-use.js'
import { landUserName } from './names.js'
import type { Random } from './random.js'
import { settingOf } from './sheet-plan.js'
import type { SheetParcel } from './tessellation.js'
import type { AttributeRecord, CommunePlan, MapParcel, SheetPlan } from './types.js'

/** Public land is registered to the commune and seldom certified. */
const PUBLIC_RECORD_SHARE = 0.12

/** Owners living in the provincial capital rather than in the commune. */
const PLEIKU_ADDRESSES = ['Phường Hoa Lư', 'Phường Ia Kring', 'Phường Thống Nhất', 'Phường Yên Đỗ', 'Phường Diên Hồng',
  'Phường Tây Sơn', 'Phường Hội Thương', 'Phường Trà Bá']

export class ParcelDescriber {
  readonly certificates: CertificateBook

  constructor(
    private readonly plan: CommunePlan,
    private readonly random: Random,
  ) {
    this.certificates = new CertificateBook(random)
  }

  get villages(): readonly string[] {
    return this.plan.villages
  }

  /** Turns a sheet's geometry into map parcels; `firstId` continues the commune's running ID. */
  describe(sheet: SheetPlan, parcels: SheetParcel[], firstId: number): MapParcel[] {
    const setting = settingOf(sheet.scale)
    const villages = this.plan.villages
    const mainVillage = villages[(sheet.number - 1) % villages.length]!
    const nextVillage = villages[sheet.number % villages.length]!
    return parcels.map((parcel, index) => {
      const area = ringArea(parcel.ring)
      const landUse = drawLandUse(this.random, setting)
      const place = this.random.chance(0.8) ? mainVillage : nextVillage
      const mapParcel: MapParcel = {
        id: firstId + index,
        sheet: sheet.number,
        number: parcel.number,
        ring: parcel.ring,
        area,
        mapArea: roundTenth(area),
        landUse,
        place,
        record: null,
      }
      const certified = this.random.chance(isPublicLand(landUse) ? PUBLIC_RECORD_SHARE : this.plan.recordShare)
      if (certified) mapParcel.record = this.record(mapParcel, this.honestLegalArea(area))
      return mapParcel
    })
  }

  /** A record for `parcel` with the given legal area, a fresh owner and certificate. */
  record(parcel: Pick<MapParcel, 'sheet' | 'number' | 'landUse' | 'place'>, legalArea: number): AttributeRecord {
    const owner = isPublicLand(parcel.landUse) ? `UBND ${this.plan.name}` : landUserName(this.random, this.plan.jraiShare)
    return {
      sheet: parcel.sheet,
      parcel: parcel.number,
      owner,
      legalArea,
      landUse: parcel.landUse,
      serial: this.certificates.serial(),
      bookEntry: this.certificates.bookEntry(),
      address: this.address(parcel.place),
    }
  }

  /**
   * Legal area as surveyed for the certificate: often exactly the map area, otherwise off by
   * an honest survey difference of at most 0.3% and 1.5 m² (within any tolerance rule).
   */
  honestLegalArea(area: number): number {
    if (this.random.chance(0.5)) return roundTenth(area)
    return roundTenth(area + this.random.signed() * Math.min(0.003 * area, 1.5))
  }

  private address(place: string): string {
    const roll = this.random.next()
    if (roll < 0.06) return `Tổ ${this.random.int(1, 12)}, ${this.random.pick(PLEIKU_ADDRESSES)}, TP Pleiku`
    if (roll < 0.15) return `${this.random.pick(this.plan.villages)}, ${this.plan.name}`
    return `${place}, ${this.plan.name}`
  }
}
