/**
 * Operations endpoints of the built command, on both stores: `autoir worker --metrics-port` and `autoir serve
 * --metrics-port` answer /metrics (Prometheus text), /health and /ready without a token; the worker's stage
 * histograms count what it did with an alert ingested meanwhile; the server's own port keeps /metrics for tokens.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startServer } from '../helpers/servers.js';
import { backends, createTestStore, type TestStore } from '../helpers/stores.js';
import { until } from '../helpers/until.js';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/autoir.js');
const version = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string })
  .version;

const sample = (text: string, series: string) => {
  const line = text.split('\n').find((item) => item.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe.each(backends)('operations endpoints (%s)', (dialect) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await createTestStore(dialect);
  });
  afterAll(async () => t?.cleanup());

  it('are served by a worker and a server on their metrics ports', async () => {
    const env = { ...process.env, ...t.env, AUTOIR_BUNDLED_RULES: '0' };
    const data = t.dataDir ? ['--data', t.dataDir] : [];
    const workerPort = await freePort();
    const worker = await startServer(
      process.execPath,
      [bin, 'worker', '--poll', '100ms', '--metrics-port', String(workerPort), ...data],
      '127.0.0.1',
      workerPort,
      { env },
    );
    const httpPort = await freePort();
    const metricsPort = await freePort();
    const server = await startServer(
      process.execPath,
      [
        bin,
        'serve',
        '--no-worker',
        '--port',
        String(httpPort),
        '--metrics-port',
        String(metricsPort),
        ...data,
      ],
      '127.0.0.1',
      metricsPort,
      { env },
    );
    try {
      const get = (port: number, url: string) => fetch(`http://127.0.0.1:${port}${url}`);
      expect((await get(workerPort, '/health')).status).toBe(200);
      const ready = await get(workerPort, '/ready');
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ready', store: { dialect } });
      expect((await get(workerPort, '/nothing')).status).toBe(404);

      const ingested = spawnSync(
        process.execPath,
        [bin, 'ingest', path.join(root, 'test/fixtures/alerts/autoir/mkt01-lsass.json'), '--json', ...data],
        { env, encoding: 'utf8' },
      );
      expect(ingested.status, ingested.stderr).toBe(0);
      const scraped = await until('the worker counting its work', async () => {
        const text = await (await get(workerPort, '/metrics')).text();
        return (sample(text, 'autoir_worker_items_total{stage="investigate"}') ?? 0) > 0 ? text : undefined;
      });
      expect(sample(scraped, `autoir_build_info{version="${version}",role="worker"}`)).toBe(1);
      expect(sample(scraped, 'autoir_worker_stage_seconds_count{stage="correlate"}')).toBeGreaterThan(0);
      expect(sample(scraped, 'autoir_queue_items{queue="investigations_queued"}')).toBe(0);
      if (dialect === 'postgres') expect(sample(scraped, 'autoir_db_connections_max')).toBeGreaterThan(0);

      const fromServer = await get(metricsPort, '/metrics');
      expect(fromServer.status).toBe(200);
      const text = await fromServer.text();
      expect(sample(text, `autoir_build_info{version="${version}",role="server"}`)).toBe(1);
      expect(sample(text, 'autoir_incidents_active')).toBe(1);
      // The API's port: /metrics is for tokens there, not the web UI's page.
      expect((await get(httpPort, '/metrics')).status).toBe(401);
    } finally {
      await server.stop();
      await worker.stop();
    }
  }, 60_000);
});
