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
    // The LSASS campaign's eight minutes: minutes, not one hourly bar.
    expect(bucketFor(8 * 60_000)).toBe(60_000);
    expect(bucketFor(6 * HOUR)).toBe(10 * 60_000);
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

  it('counts alerts per bucket (minutes to weeks by the range) and severity, every bucket drawn, and investigations by outcome', async () => {
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
    // 145 minutes of alerts: ten-minute buckets, every one of the range drawn, empty ones too.
    expect(charts).toMatchObject({ since: new Date(T0 + 5 * 60_000).toISOString(), bucketMs: 10 * 60_000 });
    expect(charts.alerts).toHaveLength(16);
    expect(charts.alerts.filter((bucket) => Object.keys(bucket.bySeverity).length > 0)).toEqual([
      { at: new Date(T0).toISOString(), bySeverity: { high: 1 } },
      { at: new Date(T0 + 10 * 60_000).toISOString(), bySeverity: { low: 1 } },
      { at: new Date(T0 + 20 * 60_000).toISOString(), bySeverity: { high: 1 } },
      { at: new Date(T0 + 150 * 60_000).toISOString(), bySeverity: { low: 1 } },
    ]);
    // Two hours asked: minutes.
    const window = await t.store.charts({ since: T0 + HOUR, until: T0 + 3 * HOUR });
    expect(window.bucketMs).toBe(60_000);
    expect(window.alerts).toHaveLength(120);
    expect(window.alerts.filter((bucket) => Object.keys(bucket.bySeverity).length > 0)).toEqual([
      { at: new Date(T0 + 150 * 60_000).toISOString(), bySeverity: { low: 1 } },
    ]);
    const day = await t.store.charts({ since: T0, until: T0 + 24 * HOUR });
    expect(day.bucketMs).toBe(HOUR);
    expect(day.alerts.slice(0, 3).map((bucket) => bucket.bySeverity)).toEqual([
      { high: 2, low: 1 },
      {},
      { low: 1 },
    ]);
    expect(window).toMatchObject({
      investigations: {},
      timeToVerdictMs: { count: 0, median: null },
      actionsByDecision: {},
    });
  });
});
