/** Writing to a stream with its backpressure respected, and ending it. */
import { once } from 'node:events'
import type { Writable } from 'node:stream'

/** Writes a chunk; waits for 'drain' when the stream's buffer is full. */
export async function put(out: Writable, chunk: string | Buffer): Promise<void> {
  if (!out.write(chunk)) await Promise.race([once(out, 'drain'), once(out, 'close')])
  if (out.destroyed) throw new Error('the output was closed before the export ended')
}

/** Ends the stream and waits until everything is flushed. */
export async function finish(out: Writable): Promise<void> {
  out.end()
  if (!out.writableFinished) await once(out, 'finish')
}
