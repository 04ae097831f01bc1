/**
 * The Merkle tree of a signing batch (cây Merkle của lô ký): one signature covers thousands of
 * parcel entries, yet each parcel verifies alone with its inclusion proof.
 *
 * Hashing is RFC 6962 / RFC 9162 §2.1 with SHA-256, over the entries' 32-byte hashes in batch
 * order (parcel id order):
 *   leaf  = SHA-256(0x00 || entryHash)
 *   node  = SHA-256(0x01 || left || right)
 * built level by level, an unpaired last node promoted unchanged to the next level (the same
 * tree as RFC 6962's split at the largest power of two). A proof is {leafIndex, treeSize, path}
 * with the sibling hashes from leaf to root, verified by the RFC 9162 §2.1.3.2 algorithm, so
 * any RFC 6962 implementation (e.g. Certificate Transparency libraries) can check it.
 */
import { createHash } from 'node:crypto'

export const MERKLE_ALGORITHM = 'rfc6962-sha256'

export interface InclusionProof {
  leafIndex: number
  treeSize: number
  /** Hex sibling hashes, leaf level first. */
  path: string[]
}

const LEAF = Buffer.from([0x00])
const NODE = Buffer.from([0x01])

export const leafHash = (entryHash: Buffer): Buffer => createHash('sha256').update(LEAF).update(entryHash).digest()
export const nodeHash = (left: Buffer, right: Buffer): Buffer => createHash('sha256').update(NODE).update(left).update(right).digest()

export interface MerkleTree {
  root: string
  size: number
  proof(index: number): InclusionProof
}

/** Builds the tree over the entries' hashes (hex), keeping every level for the proofs. */
export function buildTree(entryHashes: string[]): MerkleTree {
  if (entryHashes.length === 0) throw new Error('a Merkle tree needs at least one entry')
  const levels: Buffer[][] = [entryHashes.map((h) => leafHash(Buffer.from(h, 'hex')))]
  while (levels[levels.length - 1]!.length > 1) {
    const below = levels[levels.length - 1]!
    const above: Buffer[] = []
    for (let i = 0; i < below.length; i += 2) above.push(i + 1 < below.length ? nodeHash(below[i]!, below[i + 1]!) : below[i]!)
    levels.push(above)
  }
  let hexLevels: string[][] | undefined // written out once, on the first proof asked for
  return {
    root: levels[levels.length - 1]![0]!.toString('hex'),
    size: entryHashes.length,
    proof(index) {
      if (!Number.isInteger(index) || index < 0 || index >= entryHashes.length) throw new RangeError(`no leaf ${index}`)
      hexLevels ??= levels.slice(0, -1).map((level) => level.map((node) => node.toString('hex')))
      const path: string[] = []
      let i = index
      for (const level of hexLevels) {
        const sibling = i ^ 1
        if (sibling < level.length) path.push(level[sibling]!) // else promoted: no sibling at this level
        i >>= 1
      }
      return { leafIndex: index, treeSize: entryHashes.length, path }
    },
  }
}

/** RFC 9162 §2.1.3.2: whether `proof` leads from the entry hash to `root`. */
export function verifyProof(entryHash: string, proof: InclusionProof, root: string): boolean {
  const { leafIndex, treeSize, path } = proof
  if (!Number.isInteger(leafIndex) || !Number.isInteger(treeSize) || leafIndex < 0 || leafIndex >= treeSize || !Array.isArray(path)) return false
  let fn = leafIndex
  let sn = treeSize - 1
  let r = leafHash(Buffer.from(entryHash, 'hex'))
  for (const hex of path) {
    if (typeof hex !== 'string' || !/^[0-9a-f]{64}$/.test(hex)) return false
    const p = Buffer.from(hex, 'hex')
    if (sn === 0) return false
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r)
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2)
          sn = Math.floor(sn / 2)
        }
      }
    } else {
      r = nodeHash(r, p)
    }
    fn = Math.floor(fn / 2)
    sn = Math.floor(sn / 2)
  }
  return sn === 0 && r.toString('hex') === root
}
