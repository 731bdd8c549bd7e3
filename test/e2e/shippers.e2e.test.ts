/**
 * What shippers send, sent by their own clients: the official Elasticsearch JavaScript client's bulk helper to
 * `/es/_bulk`, and Splunk's official JavaScript HEC logger (splunk-logging) to `/services/collector`, each with an
 * ingest token, carrying OTRF's LSASS_campaign_01 events; what is stored equals `autoir ingest` of the same events.
 * And a burst larger than the server takes at once is answered 429 with Retry-After; a client that waits and
 * sends again ends with everything stored once.
 *
 * The events are the campaign's distinct lines: a record repeated inside one document is kept as a second
 * occurrence by a file ingest but de-duplicated across requests (a shipper's resend), by design (docs/inputs.md).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@elastic/elasticsearch';
import type { FastifyInstance } from 'fastify';
import splunkLogging from 'splunk-logging';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../../src/api/server.js';
import { hashToken } from '../../src/app/tokens.js';
import { openDocuments, planInput } from '../../src/ingest/input.js';
import { ingestDocuments } from '../../src/ingest/pipeline.js';
import { inputDocuments } from '../helpers/documents.js';
import { lsassCampaign01 } from '../helpers/shared-data.js';
import { backends, createTestStore, type TestStore } from '../helpers/stores.js';
import { until } from '../helpers/until.js';

const zip = `${lsassCampaign01}/metasploit_logonpasswords_lsass_memory_dump.zip`;

async function distinctLines(limit: number): Promise<string[]> {
  const chunks: Buffer[] = [];
  for await (const document of openDocuments(await planInput(zip)))
    if ('chunks' in document) for await (const chunk of document.chunks) chunks.push(chunk);
  const lines = Buffer.concat(chunks)
    .toString('utf8')
    .split('\n')
    .map((line) => line.trim());
  return [...new Set(lines.filter((line) => line !== ''))].slice(0, limit);
}

describe.each(backends)('shippers sending to autoir, on %s', (backend) => {
  let t: TestStore;
  let reference: TestStore;
  let app: FastifyInstance;
  let url: string;
  let lines: string[];
  let all: string[];
  const token = `autoir_ingest_${randomBytes(8).toString('hex')}`;

  beforeAll(async () => {
    all = await distinctLines(5000);
    lines = all.slice(0, 3000);
    t = await createTestStore(backend);
    reference = await createTestStore(backend);
    await ingestDocuments(inputDocuments([{ name: 'lsass.json', bytes: `${lines.join('\n')}\n` }]), {
      store: reference.store,
    });
    await t.store.tokens.createToken(
      { name: 'shipper', role: 'ingest', tokenHash: hashToken(token) },
      new Date(),
    );
    app = createServer({ store: t.store, version: 'test', webRoot: null });
    await app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await t?.cleanup();
    await reference?.cleanup();
  });

  const counts = async (store: TestStore['store']) => ({
    events: await store.events.countEvents(),
    processes: await store.events.countEvents({ kinds: ['processStart'] }),
    logons: await store.events.countEvents({ kinds: ['logon'] }),
  });

  it('takes the Elasticsearch client: the version handshake, then the bulk helper, item by item', async () => {
    const client = new Client({ node: `${url}/es`, auth: { apiKey: token } });
    const info = await client.info();
    expect(info.version.number).toMatch(/^8\./);
    const half = lines.slice(0, 1500).map((line) => JSON.parse(line) as Record<string, unknown>);
    const stats = await client.helpers.bulk({
      datasource: half,
      onDocument: () => ({ create: { _index: 'winlogbeat' } }),
      flushBytes: 200_000,
      concurrency: 4,
      retries: 20,
      wait: 200,
    });
    expect(stats).toMatchObject({ total: 1500, successful: 1500, failed: 0 });
    await client.close();
    // The other half through the HEC logger, then the store equals the file ingest.
    const logger = new splunkLogging.Logger({ token, url, maxBatchCount: 100 });
    logger.eventFormatter = (message: unknown) => message;
    const errors: Error[] = [];
    logger.error = (error: Error) => errors.push(error);
    for (const line of lines.slice(1500))
      logger.send({ message: JSON.parse(line) as Record<string, unknown> });
    await new Promise<void>((resolve) => logger.flush(() => resolve()));
    // The logger answers for its last batch; the others were sent before it and are stored by now or soon.
    const expected = await counts(reference.store);
    await until('the HEC batches to be stored', async () =>
      (await counts(t.store)).events === expected.events ? true : undefined,
    );
    expect(errors).toEqual([]);
    expect(await counts(t.store)).toEqual(expected);
  }, 120_000);

  it('answers a burst with 429 and Retry-After; a client that waits and sends again has everything stored once', async () => {
    const burst = all.slice(3000, 5000);
    const before = await t.store.events.countEvents();
    // A server that lets two requests wait; a client in another process sends twenty at once and, when turned
    // away, waits as Retry-After says and sends again.
    const small = createServer({ store: t.store, version: 'test', webRoot: null, ingestQueue: 2 });
    await small.listen({ host: '127.0.0.1', port: 0 });
    const smallUrl = `http://127.0.0.1:${(small.server.address() as { port: number }).port}`;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'autoir-burst-'));
    const parts = Array.from({ length: 20 }, (_, index) => burst.slice(index * 100, index * 100 + 100));
    writeFileSync(path.join(dir, 'parts.json'), JSON.stringify(parts.map((part) => `${part.join('\n')}\n`)));
    const client = `
      const parts = JSON.parse(require('node:fs').readFileSync(process.argv[1], 'utf8'));
      let refused = 0; const statuses = new Set();
      const send = async (body) => {
        for (;;) {
          const response = await fetch(process.argv[2], { method: 'POST', body,
            headers: { authorization: 'Bearer ' + process.argv[3], 'content-type': 'application/x-ndjson' } });
          await response.arrayBuffer();
          statuses.add(response.status);
          if (response.status === 200) return;
          if (response.status !== 429 || !(Number(response.headers.get('retry-after')) > 0)) throw new Error('answered ' + response.status);
          refused++;
          await new Promise((resolve) => setTimeout(resolve, 100 * Number(response.headers.get('retry-after'))));
        }
      };
      Promise.all(parts.map(send)).then(() => console.log(JSON.stringify({ refused, statuses: [...statuses] })),
        (error) => { console.error(error.message); process.exit(1); });`;
    try {
      const output = await new Promise<string>((resolve, reject) => {
        const child = spawn(
          process.execPath,
          ['-e', client, path.join(dir, 'parts.json'), `${smallUrl}/api/v1/events`, token],
          { stdio: ['ignore', 'pipe', 'pipe'] },
        );
        let out = '';
        let err = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
        child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`client failed: ${err}`))));
      });
      const result = JSON.parse(output) as { refused: number; statuses: number[] };
      expect(result.refused).toBeGreaterThan(0);
      expect(result.statuses.sort()).toEqual([200, 429]);
    } finally {
      await small.close();
      rmSync(dir, { recursive: true, force: true });
    }
    // Every event of the burst stored, once.
    expect(await t.store.events.countEvents()).toBe(before + burst.length);
  }, 120_000);

  it('turns away a token without the ingest role, and lets an ingest token do nothing else', async () => {
    const read = await fetch(`${url}/api/v1/alerts`, { headers: { authorization: `Bearer ${token}` } });
    expect(read.status).toBe(403);
    const wrong = await fetch(`${url}/services/collector/event`, {
      method: 'POST',
      headers: { authorization: 'Splunk autoir_not_a_token' },
      body: '{"event":{"a":1}}',
    });
    expect(wrong.status).toBe(401);
    // A shipper that knows only a user and a password sends the token as the password.
    const basic = await fetch(`${url}/api/v1/events`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`shipper:${token}`).toString('base64')}` },
      body: lines[0],
    });
    expect(basic.status).toBe(200);
    expect(((await basic.json()) as { duplicateEvents: number }).duplicateEvents).toBe(1);
  });
});
