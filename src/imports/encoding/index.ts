/**
 * Public surface of Vietnamese text encodings (bảng mã tiếng Việt) for legacy DBF/CSV data.
 * Other concerns import only from here.
 */
export type { VietEncoding } from './codec.js'
export { decode, encode, VIET_ENCODINGS } from './codec.js'
export { detectEncoding, type EncodingDetection } from './detect.js'
export { repairResidue, type ResidueRepair } from './residue.js'
export { normalizeCpg } from './cpg.js'
