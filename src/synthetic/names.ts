/**
 * Vietnamese names for the synthetic province: communes (xã) and villages (thôn, làng) of Gia
 * Lai, and people (chủ sử dụng đất) of the Kinh majority and of the Jrai and Bahnar peoples,
 * who make up a large share of Gia Lai's land users.
 */
import { WeightedTable, type Random } from './random.js'

/** Real pre-2025 Gia Lai commune and town names; the generator adds "Xã " and a suffix on repeats. */
export const GIA_LAI_PLACE_NAMES: readonly string[] = [
  'Ia Grai', 'Đắk Đoa', 'Chư Păh', 'Ia Pa', 'Kbang', 'Kông Chro', 'Mang Yang', 'Chư Sê', 'Đức Cơ',
  'Chư Prông', 'Phú Thiện', 'Krông Pa', 'Ia Băng', 'Ia Dêr', 'Chư Á', 'Biển Hồ', 'Ia Hrung',
  'Ia Sao', 'Ia Yok', 'Ia Khươl', 'Ia Nhin', 'Ia Mơ Nông', 'Ia Kreng', 'Hà Tây', 'Đăk Tơ Ver',
  'Nghĩa Hòa', 'Hòa Phú', 'Ia Ly', 'Ia Phí', 'Ia Ka', 'Hà Bầu', 'Nam Yang', 'Glar', 'A Dơk',
  'Trang', 'Ia Pết', 'Kon Gang', 'Hải Yang', 'Tân Bình', 'K\'Dang', 'Hra', 'Ayun', 'Đak Jơ Ta',
  'Kon Thụp', 'Đê Ar', 'Lơ Pang', 'Kon Chiêng', 'Đăk Trôi', 'Ia Kha', 'Ia Krái', 'Ia Tô',
  'Ia Chia', 'Ia O', 'Ia Bă', 'Ia Dom', 'Ia Nan', 'Ia Pnôn', 'Ia Kriêng', 'Ia Lang', 'Ia Din',
  'Ia Kla', 'Ia Krêl', 'Ia Dơk', 'Ia Púch', 'Ia Mơ', 'Ia Me', 'Ia Phìn', 'Ia Drăng', 'Ia Lâu',
  'Ia Piơr', 'Ia Ga', 'Ia Vê', 'Ia Boòng', 'Ia Pia', 'Ia Tiêm', 'Chư Pơng', 'Bar Măih',
  'Ia Glai', 'H\'Bông', 'Ia Hla', 'Dun', 'Ia Blang', 'Kông Htok', 'Ia Hrú', 'Ia Dreng',
  'Sơn Lang', 'Sơ Pai', 'Lơ Ku', 'Đông', 'Nghĩa An', 'Tơ Tung', 'Kông Lơng Khơng', 'Kông Bờ La',
  'Krong', 'Đăk Pling', 'Yang Nam', 'Chư Krey', 'An Trung', 'Đăk Song', 'Chơ Long', 'Đăk Kơ Ning',
  'Ya Ma', 'Sró', 'Ia Rsai', 'Ia Rsươm', 'Chư Gu', 'Chư Drăng', 'Uar', 'Chư Rcăm', 'Krông Năng',
  'Phú Cần', 'Ia Mlăh', 'Đất Bằng', 'Ia Hdreh', 'Chư Ngọc', 'Ia Rmok', 'Ia Sol', 'Ia Yeng',
  'Ia Peng', 'Chrôh Pơnan', 'Ayun Hạ', 'Ia Ake', 'Chư A Thai', 'Ia Trôk', 'Ia Kdăm', 'Pờ Tó',
  'Chư Mố', 'Ia Tul', 'Ia Broăi', 'Kim Tân', 'Chư Răng', 'Ia Rbol', 'Ya Hội', 'Cửu An', 'Song An',
  'Tú An', 'Xuân An', 'Thành An', 'Diên Phú', 'Gào', 'Ia Kênh', 'Trà Đa', 'Chư Đăng Ya',
  'Ia Pếch', 'Chư Jôr', 'Ia Pal', 'Ia Hlốp', 'Ia Blứ', 'Thăng Hưng', 'Bình Giáo', 'Ia Tôr',
  'Bờ Ngoong', 'Al Bá', 'Ia Ko', 'Ia Băng Tây', 'Ia Le', 'Ia Dreh', 'Ia Mrơn', 'Ia Kdăm Đông',
]

/** Kinh family names, weighted roughly by national frequency. */
const KINH_FAMILY_NAMES = new WeightedTable<string>([
  ['Nguyễn', 31], ['Trần', 11], ['Lê', 9.5], ['Phạm', 7], ['Hoàng', 5], ['Huỳnh', 3], ['Phan', 4.5],
  ['Vũ', 3.9], ['Võ', 3], ['Đặng', 2.1], ['Bùi', 2], ['Đỗ', 1.4], ['Hồ', 1.3], ['Ngô', 1.3],
  ['Dương', 1], ['Lý', 0.5], ['Đinh', 0.7], ['Trương', 0.6], ['Lương', 0.4], ['Mai', 0.4],
])

const KINH_MIDDLE_NAMES_MALE = ['Văn', 'Văn', 'Văn', 'Hữu', 'Đức', 'Minh', 'Quang', 'Thanh', 'Xuân', 'Công', 'Ngọc', 'Đình']
const KINH_MIDDLE_NAMES_FEMALE = ['Thị', 'Thị', 'Thị', 'Thị', 'Ngọc', 'Thu', 'Kim', 'Thanh', 'Minh', 'Mỹ']
const KINH_GIVEN_NAMES_MALE = [
  'An', 'Bình', 'Cường', 'Dũng', 'Đạt', 'Định', 'Hải', 'Hiếu', 'Hùng', 'Huy', 'Khánh', 'Khoa', 'Long',
  'Lợi', 'Nam', 'Phong', 'Phúc', 'Quân', 'Quý', 'Sơn', 'Tâm', 'Thành', 'Thắng', 'Thịnh', 'Toàn',
  'Trung', 'Tuấn', 'Tùng', 'Tường', 'Việt', 'Vinh', 'Hưng', 'Lộc', 'Mạnh', 'Nghĩa', 'Tài',
]
const KINH_GIVEN_NAMES_FEMALE = [
  'Anh', 'Chi', 'Dung', 'Hà', 'Hạnh', 'Hằng', 'Hiền', 'Hoa', 'Hồng', 'Hương', 'Lan', 'Liên', 'Linh',
  'Loan', 'Mai', 'Nga', 'Ngân', 'Nhung', 'Oanh', 'Phương', 'Sương', 'Thảo', 'Thủy', 'Thúy', 'Trang',
  'Tuyết', 'Vân', 'Xuân', 'Yến', 'Huệ', 'Lý', 'Nguyệt',
]

/** Jrai clan names (and Bahnar "Đinh"), weighted loosely. */
const JRAI_FAMILY_NAMES = new WeightedTable<string>([
  ['Rơ Mah', 6], ['Ksor', 6], ['Siu', 5], ['Rơ Châm', 3], ['Kpă', 4], ['Nay', 3], ['Rah Lan', 2],
  ['Puih', 2], ['Rơ Lan', 2], ['Hiao', 1], ['Rmah', 1], ['Đinh', 5], ['Kpuih', 1], ['Rcom', 1],
])
const JRAI_GIVEN_NAMES_MALE = [
  'Thơm', 'Lek', 'Hyuh', 'Dun', 'Blang', 'Nhul', 'Jơn', 'Kơn', 'Pơ', 'Rin', 'Phi', 'Ngơn', 'Tơl',
  'Djuin', 'Ble', 'Hlim', 'Kưn', 'Yơn', 'Tuh', 'Bốp', 'Hrưk', 'Chăm', 'Khoan', 'Tuyn',
]
const JRAI_GIVEN_NAMES_FEMALE = [
  'H\'Blưn', 'H\'Nơi', 'H\'Lan', 'H\'Nhi', 'H\'Yen', 'H\'Bloăn', 'H\'Wen', 'H\'Mai', 'H\'Ngân', 'H\'Phơn',
  'Yă', 'Hnul', 'Ơi', 'Nhiơk', 'Hlen', 'Hmet', 'Rơ Oanh',
]
/** Bahnar people registered under the Đinh family commonly carry Văn/Thị like the Kinh. */
const BAHNAR_GIVEN_NAMES = ['Tươi', 'Hlen', 'Blơi', 'Thi', 'Yưh', 'Hmưn', 'Jop', 'Plui', 'Klon', 'Khiêm']

export type Sex = 'male' | 'female'

/** One person's full name; `jraiShare` is the probability that the person is Jrai or Bahnar. */
export function personName(random: Random, jraiShare: number, sex: Sex): string {
  const male = sex === 'male'
  if (random.chance(jraiShare)) {
    const family = JRAI_FAMILY_NAMES.draw(random)
    if (family === 'Đinh') return `Đinh ${male ? 'Văn' : 'Thị'} ${random.pick(BAHNAR_GIVEN_NAMES)}`
    return `${family} ${random.pick(male ? JRAI_GIVEN_NAMES_MALE : JRAI_GIVEN_NAMES_FEMALE)}`
  }
  const family = KINH_FAMILY_NAMES.draw(random)
  const middle = random.pick(male ? KINH_MIDDLE_NAMES_MALE : KINH_MIDDLE_NAMES_FEMALE)
  return `${family} ${middle} ${random.pick(male ? KINH_GIVEN_NAMES_MALE : KINH_GIVEN_NAMES_FEMALE)}`
}

/**
 * The land user as a certificate names it: mostly one person, often a married couple
 * ("Nguyễn Văn A và Trần Thị B", both names on the certificate since the 2013 Land Law), and
 * sometimes a household ("Hộ ông …", as older certificates were issued).
 */
export function landUserName(random: Random, jraiShare: number): string {
  const roll = random.next()
  if (roll < 0.2) return `${personName(random, jraiShare, 'male')} và ${personName(random, jraiShare, 'female')}`
  if (roll < 0.25) return `Hộ ông ${personName(random, jraiShare, 'male')}`
  if (roll < 0.3) return `Hộ bà ${personName(random, jraiShare, 'female')}`
  return personName(random, jraiShare, random.chance(0.55) ? 'male' : 'female')
}

/** Jrai/Bahnar village names ("làng", "plơi"); Kinh hamlets are numbered "Thôn N". */
const VILLAGE_NAMES = [
  'Làng Plei Ốp', 'Làng Plei Bông', 'Làng Ia Lang', 'Làng Kép', 'Làng Ơp', 'Làng Đê Kôn', 'Làng Brêl',
  'Làng Tơ Vơn', 'Làng Chuét', 'Làng Kon Mahar', 'Làng Plei Rơ Ngol', 'Làng Bông Phun', 'Làng Plei Thơ Ga',
  'Làng Ia Pết', 'Làng Dơng', 'Làng Mơ Nang', 'Làng Klăh', 'Làng Sơr', 'Làng Ia Tơi', 'Làng Plei Kte Lớn',
]

/** The commune's villages: numbered thôn for Kinh settlements, named làng for Jrai/Bahnar ones. */
export function communeVillages(random: Random, jraiShare: number): string[] {
  const count = random.int(6, 14)
  const named = random.shuffle([...VILLAGE_NAMES])
  const villages: string[] = []
  let hamlet = 1
  for (let index = 0; index < count; index++) {
    villages.push(random.chance(jraiShare) && named.length > 0 ? named.pop()! : `Thôn ${hamlet++}`)
  }
  return villages
}
