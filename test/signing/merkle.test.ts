import { createHash, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { buildTree, leafHash, nodeHash, verifyProof } from '../../src/signing/index.js'

const hashes = (n: number) => Array.from({ length: n }, () => randomBytes(32).toString('hex'))

/** RFC 6962 §2.1 MTH, recursive: split at the largest power of two smaller than n. */
function mth(leaves: string[]): Buffer {
  if (leaves.length === 1) return leafHash(Buffer.from(leaves[0]!, 'hex'))
  let k = 1
  while (k * 2 < leaves.length) k *= 2
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)))
}

describe('Merkle tree (RFC 6962)', () => {
  it('has the RFC 6962 root for every size (the level-by-level build with promotion is the same tree)', () => {
    for (let n = 1; n <= 70; n++) {
      const leaves = hashes(n)
      expect(buildTree(leaves).root, `size ${n}`).toBe(mth(leaves).toString('hex'))
    }
  })

  it('hashes leaves and nodes with the 0x00 / 0x01 prefixes', () => {
    const [a, b] = hashes(2) as [string, string]
    const sha = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest()
    const la = sha(Buffer.from([0]), Buffer.from(a, 'hex'))
    const lb = sha(Buffer.from([0]), Buffer.from(b, 'hex'))
    expect(buildTree([a, b]).root).toBe(sha(Buffer.from([1]), la, lb).toString('hex'))
    expect(buildTree([a]).root).toBe(la.toString('hex'))
  })

  it('gives every leaf a proof that verifies on its own, for many sizes', () => {
    for (const n of [1, 2, 3, 5, 7, 8, 9, 16, 31, 33, 100, 257]) {
      const leaves = hashes(n)
      const tree = buildTree(leaves)
      for (let i = 0; i < n; i++) {
        const proof = JSON.parse(JSON.stringify(tree.proof(i))) // as stored in jsonb
        expect(verifyProof(leaves[i]!, proof, tree.root), `size ${n} leaf ${i}`).toBe(true)
      }
    }
  })

  it('refuses forged proofs: other entry, tampered sibling, other index or size, truncated or extended path', () => {
    const leaves = hashes(37)
    const tree = buildTree(leaves)
    const proof = tree.proof(20)
    expect(verifyProof(leaves[20]!, proof, tree.root)).toBe(true)
    expect(verifyProof(leaves[21]!, proof, tree.root)).toBe(false)
    expect(verifyProof(randomBytes(32).toString('hex'), proof, tree.root)).toBe(false)
    const tampered = { ...proof, path: proof.path.map((h, i) => (i === 2 ? `${h.slice(0, 63)}${h[63] === '0' ? '1' : '0'}` : h)) }
    expect(verifyProof(leaves[20]!, tampered, tree.root)).toBe(false)
    expect(verifyProof(leaves[20]!, { ...proof, leafIndex: 21 }, tree.root)).toBe(false)
    // (The size only shapes the path: 33…64 give leaf 20 the same path, so verifiers also
    // check the size against the signed entry count.)
    expect(verifyProof(leaves[20]!, { ...proof, treeSize: 32 }, tree.root)).toBe(false)
    expect(verifyProof(leaves[20]!, { ...proof, treeSize: 20 }, tree.root)).toBe(false)
    expect(verifyProof(leaves[20]!, { ...proof, path: proof.path.slice(1) }, tree.root)).toBe(false)
    expect(verifyProof(leaves[20]!, { ...proof, path: [...proof.path, proof.path[0]!] }, tree.root)).toBe(false)
    expect(verifyProof(leaves[20]!, { ...proof, leafIndex: 40 }, tree.root)).toBe(false)
    // A proof of another tree's leaf does not carry over, even with the right entry hash.
    expect(verifyProof(leaves[20]!, proof, buildTree(hashes(37)).root)).toBe(false)
  })
})
