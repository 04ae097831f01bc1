/**
 * Streaming ESRI Shapefile writer for polygon layers: .shp, .shx, .dbf, plus .prj and .cpg.
 *
 * Each `write` appends one feature to the three binary files through large buffers; headers
 * (file lengths, bounding box, DBF record count) are patched on `close`. Nothing per feature
 * is kept, so a commune of any size is written in bounded memory.
 */
import { writeFile } from 'node:fs/promises'
import { BufferedFile } from './buffered-file.js'
import { DbfWriter, type DbfSummary } from './dbf-writer.js'
import type { DbfField, DbfValue, EncodeText } from './dbf-fields.js'
import type { Polygon } from './polygon-rings.js'
import {
  MAIN_HEADER_BYTES,
  RECORD_HEADER_BYTES,
  SHAPE_TYPE_POLYGON,
  buildMainHeader,
  emptyBox,
  mergeBox,
  polygonContentBytes,
  preparePolygon,
  writePolygonRecord,
  type BoundingBox,
} from './shp-records.js'

export interface ShapefileWriterOptions {
  fields: readonly DbfField[]
  /** Encoder for DBF text; omit for UTF-8. */
  encodeText?: EncodeText
  /**
   * Content of the `.cpg` file; null writes none. Defaults to `UTF-8` when `encodeText` is
   * omitted and to none otherwise (see `codePageFor` for the usual names).
   */
  codePage?: string | null
  /** Content of the `.prj` file (e.g. `tm3PrjWkt(108.5)`); omitted → no `.prj`. */
  prj?: string
  /** DBF header date; see DbfWriterOptions.date. */
  date?: Date
  /**
   * Turn outer rings clockwise and holes counter-clockwise as ESRI requires (default true).
   * Turn off only when rings are already oriented, to skip the area computation.
   */
  orientRings?: boolean
}

export interface ShapefileSummary extends DbfSummary {
  features: number
  /** [xmin, ymin, xmax, ymax] of all features; null when no feature had a geometry. */
  bbox: BoundingBox | null
  /** Paths written, in the order .shp, .shx, .dbf, then .prj/.cpg when present. */
  files: string[]
}

export class ShapefileWriter {
  private features = 0
  private readonly box = emptyBox()

  private constructor(
    private readonly basePath: string,
    private readonly shp: BufferedFile,
    private readonly shx: BufferedFile,
    private readonly dbf: DbfWriter,
    private readonly options: ShapefileWriterOptions,
  ) {}

  /** Opens `<basePath>.shp/.shx/.dbf`; `basePath` has no extension. */
  static async create(basePath: string, options: ShapefileWriterOptions): Promise<ShapefileWriter> {
    const dbf = await DbfWriter.create(`${basePath}.dbf`, options.fields, {
      encodeText: options.encodeText,
      date: options.date,
    })
    const shp = await BufferedFile.create(`${basePath}.shp`)
    const shx = await BufferedFile.create(`${basePath}.shx`, 1 << 18)
    // Headers are written as placeholders now and patched on close, when totals are known.
    await shp.append(Buffer.alloc(MAIN_HEADER_BYTES))
    await shx.append(Buffer.alloc(MAIN_HEADER_BYTES))
    return new ShapefileWriter(basePath, shp, shx, dbf, options)
  }

  /**
   * Appends one feature: its polygons (each `[outer, ...holes]`, flat rings) and its
   * attribute values in field order. An empty polygon list writes a null shape.
   */
  async write(polygons: readonly Polygon[], values: readonly DbfValue[]): Promise<void> {
    const prepared = polygons.length === 0 ? null : preparePolygon(polygons, this.options.orientRings ?? true)
    const recordBytes = RECORD_HEADER_BYTES + polygonContentBytes(prepared)
    const offsetWords = this.shp.position / 2
    writePolygonRecord(await this.shp.reserve(recordBytes), this.features + 1, prepared)
    const index = await this.shx.reserve(8)
    index.writeInt32BE(offsetWords, 0)
    index.writeInt32BE((recordBytes - RECORD_HEADER_BYTES) / 2, 4)
    await this.dbf.write(values)
    if (prepared !== null) mergeBox(this.box, prepared.box)
    this.features++
  }

  async close(): Promise<ShapefileSummary> {
    const dbfSummary = await this.dbf.close()
    await this.shp.patch(0, buildMainHeader(this.shp.position, SHAPE_TYPE_POLYGON, this.box))
    await this.shx.patch(0, buildMainHeader(this.shx.position, SHAPE_TYPE_POLYGON, this.box))
    await this.shp.close()
    await this.shx.close()
    const files = ['shp', 'shx', 'dbf'].map((extension) => `${this.basePath}.${extension}`)
    if (this.options.prj !== undefined) {
      await writeFile(`${this.basePath}.prj`, this.options.prj)
      files.push(`${this.basePath}.prj`)
    }
    const codePage = this.options.codePage === undefined ? (this.options.encodeText ? null : 'UTF-8') : this.options.codePage
    if (codePage !== null) {
      await writeFile(`${this.basePath}.cpg`, codePage)
      files.push(`${this.basePath}.cpg`)
    }
    const bbox = Number.isFinite(this.box[0]) ? ([...this.box] as BoundingBox) : null
    return { ...dbfSummary, features: this.features, bbox, files }
  }

  /** Closes the files after an error without patching headers. */
  async abort(): Promise<void> {
    await Promise.allSettled([this.dbf.abort(), this.shp.abort(), this.shx.abort()])
  }
}
