/**
 * A parse thread's side of the parse pool (parse-pool.ts): documents streamed to it are parsed with parse-batch.ts
 * and their items sent back. The thread's script (the composition root's) calls `serveParseRequests` with how to
 * make a matcher from the detection settings that cross over.
 */
import { parentPort } from 'node:worker_threads';
import { DocumentParser, packItems, type ParsedItem } from './parse-batch.js';
import type { EventMatcher } from './ports.js';

export type WorkerRequest =
  | {
      readonly id: number;
      readonly doc: number;
      readonly kind: 'open';
      readonly formatId?: string;
      readonly maxRecordBytes?: number;
      readonly name?: string;
      /** Plain detection settings, as the composition root gave them. */
      readonly detection?: unknown;
    }
  | { readonly id: number; readonly doc: number; readonly kind: 'chunk'; readonly bytes: Uint8Array }
  | { readonly id: number; readonly doc: number; readonly kind: 'end' | 'abort' };

export type WorkerResponse =
  { readonly id: number; readonly items: ParsedItem[] } | { readonly id: number; readonly failure: string };

/** Serve the pool's requests in this thread; `matcherFor` makes a matcher from detection settings. */
export function serveParseRequests(matcherFor: (settings: unknown) => EventMatcher): void {
  const documents = new Map<number, DocumentParser>();
  /** Requests are handled one after another: a document's end may wait (an e-mail), and its successors with it. */
  let queue: Promise<void> = Promise.resolve();

  const handle = async (request: WorkerRequest): Promise<void> => {
    try {
      let items: ParsedItem[] = [];
      if (request.kind === 'open') {
        documents.set(
          request.doc,
          new DocumentParser({
            formatId: request.formatId,
            maxRecordBytes: request.maxRecordBytes,
            name: request.name,
            ...(request.detection !== undefined ? { detection: matcherFor(request.detection) } : {}),
          }),
        );
      } else {
        const parser = documents.get(request.doc);
        if (!parser) throw new Error(`no open document ${request.doc}`);
        if (request.kind === 'chunk')
          items = parser.push(
            Buffer.from(request.bytes.buffer, request.bytes.byteOffset, request.bytes.byteLength),
          );
        else {
          if (request.kind === 'end') items = await parser.end();
          documents.delete(request.doc);
        }
      }
      // The raw records travel as one transferred buffer, not as thousands of copied strings.
      const transfer = packItems(items);
      parentPort?.postMessage({ id: request.id, items } satisfies WorkerResponse, transfer);
    } catch (error) {
      parentPort?.postMessage({
        id: request.id,
        failure: (error as Error).stack ?? String(error),
      } satisfies WorkerResponse);
    }
  };

  parentPort?.on('message', (request: WorkerRequest) => {
    queue = queue.then(() => handle(request));
  });
}
