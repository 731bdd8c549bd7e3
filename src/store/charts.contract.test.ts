/**
 * The dashboard's charts as the store computes them, on SQLite and PostgreSQL: alerts bucketed by time and
 * severity over the range asked (or the alerts' own), investigations by outcome, time to verdict, actions by
 * decision.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { draftAlert } from '../../test/helpers/alerts.js';
import { backends, createTestStore, type TestStore } from '../../test/helpers/stores.js';
import { writeAlerts } from '../ingest/prepare-alert.js';
import { bucketFor, percentiles } from './charts.js';

const T0 = Date.parse('2026-03-02T00:00:00.000Z');
const HOUR = 3_600_000;

describe('chart buckets and percentiles', () => {
  it('buckets by hour up to two days, by day up to 90, by week beyond; percentiles by rank', () => {
    expect(bucketFor(2 * 24 * HOUR)).toBe(HOUR);
    expect(bucketFor(30 * 24 * HOUR)).toBe(24 * HOUR);
    expect(bucketFor(365 * 24 * HOUR)).toBe(7 * 24 * HOUR);
    expect(percentiles([])).toEqual({ count: 0, median: null, p90: null });
    expect(percentiles([5, 1, 4, 2, 3, 10, 6, 7, 8, 9])).toEqual({ count: 10, median: 6, p90: 10 });
  });
});

describe.each(backends)('dashboard charts on %s', (dialect) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await createTestStore(dialect);
  });
  afterEach(async () => t.cleanup());

  it('counts alerts per hour and severity, every hour of the range drawn, and investigations by outcome', async () => {
    const alert = (ref: string, minutes: number, severity: 'high' | 'low') => ({
      draft: draftAlert({
        sourceRef: ref,
        severity,
        createdAt: new Date(T0 + minutes * 60_000).toISOString(),
      }),
      format: 'autoir',
    });
    await writeAlerts(
      t.store.alerts,
      [alert('a', 5, 'high'), alert('b', 10, 'low'), alert('c', 20, 'high'), alert('d', 150, 'low')],
      new Date(),
    );
    const charts = await t.store.charts({});
    expect(charts).toMatchObject({ since: new Date(T0 + 5 * 60_000).toISOString(), bucketMs: HOUR });
    expect(charts.alerts).toEqual([
      { at: new Date(T0).toISOString(), bySeverity: { high: 2, low: 1 } },
      { at: new Date(T0 + HOUR).toISOString(), bySeverity: {} },
      { at: new Date(T0 + 2 * HOUR).toISOString(), bySeverity: { low: 1 } },
    ]);
    const window = await t.store.charts({ since: T0 + HOUR, until: T0 + 3 * HOUR });
    expect(window.alerts.map((bucket) => bucket.bySeverity)).toEqual([{}, { low: 1 }]);
    expect(window).toMatchObject({
      investigations: {},
      timeToVerdictMs: { count: 0, median: null },
      actionsByDecision: {},
    });
  });
});
