/**
 * Land-use right certificate numbers (Giấy chứng nhận, GCN) for one commune: the printed
 * serial (số phát hành, two letters and six digits such as "CS 123456") and the entry in
 * the certificate issuance book (số vào sổ cấp GCN, "CH00123"). Both are unique within the
 * commune, as they are in a real register.
 */
import type { Random } from './random.js'

/** Serial series printed on certificate blanks over the years (ASCII letters only). */
const SERIES = ['AO', 'AP', 'BA', 'BB', 'BC', 'BD', 'BE', 'BG', 'BH', 'BK', 'BL', 'BM', 'BN', 'BO', 'BP', 'BS', 'BT',
  'BV', 'BX', 'BY', 'CA', 'CB', 'CC', 'CD', 'CE', 'CG', 'CH', 'CI', 'CK', 'CL', 'CM', 'CN', 'CO', 'CP', 'CQ', 'CR',
  'CS', 'CT', 'CU', 'CV', 'CX', 'CY', 'DA', 'DB', 'DC', 'DD', 'DE', 'DG', 'DH', 'DK', 'DL', 'DM']

export class CertificateBook {
  private readonly serials = new Set<string>()
  private entries = 0
  private oldEntries = 0

  constructor(private readonly random: Random) {}

  serial(): string {
    for (;;) {
      const serial = `${this.random.pick(SERIES)} ${String(this.random.int(0, 999_999)).padStart(6, '0')}`
      if (!this.serials.has(serial)) {
        this.serials.add(serial)
        return serial
      }
    }
  }

  /** "CH" books since 2009; older certificates were entered in "H" books. */
  bookEntry(): string {
    if (this.random.chance(0.2)) return `H${String(++this.oldEntries).padStart(5, '0')}`
    return `CH${String(++this.entries).padStart(5, '0')}`
  }
}
