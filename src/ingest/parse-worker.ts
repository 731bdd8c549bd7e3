/** Worker thread entry: parses batches of records (parse-batch.ts) for the ingest pipeline. */
import { parentPort } from 'node:worker_threads';
import { parseRecords, type RecordText } from './parse-batch.js';

interface Request {
  readonly id: number;
  readonly format?: string;
  readonly records: readonly RecordText[];
}

parentPort?.on('message', (request: Request) => {
  try {
    parentPort?.postMessage({ id: request.id, items: parseRecords(request.records, request.format) });
  } catch (error) {
    parentPort?.postMessage({ id: request.id, failure: (error as Error).stack ?? String(error) });
  }
});
