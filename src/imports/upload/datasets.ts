/**
 * Finding the map datasets (bộ dữ liệu bản đồ) in an upload folder: shapefile sets (.shp with
 * its .shx, .dbf, .prj, .cpg of the same base name in the same folder) and GeoJSON files, at
 * any depth. Uploaded .zip files are extracted in place first, one level deep: the archive is
 * replaced by a folder of the same name. Files that belong to no dataset are reported as
 * orphans with the reason, for the clerk to fix the delivery.
 */
import { readdir, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { defaultUploadLimits, type UploadLimits } from './limits.js'
import { extractZipCounted } from './zip.js'

export type Dataset =
  | { kind: 'shapefile'; name: string; shp: string; shx?: string; dbf?: string; prj?: string; cpg?: string }
  | { kind: 'geojson'; name: string; path: string }

export interface Orphan {
  /** Path relative to the upload folder, with `/` separators. */
  file: string
  /** For the clerk: Vietnamese first, English in parentheses. */
  reason: string
}

export interface CollectedDatasets {
  /** Sorted by name. Paths are absolute; `name` is the path relative to the upload folder, without extension. */
  datasets: Dataset[]
  orphans: Orphan[]
}

type ShapefilePart = 'shp' | 'shx' | 'dbf' | 'prj' | 'cpg'
const SHAPEFILE_PARTS: readonly ShapefilePart[] = ['shp', 'shx', 'dbf', 'prj', 'cpg']

/** Index and metadata files that GIS software writes beside a shapefile; harmless, not read. */
const SIDECARS = new Set(['sbn', 'sbx', 'qix', 'fbn', 'fbx', 'ain', 'aih', 'atx', 'ixs', 'mxs', 'qmd', 'qpj', 'cst', 'shp.xml'])

/** Operating-system litter that is skipped without a word. */
const IGNORED = new Set(['.ds_store', 'thumbs.db', 'desktop.ini'])

interface ShapefileSet {
  parts: Map<ShapefilePart, UploadedFile[]>
  sidecars: UploadedFile[]
}

interface UploadedFile {
  abs: string
  /** Relative to the upload folder, `/`-separated. */
  rel: string
}

/** Groups the files under `dir` into datasets; extracts .zip files found there first (see module header). */
export async function collectDatasets(dir: string, limits: UploadLimits = defaultUploadLimits): Promise<CollectedDatasets> {
  const root = path.resolve(dir)
  const orphans: Orphan[] = []
  const files: UploadedFile[] = []
  let extractedBytes = 0

  for (const file of await listFiles(root, root)) {
    if (extension(file.rel) !== 'zip') {
      files.push(file)
      continue
    }
    const dest = await freeFolderName(file.abs.slice(0, -'.zip'.length))
    // The total limit covers everything this upload's zips extract to, not each zip alone.
    const budget = { ...limits, maxTotalBytes: limits.maxTotalBytes - extractedBytes }
    const extracted = await extractZipCounted(file.abs, dest, budget)
    extractedBytes += extracted.bytes
    await rm(file.abs)
    for (const inner of await listFiles(root, dest)) {
      if (extension(inner.rel) === 'zip') {
        orphans.push({
          file: inner.rel,
          reason:
            'Tệp .zip nằm trong tệp .zip khác không được giải nén; hãy tải lên trực tiếp ' +
            '(a zip inside a zip is not extracted; upload it directly)',
        })
      } else {
        files.push(inner)
      }
    }
  }

  const grouped = groupFiles(files)
  return {
    datasets: grouped.datasets.sort((a, b) => compareText(a.name, b.name)),
    orphans: [...orphans, ...grouped.orphans].sort((a, b) => compareText(a.file, b.file)),
  }
}

function groupFiles(files: UploadedFile[]): CollectedDatasets {
  const datasets: Dataset[] = []
  const orphans: Orphan[] = []
  // Key: folder + base name, case-folded: the deliveries are made on Windows, where
  // `Thua.SHP` and `thua.dbf` are one set.
  const sets = new Map<string, ShapefileSet>()

  for (const file of files) {
    const ext = extension(file.rel)
    if (ext === 'geojson' || ext === 'json') {
      datasets.push({ kind: 'geojson', name: stripExtension(file.rel, ext), path: file.abs })
      continue
    }
    const isPart = (SHAPEFILE_PARTS as readonly string[]).includes(ext)
    if (!isPart && !SIDECARS.has(ext)) {
      orphans.push({
        file: file.rel,
        reason:
          'Không phải tệp bản đồ được hỗ trợ (.shp, .shx, .dbf, .prj, .cpg, .geojson, .json, .zip) ' +
          '(not a supported map file)',
      })
      continue
    }
    const key = stripExtension(file.rel, ext).normalize('NFC').toLowerCase()
    const set: ShapefileSet = sets.get(key) ?? { parts: new Map(), sidecars: [] }
    sets.set(key, set)
    if (isPart) {
      const part = ext as ShapefilePart
      set.parts.set(part, [...(set.parts.get(part) ?? []), file])
    } else {
      set.sidecars.push(file)
    }
  }

  for (const { parts, sidecars } of sets.values()) {
    const shp = parts.get('shp')?.[0]
    if (shp === undefined) {
      for (const file of [...[...parts.values()].flat(), ...sidecars]) {
        const base = path.posix.basename(stripExtension(file.rel, extension(file.rel)))
        orphans.push({
          file: file.rel,
          reason: `Không có tệp hình ${base}.shp cùng tên trong cùng thư mục (no matching ${base}.shp in the same folder)`,
        })
      }
      continue
    }
    const dataset: Dataset = { kind: 'shapefile', name: stripExtension(shp.rel, 'shp'), shp: shp.abs }
    for (const part of SHAPEFILE_PARTS) {
      const [first, ...extra] = parts.get(part) ?? []
      if (first !== undefined && part !== 'shp') dataset[part] = first.abs
      for (const file of extra) {
        orphans.push({
          file: file.rel,
          reason:
            `Trùng với ${path.posix.basename((first as UploadedFile).rel)} (chỉ khác chữ hoa/thường); tệp này không được dùng ` +
            `(duplicates ${path.posix.basename((first as UploadedFile).rel)} up to letter case; not used)`,
        })
      }
    }
    datasets.push(dataset)
  }
  return { datasets, orphans }
}

/** Regular files under `dir`, at any depth; symlinks and OS litter are left out. */
async function listFiles(root: string, dir: string): Promise<UploadedFile[]> {
  const found: UploadedFile[] = []
  // Sorted, so zips are extracted (and a budget runs out) in the same order on every machine.
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => compareText(a.name, b.name))
  for (const entry of entries) {
    const abs = path.join(dir, entry.name)
    if (entry.isDirectory()) {
      if (entry.name !== '__MACOSX') found.push(...(await listFiles(root, abs)))
    } else if (entry.isFile() && !IGNORED.has(entry.name.toLowerCase())) {
      found.push({ abs, rel: path.relative(root, abs).split(path.sep).join('/') })
    }
  }
  return found
}

/** `base`, or `base (2)`, `base (3)`, … whichever does not exist yet. */
async function freeFolderName(base: string): Promise<string> {
  for (let n = 1; ; n += 1) {
    const candidate = n === 1 ? base : `${base} (${n})`
    const exists = await stat(candidate).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return false
        throw error
      },
    )
    if (!exists) return candidate
  }
}

/** Lower-case extension without the dot; `shp.xml` for ArcGIS metadata. */
function extension(file: string): string {
  const lower = file.toLowerCase()
  if (lower.endsWith('.shp.xml')) return 'shp.xml'
  return path.posix.extname(lower).slice(1)
}

function stripExtension(file: string, ext: string): string {
  return ext === '' ? file : file.slice(0, -(ext.length + 1))
}

function compareText(a: string, b: string): number {
  return a.localeCompare(b, 'vi')
}
