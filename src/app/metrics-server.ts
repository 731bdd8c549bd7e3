/**
 * The operations listener of `--metrics-port` (serve and worker): `GET /metrics` (Prometheus text), `GET /health`
 * (the process is up: 200) and `GET /ready` (its store answers: 200, else 503). No token: bind it to loopback or a
 * monitoring network (`--metrics-host`, default 127.0.0.1); it reveals counts, never data.
 */
import http from 'node:http';
import type { Store } from '../store/ports.js';
import type { Metrics } from './metrics.js';
import { silentLog, type Log } from '../domain/log.js';

export interface MetricsListener {
  /** `host:port` bound. */
  readonly address: string;
  close(): Promise<void>;
}

export async function listenMetrics(
  metrics: Metrics,
  store: Pick<Store, 'ping' | 'dialect'>,
  where: { readonly host: string; readonly port: number },
  /** Scrapes that fail, and the store failing `/ready` (warn). */
  log: Log = silentLog,
): Promise<MetricsListener> {
  const server = http.createServer((request, response) => {
    const send = (status: number, type: string, body: string) => {
      response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      response.end(body);
    };
    const json = (status: number, body: unknown) =>
      send(status, 'application/json; charset=utf-8', `${JSON.stringify(body)}\n`);
    const url = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') return json(405, { error: 'GET only' });
    if (url === '/health') return json(200, { status: 'ok' });
    if (url === '/ready')
      return void store.ping().then(
        () => json(200, { status: 'ready', store: { dialect: store.dialect } }),
        (error: unknown) => {
          log.warn('not ready: the store does not answer', { err: error });
          json(503, {
            status: 'unavailable',
            store: { dialect: store.dialect, error: (error as Error).message },
          });
        },
      );
    if (url === '/metrics')
      return void metrics.text().then(
        (text) => send(200, metrics.contentType, text),
        (error: unknown) => {
          log.warn('metrics not collected', { err: error });
          send(500, 'text/plain; charset=utf-8', `${(error as Error).message}\n`);
        },
      );
    return json(404, { error: 'not found: /metrics, /health and /ready are served here' });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(where.port, where.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address() as { address: string; port: number };
  return {
    address: `${bound.address.includes(':') ? `[${bound.address}]` : bound.address}:${bound.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
