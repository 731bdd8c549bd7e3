/**
 * `/metrics` on the server, on both backends: Prometheus text for a viewer token (nothing without one), whose
 * queue gauges follow what waits in the store — an alert waits for correlation, then for its investigation — and
 * actions waiting for approval with the age of the oldest.
 */
import { describe, expect, it } from 'vitest';
import { draftAlert } from '../../test/helpers/alerts.js';
import { useApi } from '../../test/helpers/api.js';
import { backends } from '../../test/helpers/stores.js';
import { correlatePending } from '../correlate/correlator.js';
import { createDevice } from '../domain/entity-builders.js';
import type { Entity } from '../domain/entity.js';
import { writeAlerts } from '../ingest/prepare-alert.js';

/** The value of one sample of the exposition text, or undefined. */
const sample = (text: string, series: string) => {
  const line = text.split('\n').find((item) => item.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe.each(backends)('/metrics on %s', (dialect) => {
  const api = useApi(dialect);

  it('answers a viewer token with the queues, states and process metrics, and nobody without one', async () => {
    expect((await api.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    const scrape = async () => {
      const response = await api.call('viewer', 'GET', '/metrics');
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      return response.body;
    };
    const empty = await scrape();
    expect(sample(empty, 'autoir_store_up')).toBe(1);
    expect(sample(empty, 'autoir_build_info{version="test",role="server"}')).toBe(1);
    expect(sample(empty, 'autoir_queue_items{queue="correlation"}')).toBe(0);
    expect(sample(empty, 'autoir_queue_oldest_seconds{queue="correlation"}')).toBe(0);
    expect(empty).toContain('autoir_process_cpu_user_seconds_total');
    expect(empty).toContain('# TYPE autoir_worker_stage_seconds histogram');

    const store = api.t.store;
    await writeAlerts(
      store.alerts,
      [
        {
          draft: draftAlert({
            sourceRef: 'm1',
            category: 'malware',
            entities: [createDevice({ hostname: 'ws1.corp.example' }) as Entity],
          }),
          format: 'autoir',
        },
      ],
      new Date(Date.now() - 5000),
    );
    const waiting = await scrape();
    expect(sample(waiting, 'autoir_queue_items{queue="correlation"}')).toBe(1);
    expect(sample(waiting, 'autoir_queue_oldest_seconds{queue="correlation"}')).toBeGreaterThanOrEqual(4);
    expect(sample(waiting, 'autoir_queue_items{queue="investigation"}')).toBe(0);

    await correlatePending(store);
    const correlated = await scrape();
    expect(sample(correlated, 'autoir_queue_items{queue="correlation"}')).toBe(0);
    expect(sample(correlated, 'autoir_queue_items{queue="investigation"}')).toBe(1);
    expect(sample(correlated, 'autoir_incidents_active')).toBe(1);

    await api.pending('isolateDevice', 'device:ws1.corp.example', 'device:ws1.corp.example');
    const approval = await scrape();
    expect(sample(approval, 'autoir_queue_items{queue="approval"}')).toBe(1);
    expect(sample(approval, 'autoir_actions{status="pendingApproval"}')).toBe(1);
  });
});
