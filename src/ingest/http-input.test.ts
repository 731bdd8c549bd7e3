import { describe, expect, it } from 'vitest';
import { HttpIngestCounters } from './http-input.js';
import type { IngestSummary } from './pipeline.js';

const summary = (events: number, alerts: number, errorCount: number): IngestSummary => ({
  alerts,
  created: alerts,
  updated: 0,
  events,
  duplicateEvents: 1,
  detections: 0,
  skipped: 0,
  formats: {},
  stored: true,
  errorCount,
  errors: [],
});

describe('the HTTP ingest counters', () => {
  it('count what was stored, and lag by the oldest request still waiting', () => {
    const counters = new HttpIngestCounters();
    const first = counters.arrived(1_000);
    const second = counters.arrived(3_000);
    expect(counters.stats(6_000)).toMatchObject({ requests: 2, pending: 2, lagSeconds: 5 });
    counters.stored(summary(10, 2, 1));
    first();
    expect(counters.stats(6_000)).toMatchObject({
      pending: 1,
      lagSeconds: 3,
      events: 10,
      alerts: 2,
      errors: 1,
    });
    counters.stored(summary(5, 0, 0));
    second();
    counters.refused++;
    expect(counters.stats(6_000)).toMatchObject({
      requests: 2,
      pending: 0,
      lagSeconds: 0,
      events: 15,
      duplicateEvents: 2,
      refused: 1,
    });
    expect(counters.stats().lastBatchAt).toEqual(expect.any(String));
  });
});
