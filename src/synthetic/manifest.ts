/**
 * manifest.json of a generated province: what was asked (seed, options), what came out
 * (counts), and a SHA-256 per file so two runs can be compared and a copy verified.
 */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'

/** Every file under `directory` except `exclude`, as sorted '/'-separated relative paths. */
export async function listFiles(directory: string, exclude: readonly string[] = []): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true })
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(directory, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .filter((path) => !exclude.includes(path))
    .sort()
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/** Path → SHA-256 for every file listed. */
export async function hashFiles(directory: string, paths: readonly string[]): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {}
  for (const path of paths) hashes[path] = await sha256File(join(directory, path))
  return hashes
}
