/**
 * The attribute tables (DBF) of the generated shapefiles, in the three field layouts that
 * contractors deliver (DOMAIN.md "Files as they arrive"): the full schema of the common
 * cadastral software, and two short ones with other names for the same things. Some
 * communes store sheet and parcel numbers as numbers with a decimal ("12.0").
 */
import type { DbfField, DbfValue } from '../formats/index.js'
import type { CommunePlan, DbfSchemaName, MapParcel } from './types.js'

/** Which DBF field holds which fact; absent roles are not in that layout. */
export interface DbfRoles {
  commune: string
  sheet: string
  parcel: string
  area: string
  landUse: string
  owner: string
  legalArea?: string
  certified?: string
  address?: string
  place?: string
}

export interface DbfSchema {
  name: DbfSchemaName
  fields: DbfField[]
  roles: DbfRoles
  values(parcel: MapParcel): DbfValue[]
}

const TEXT = (name: string, length: number): DbfField => ({ name, type: 'C', length })
const NUMBER = (name: string, length: number, decimals = 0): DbfField => ({ name, type: 'N', length, decimals })

export function dbfSchemaFor(plan: CommunePlan): DbfSchema {
  // "12.0" style: one decimal on sheet and parcel numbers.
  const sheetField = (name: string) => (plan.decimalNumbers ? NUMBER(name, 6, 1) : NUMBER(name, 4))
  const parcelField = (name: string) => (plan.decimalNumbers ? NUMBER(name, 7, 1) : NUMBER(name, 5))
  const owner = (parcel: MapParcel) => parcel.record?.owner ?? ''
  switch (plan.dbfSchema) {
    case 'full':
      return {
        name: 'full',
        fields: [
          NUMBER('ID', 8), NUMBER('THUAID', 12), TEXT('XAID', 5), sheetField('SHBANDO'), parcelField('SHTHUA'),
          NUMBER('DIENTICH', 12, 1), NUMBER('DIENTICHPL', 12, 1), TEXT('MALOAIDAT', 15), TEXT('KHLOAIDAT', 15),
          TEXT('DIADANH', 50), TEXT('TENCHU', 80), TEXT('DIACHI', 100), { name: 'DaCapGCN', type: 'L' },
        ],
        roles: {
          commune: 'XAID', sheet: 'SHBANDO', parcel: 'SHTHUA', area: 'DIENTICH', legalArea: 'DIENTICHPL',
          landUse: 'KHLOAIDAT', place: 'DIADANH', owner: 'TENCHU', address: 'DIACHI', certified: 'DaCapGCN',
        },
        values: (parcel) => [
          parcel.id, Number(plan.code) * 1_000_000 + parcel.id, plan.code, parcel.sheet, parcel.number,
          parcel.mapArea, parcel.record?.legalArea ?? null, parcel.landUse, parcel.landUse,
          parcel.place, owner(parcel), parcel.record?.address ?? '', parcel.record !== null,
        ],
      }
    case 'maxa':
      return {
        name: 'maxa',
        fields: [NUMBER('MAXA', 5), sheetField('SOTO'), parcelField('SOTHUA'), NUMBER('DT', 12, 1), TEXT('LOAIDAT', 15),
          TEXT('CHUSDD', 80), TEXT('DIACHI', 100)],
        roles: { commune: 'MAXA', sheet: 'SOTO', parcel: 'SOTHUA', area: 'DT', landUse: 'LOAIDAT', owner: 'CHUSDD', address: 'DIACHI' },
        values: (parcel) => [Number(plan.code), parcel.sheet, parcel.number, parcel.mapArea, parcel.landUse, owner(parcel),
          parcel.record?.address ?? ''],
      }
    case 'madvhc':
      return {
        name: 'madvhc',
        fields: [TEXT('MADVHC', 5), sheetField('TOBANDO'), parcelField('SO_THUA'), NUMBER('DIENTICH', 12, 2), TEXT('MDSD', 15),
          TEXT('HOTEN', 80)],
        roles: { commune: 'MADVHC', sheet: 'TOBANDO', parcel: 'SO_THUA', area: 'DIENTICH', landUse: 'MDSD', owner: 'HOTEN' },
        values: (parcel) => [plan.code, parcel.sheet, parcel.number, parcel.mapArea, parcel.landUse, owner(parcel)],
      }
  }
}
