import { describe, expect, it } from 'vitest';
import { CORRELATION_BATCH, correlationBatch } from './correlator.js';

describe('the correlation step size', () => {
  it('is the full step under Node’s default heaps, and smaller where the heap is capped', () => {
    expect(correlationBatch(4288 * 2 ** 20)).toBe(CORRELATION_BATCH);
    expect(correlationBatch(2 * 2 ** 30)).toBe(CORRELATION_BATCH);
    // node --max-old-space-size=64 reports a 256 MB heap limit (young generation included).
    expect(correlationBatch(256 * 2 ** 20)).toBe(2_048);
    expect(correlationBatch(16 * 2 ** 20)).toBe(1_000);
  });
});
