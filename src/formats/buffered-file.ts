/**
 * An append-only output file with one large in-memory write buffer and positioned patches.
 *
 * Shapefile and DBF headers hold totals (file length, bounding box, record count) that are
 * known only after the last record, so writers append records through this buffer (few, large
 * syscalls; memory bounded by the buffer size) and patch the header on close with a
 * positioned write instead of holding the file in memory.
 */
import { open, type FileHandle } from 'node:fs/promises'

const DEFAULT_BUFFER_BYTES = 1 << 20

export class BufferedFile {
  private chunk: Buffer
  private used = 0
  private flushedBytes = 0
  private closed = false

  private constructor(
    private readonly handle: FileHandle,
    bufferBytes: number,
  ) {
    this.chunk = Buffer.allocUnsafe(bufferBytes)
  }

  /** Creates (or truncates) the file at `path`. */
  static async create(path: string, bufferBytes = DEFAULT_BUFFER_BYTES): Promise<BufferedFile> {
    return new BufferedFile(await open(path, 'w'), bufferBytes)
  }

  /** Logical length of the file so far, including bytes still in the buffer. */
  get position(): number {
    return this.flushedBytes + this.used
  }

  /**
   * Returns a view of the next `byteCount` bytes of the file, to be filled completely by the
   * caller before the next call (the memory is not cleared). Writing into the view instead of
   * passing small Buffers avoids one allocation and copy per field.
   */
  async reserve(byteCount: number): Promise<Buffer> {
    if (this.used + byteCount > this.chunk.length) {
      await this.flush()
      // A single record larger than the buffer (a huge polygon) gets a buffer of its own size.
      if (byteCount > this.chunk.length) this.chunk = Buffer.allocUnsafe(byteCount)
    }
    const view = this.chunk.subarray(this.used, this.used + byteCount)
    this.used += byteCount
    return view
  }

  /** Appends `bytes` (copied). */
  async append(bytes: Uint8Array): Promise<void> {
    (await this.reserve(bytes.length)).set(bytes)
  }

  /** Overwrites bytes already written at `position` (e.g. a header); flushes first. */
  async patch(position: number, bytes: Uint8Array): Promise<void> {
    await this.flush()
    await writeFully(this.handle, bytes, position)
  }

  async flush(): Promise<void> {
    if (this.used === 0) return
    await writeFully(this.handle, this.chunk.subarray(0, this.used), this.flushedBytes)
    this.flushedBytes += this.used
    this.used = 0
  }

  async close(): Promise<void> {
    if (this.closed) return
    try {
      await this.flush()
    } finally {
      this.closed = true
      await this.handle.close()
    }
  }

  /** Closes without flushing, for error paths; the partial file is left for the caller. */
  async abort(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.handle.close()
  }
}

/** `FileHandle.write` may write fewer bytes than asked; loop until all are on disk. */
async function writeFully(handle: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  let done = 0
  while (done < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, position + done)
    done += bytesWritten
  }
}
