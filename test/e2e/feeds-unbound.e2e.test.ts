/**
 * The RPZ feed loaded by a real resolver: Debian's Unbound fetches `/feeds/rpz.zone` from autoir over HTTP with a
 * feed token, beside a second Unbound that is authoritative for the test's domain. An analyst's `blockUrl` on the
 * domain (no connector configured) succeeds once the feed serves it, and the resolver answers NXDOMAIN for it and its
 * subdomains while a benign name still resolves; the undo takes it out of the feed and the name resolves again.
 *
 * Needs `unbound` and `unbound-control` (`apt-get install -y unbound`; scripts/test.sh installs it).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { Resolver } from 'node:dns/promises';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../../src/api/server.js';
import { requestAction, undoActions } from '../../src/respond/action-center.js';
import { executePending } from '../../src/respond/executor.js';
import { createFeedToken } from '../../src/respond/feeds.js';
import { createTestStore, type TestStore } from '../helpers/stores.js';
import { until } from '../helpers/until.js';
import { freePort } from '../helpers/servers.js';

const missing = ['unbound', 'unbound-control'].find(
  (tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0,
);

const common = (dir: string, port: number, pid: string) => `server:
  interface: 127.0.0.1
  port: ${port}
  do-daemonize: no
  username: ""
  chroot: ""
  directory: "${dir}"
  pidfile: "${path.join(dir, pid)}"
  use-syslog: no
  logfile: ""
  access-control: 127.0.0.0/8 allow
  do-not-query-localhost: no
`;

describe('the RPZ feed in a real Unbound resolver', () => {
  let t: TestStore;
  let app: FastifyInstance;
  let dir: string;
  let control: string;
  const children: ChildProcess[] = [];
  const resolver = new Resolver({ timeout: 1000, tries: 1 });

  beforeAll(async () => {
    if (missing)
      throw new Error(`${missing} is missing: apt-get install -y unbound (scripts/test.sh installs it)`);
    t = await createTestStore('sqlite');
    app = createServer({ store: t.store, version: 'test' });
    await app.listen({ host: '127.0.0.1', port: 0 });
    dir = mkdtempSync(path.join(os.tmpdir(), 'autoir-unbound-'));
    const { token } = await createFeedToken(t.store.feedTokens, 'unbound', 'token:root', new Date());
    const [resolverPort, authPort] = [await freePort(), await freePort()];
    const feed = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/feeds/rpz.zone?token=${token}`;
    writeFileSync(
      path.join(dir, 'auth.conf'),
      `${common(dir, authPort, 'auth.pid')}  local-zone: "example.net." static
  local-data: "example.net. 60 IN SOA ns.example.net. hostmaster.example.net. 1 60 60 86400 60"
  local-data: "example.net. 60 IN NS ns.example.net."
  local-data: "ns.example.net. 60 IN A 127.0.0.1"
  local-data: "login-verify.example.net. 60 IN A 192.0.2.10"
  local-data: "www.login-verify.example.net. 60 IN A 192.0.2.10"
  local-data: "benign.example.net. 60 IN A 192.0.2.11"
`,
    );
    control = path.join(dir, 'resolver.conf');
    writeFileSync(
      control,
      `${common(dir, resolverPort, 'resolver.pid')}  module-config: "respip iterator"
  cache-max-ttl: 0
  cache-max-negative-ttl: 0
stub-zone:
  name: "example.net."
  stub-addr: 127.0.0.1@${authPort}
remote-control:
  control-enable: yes
  control-interface: "${path.join(dir, 'unbound.ctl')}"
rpz:
  name: rpz.autoir
  url: "${feed}"
  zonefile: "${path.join(dir, 'rpz.autoir')}"
  rpz-log: yes
`,
    );
    for (const config of ['auth.conf', 'resolver.conf']) {
      const child = spawn('unbound', ['-d', '-c', path.join(dir, config)], { stdio: 'ignore' });
      children.push(child);
    }
    resolver.setServers([`127.0.0.1:${resolverPort}`]);
    await until('the resolver to answer', () =>
      resolver.resolve4('benign.example.net').catch(() => undefined),
    );
  }, 60_000);

  afterAll(async () => {
    for (const child of children) child.kill('SIGTERM');
    await app?.close();
    await t?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const answer = (name: string) =>
    resolver.resolve4(name).then(
      (addresses) => addresses.join(','),
      (error: NodeJS.ErrnoException) => error.code ?? 'error',
    );
  /** Ask Unbound to fetch the zone now instead of at its next refresh (a minute). */
  const refresh = () =>
    spawnSync('unbound-control', ['-c', control, 'auth_zone_transfer', 'rpz.autoir'], { encoding: 'utf8' });
  const execute = () =>
    executePending(t.store, { worker: 'test', now: () => new Date(), connectors: async () => [] });

  it('refuses a blocked domain and its subdomains while it is in the feed, and resolves it again after the undo', async () => {
    expect(await answer('login-verify.example.net')).toBe('192.0.2.10');
    const block = await requestAction(
      t.store,
      { type: 'blockUrl', targetKey: 'domain:login-verify.example.net' },
      'token:rita',
      new Date(),
    );
    await execute();
    expect((await t.store.actions.get(block.id))?.status).toBe('succeeded');
    await until('the resolver to refuse the blocked domain', async () => {
      refresh();
      return (await answer('login-verify.example.net')) === 'ENOTFOUND' ? true : undefined;
    });
    expect(await answer('www.login-verify.example.net')).toBe('ENOTFOUND');
    expect(await answer('benign.example.net')).toBe('192.0.2.11');

    const [undo] = await undoActions(t.store, [block.id], 'token:rita', 'false positive', new Date());
    await execute();
    expect((await t.store.actions.get(undo!.id))?.status).toBe('succeeded');
    await until('the resolver to answer for it again', async () => {
      refresh();
      return (await answer('login-verify.example.net')) === '192.0.2.10' ? true : undefined;
    });
  }, 90_000);
});
