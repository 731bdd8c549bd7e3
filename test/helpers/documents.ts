/** Input documents made in a test, for `ingestDocuments`: each a name and its text or bytes. */
import type { InputDocument } from '../../src/ingest/input.js';

export async function* inputDocuments(
  entries: Iterable<{ readonly name: string; readonly bytes: Buffer | string }>,
): AsyncIterable<InputDocument> {
  for (const entry of entries)
    yield {
      name: entry.name,
      chunks: (async function* () {
        yield typeof entry.bytes === 'string' ? Buffer.from(entry.bytes) : entry.bytes;
      })(),
    };
}
