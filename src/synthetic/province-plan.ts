/**
 * The plan of the whole synthetic province, drawn before any parcel: each commune's code
 * (mã xã), name, people, file conventions and sheets (tờ bản đồ), and where it lies.
 * Planning is cheap (no geometry), so it is done for all communes first; that fixes the
 * layout and lets the generator then stream one commune at a time.
 */
import { communeVillages, GIA_LAI_PLACE_NAMES } from './names.js'
import { communeCell, communeGrid, packSheets, placeCluster, shelfWidth } from './layout.js'
import { Random, WeightedTable } from './random.js'
import { planSheets } from './sheet-plan.js'
import type { CommunePlan, DbfSchemaName, GeneratorOptions, RecordsHeaderName } from './types.js'

/** Gia Lai 2023: 1,128,667 attribute parcels for 1,626,176 spatial parcels. */
export const RECORD_RATIO = 1_128_667 / 1_626_176

/**
 * Certified share of private parcels that gives the province ratio: 14.3% of parcels are
 * public land (measured over the default province), certified at 12% (attributes.ts), and
 * planted duplicate and orphan records add 0.5%:
 * (0.694 − 0.005 − 0.143 × 0.12) / 0.857 ≈ 0.784.
 */
const PRIVATE_RECORD_SHARE = (RECORD_RATIO - 0.005 - 0.143 * 0.12) / (1 - 0.143)

const DBF_SCHEMAS = new WeightedTable<DbfSchemaName>([['full', 70], ['maxa', 15], ['madvhc', 15]])
const RECORDS_HEADERS = new WeightedTable<RecordsHeaderName>([['vietnamese', 65], ['ascii', 20], ['alternate', 15]])

export function planProvince(options: GeneratorOptions): CommunePlan[] {
  const lastCode = options.firstCode + options.communes - 1
  if (options.firstCode < 10_000 || lastCode > 99_999) {
    throw new RangeError(`Commune codes ${options.firstCode}–${lastCode} are not all 5 digits`)
  }
  const names = communeNames(new Random(options.seed, 'province/names'), options.communes)
  const sizes = communeSizes(new Random(options.seed, 'province/sizes'), options)
  const plans = names.map((name, index) => planCommune(options, index, name, sizes[index]!))
  const maxShelf = shelfWidth()
  const clusters = plans.map((plan) => packSheets(plan.sheets, maxShelf))
  const grid = communeGrid(clusters)
  plans.forEach((plan, index) => {
    plan.boundary = communeCell(grid, index)
    placeCluster(new Random(options.seed, `commune/${index}/layout`), plan.sheets, clusters[index]!, plan.boundary)
  })
  return plans
}

function planCommune(options: GeneratorOptions, index: number, name: string, parcels: number): CommunePlan {
  const random = new Random(options.seed, `commune/${index}/plan`)
  const jraiShare = random.range(0.1, 0.8)
  const recordShare = PRIVATE_RECORD_SHARE + 0.05 * random.signed()
  const villages = communeVillages(random, jraiShare)
  // Commune 0 always uses the common conventions, so even a one-commune run has them.
  const dbfSchema = index === 0 ? 'full' : DBF_SCHEMAS.draw(random)
  const decimalNumbers = dbfSchema === 'madvhc' || (dbfSchema === 'full' && index > 0 && random.chance(0.15))
  const recordsHeader = index === 0 ? 'vietnamese' : RECORDS_HEADERS.draw(random)
  return {
    index,
    code: String(options.firstCode + index),
    name,
    jraiShare,
    recordShare,
    villages,
    dbfSchema,
    decimalNumbers,
    recordsHeader,
    sheets: planSheets(random, parcels),
    boundary: { minX: 0, minY: 0, maxX: 0, maxY: 0 },
  }
}

/**
 * Parcels per commune: ±15% around the mean, scaled and rounded cumulatively so that the
 * province total is exactly communes × parcelsPerCommune (1.628M by default, Gia Lai's 1.626M).
 */
function communeSizes(random: Random, options: GeneratorOptions): number[] {
  const factors = Array.from({ length: options.communes }, () => random.range(0.85, 1.15))
  const scale = (options.communes * options.parcelsPerCommune) / factors.reduce((sum, factor) => sum + factor, 0)
  let cumulative = 0
  let previous = 0
  return factors.map((factor) => {
    cumulative += factor * scale
    const size = Math.max(1, Math.round(cumulative) - previous)
    previous += size
    return size
  })
}

/** "Xã <place>" drawn without repeats while the list lasts, then " 2", " 3"… suffixes. */
function communeNames(random: Random, count: number): string[] {
  const places = random.shuffle([...GIA_LAI_PLACE_NAMES])
  return Array.from({ length: count }, (_, index) => {
    const round = Math.floor(index / places.length)
    const place = places[index % places.length]!
    return round === 0 ? `Xã ${place}` : `Xã ${place} ${round + 1}`
  })
}
