/**
 * The host agent killed with SIGKILL between doing an action and reporting it: after a restart it reports the
 * result once, from its journal, and does not do the action again. The agent is the real `autoir agent` process;
 * the server is autoir's, on loopback, refusing results for a while so that the kill lands in that window.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, type TestStore } from '../helpers/stores.js';
import { until } from '../helpers/until.js';
import { createServer } from '../../src/api/server.js';
import { requestAction } from '../../src/respond/action-center.js';
import { createEnrollmentToken } from '../../src/respond/agents.js';
import { executePending } from '../../src/respond/executor.js';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/autoir.js');

describe('the host agent killed between doing an action and reporting it', () => {
  let t: TestStore;
  let app: FastifyInstance;
  let work: string;
  let refuseResults = true;
  const agents: ChildProcess[] = [];
  let server: string;
  const logs: string[] = [];

  beforeAll(async () => {
    t = await createTestStore('sqlite');
    app = createServer({ store: t.store, version: 'test' });
    app.addHook('onRequest', async (request, reply) => {
      if (refuseResults && /\/api\/v1\/agent\/tasks\/[^/]+\/result$/.test(request.url))
        await reply
          .code(503)
          .send({ error: { code: 'AUTOIR_E_STORE_UNAVAILABLE', message: 'test: not now' } });
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    server = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    work = mkdtempSync(path.join(os.tmpdir(), 'autoir-agent-crash-'));
  });
  afterAll(async () => {
    for (const agent of agents) agent.kill('SIGKILL');
    await app.close();
    await t.cleanup();
    rmSync(work, { recursive: true, force: true });
  });

  const start = (extra: string[] = []) => {
    const child = spawn(
      process.execPath,
      [bin, 'agent', '--server', server, '--state', path.join(work, 'state'), ...extra],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    child.stderr?.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
    agents.push(child);
    return child;
  };

  it('reports the stored result once after a restart, and does not quarantine twice', async () => {
    const { token } = await createEnrollmentToken(
      t.store.agents,
      { lifetimeMs: 3_600_000 },
      'token:root',
      new Date(),
    );
    const first = start(['--enroll', token]);
    const agent = await until('enrollment', async () => (await t.store.agents.list())[0]);

    const file = path.join(work, 'implant.bin');
    const bytes = Buffer.from('not really malware\n'.repeat(50));
    writeFileSync(file, bytes);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const action = await requestAction(
      t.store,
      {
        type: 'quarantineFile',
        targetKey: `file:sha256:${sha256}`,
        deviceKey: agent.deviceKey,
        parameters: { path: file, sha256 },
      },
      'token:rita',
      new Date(),
    );
    await executePending(t.store, { worker: 'test', now: () => new Date(), connectors: async () => [] });

    // Done (the journal says so, the file is gone), but not reported: the server refuses results.
    const journal = path.join(work, 'state', 'journal', `${action.id}.json`);
    await until('the action done on the host', () =>
      existsSync(journal) && (JSON.parse(readFileSync(journal, 'utf8')) as { state: string }).state === 'done'
        ? true
        : undefined,
    );
    expect(existsSync(file)).toBe(false);
    expect((await t.store.actions.get(action.id))?.status).toBe('running');
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));

    refuseResults = false;
    start();
    const done = await until('the result recorded', async () => {
      const found = await t.store.actions.get(action.id);
      return found?.status === 'succeeded' ? found : undefined;
    });
    expect(done.resultMessage).toMatch(/moved .* into the quarantine/);
    expect(done.resultDetails).toMatchObject({ sha256, path: file });
    // Carried out once: one copy in the quarantine, and the agent never tried again on a file that was gone.
    const held = readdirSync(path.join(work, 'state', 'quarantine')).filter((name) => name.endsWith('.bin'));
    expect(held).toEqual([`${action.id}.bin`]);
    expect(logs.join('')).not.toMatch(/carrying it out again/);
    expect(logs.join('').match(/quarantineFile: succeeded/g)).toHaveLength(1);
  }, 90_000);
});
