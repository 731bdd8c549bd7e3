/**
 * The host agent isolating a real host. Three Linux network namespaces make three hosts on this machine: the
 * autoir server (HTTPS with a throwaway certificate the agent pins), the agent's host, and an "outside" web
 * server. The agent's host reaches both over veth links. An analyst's `isolateDevice` (no connector configured)
 * is carried out by the agent with nftables: the outside becomes unreachable while the server stays reachable
 * and the agent stays online; a restart of the agent keeps the host isolated; the undo (`releaseDevice`) removes
 * exactly autoir's table and the outside is reachable again.
 *
 * Needs root, iproute2 and nftables (`.ci/run` and scripts/test.sh install them).
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { throwawayCertificate } from '../../bench/certificate.js';
import { until } from '../helpers/until.js';
import { plantMiner } from '../helpers/agent.js';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/autoir.js');
const suffix = randomBytes(3).toString('hex');
const ns = { server: `ar-srv-${suffix}`, host: `ar-host-${suffix}`, outside: `ar-out-${suffix}` };
const SERVER_IP = '10.77.0.1';
const OUTSIDE_IP = '10.78.0.1';
const PORT = 8781;
const cron = `/etc/cron.d/autoir-e2e-${suffix}`;

function missing(): string | undefined {
  if (process.getuid?.() !== 0) return 'run as root (network namespaces and nftables need it)';
  for (const tool of ['ip', 'nft', 'openssl'])
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0)
      return `${tool} is missing: apt-get install -y iproute2 nftables openssl (scripts/test.sh installs them)`;
  return undefined;
}

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });
const inNs = (name: string, command: string, args: string[]) => ['netns', 'exec', name, command, ...args];

let work: string;
let data: string;
const children: ChildProcess[] = [];

function autoir(args: string[]) {
  const run = spawnSync(process.execPath, [bin, '--data', data, ...args], {
    encoding: 'utf8',
    env: { ...process.env, AUTOIR_DATABASE_URL: '', AUTOIR_DATA: '' },
  });
  expect(run.status, `autoir ${args.join(' ')}: ${run.stderr}`).toBe(0);
  return run.stdout;
}

function background(name: string, command: string, args: string[], env: Record<string, string> = {}) {
  const child = spawn('ip', inNs(name, command, args), {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, AUTOIR_DATABASE_URL: '', AUTOIR_DATA: '', ...env },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  children.push(child);
  return { child, stderr: () => stderr };
}

/** Whether `url` answers from the agent's host within 2 s. */
function reachable(url: string): boolean {
  const probe = spawnSync(
    'ip',
    inNs(ns.host, process.execPath, [
      '-e',
      `fetch(${JSON.stringify(url)}, { signal: AbortSignal.timeout(2000) }).then(() => process.exit(0), () => process.exit(1))`,
    ]),
    { env: { ...process.env, NODE_TLS_REJECT_UNAUTHORIZED: '0' } },
  );
  return probe.status === 0;
}

const unavailable = missing();

describe('the host agent isolating a host in its own network namespace', () => {
  let agent: { child: ChildProcess; stderr: () => string };
  let state: string;
  let ca: string;

  const startAgent = (enroll?: string) =>
    background(ns.host, process.execPath, [
      bin,
      'agent',
      '--server',
      `https://${SERVER_IP}:${PORT}`,
      '--state',
      state,
      '--ca',
      ca,
      ...(enroll ? ['--enroll', enroll] : []),
    ]);

  beforeAll(async () => {
    if (unavailable) throw new Error(unavailable);
    work = mkdtempSync(path.join(os.tmpdir(), 'autoir-netns-'));
    data = path.join(work, 'data');
    state = path.join(work, 'agent-state');
    const { cert, key } = throwawayCertificate(work, SERVER_IP);
    ca = cert;
    for (const name of Object.values(ns)) {
      ip('netns', 'add', name);
      ip(...inNs(name, 'ip', ['link', 'set', 'lo', 'up']));
    }
    // host ↔ server, host ↔ outside: two links, no routing needed.
    for (const [here, there, peer] of [
      [`arh-s-${suffix}`, `ars-h-${suffix}`, ns.server],
      [`arh-o-${suffix}`, `aro-h-${suffix}`, ns.outside],
    ] as const)
      ip('link', 'add', here, 'netns', ns.host, 'type', 'veth', 'peer', 'name', there, 'netns', peer);
    ip(...inNs(ns.server, 'ip', ['addr', 'add', `${SERVER_IP}/24`, 'dev', `ars-h-${suffix}`]));
    ip(...inNs(ns.host, 'ip', ['addr', 'add', '10.77.0.2/24', 'dev', `arh-s-${suffix}`]));
    ip(...inNs(ns.outside, 'ip', ['addr', 'add', `${OUTSIDE_IP}/24`, 'dev', `aro-h-${suffix}`]));
    ip(...inNs(ns.host, 'ip', ['addr', 'add', '10.78.0.2/24', 'dev', `arh-o-${suffix}`]));
    for (const [name, device] of [
      [ns.server, `ars-h-${suffix}`],
      [ns.host, `arh-s-${suffix}`],
      [ns.host, `arh-o-${suffix}`],
      [ns.outside, `aro-h-${suffix}`],
    ] as const)
      ip(...inNs(name, 'ip', ['link', 'set', device, 'up']));

    autoir(['agents', 'list']); // creates the store
    background(ns.server, process.execPath, [
      bin,
      '--data',
      data,
      'serve',
      '--host',
      SERVER_IP,
      '--port',
      String(PORT),
      '--tls-cert',
      ca,
      '--tls-key',
      key,
    ]);
    background(ns.outside, process.execPath, [
      '-e',
      `require('node:http').createServer((q, s) => s.end('outside')).listen(8080, ${JSON.stringify(OUTSIDE_IP)})`,
    ]);
    await until('the server and the outside to answer', () =>
      reachable(`https://${SERVER_IP}:${PORT}/api/v1/health`) && reachable(`http://${OUTSIDE_IP}:8080/`)
        ? true
        : undefined,
    );
    const { token } = JSON.parse(autoir(['agents', 'enroll-token', 'create', '--json'])) as { token: string };
    agent = startAgent(token);
  }, 120_000);

  afterAll(() => {
    for (const child of children) child.kill('SIGKILL');
    for (const name of Object.values(ns ?? {})) spawnSync('ip', ['netns', 'del', name]);
    if (work) rmSync(work, { recursive: true, force: true });
    rmSync(cron, { force: true });
  });

  const agents = () =>
    JSON.parse(autoir(['agents', 'list', '--json'])) as {
      deviceKey: string;
      online: boolean;
      lastSeenAt: string;
    }[];
  const actionStatus = (id: string) =>
    (JSON.parse(autoir(['actions', 'show', id, '--json'])) as { status: string }).status;
  const table = () =>
    spawnSync('ip', inNs(ns.host, 'nft', ['list', 'table', 'inet', 'autoir_isolation'])).status === 0;

  it('isolates the host on an analyst’s request: the outside is cut off, the server is not, the agent stays online', async () => {
    const [enrolled] = await until('the agent enrolled and online', () => {
      const list = agents();
      return list.length === 1 && list[0]?.online ? list : undefined;
    });
    expect(enrolled?.deviceKey, agent.stderr()).toMatch(/^device:/);
    expect(reachable(`http://${OUTSIDE_IP}:8080/`)).toBe(true);

    const isolate = JSON.parse(
      autoir(['actions', 'create', '--type', 'isolateDevice', '--target', enrolled!.deviceKey, '--json']),
    ) as { id: string };
    await until('the isolation to succeed', () =>
      actionStatus(isolate.id) === 'succeeded' ? true : undefined,
    );
    expect(table()).toBe(true);
    expect(reachable(`http://${OUTSIDE_IP}:8080/`)).toBe(false);
    expect(reachable(`https://${SERVER_IP}:${PORT}/api/v1/health`)).toBe(true);
    const seen = agents()[0]!.lastSeenAt;
    await until('a heartbeat while isolated', () => (agents()[0]!.lastSeenAt > seen ? true : undefined));

    // Restarted while isolated, the agent keeps the host isolated and comes back online.
    agent.child.kill('SIGTERM');
    await new Promise((resolve) => agent.child.once('exit', resolve));
    expect(table()).toBe(true);
    agent = startAgent();
    await until('the restarted agent online', () =>
      agents()[0]!.lastSeenAt > seen && agents()[0]!.online ? true : undefined,
    );
    expect(reachable(`http://${OUTSIDE_IP}:8080/`)).toBe(false);

    // The undo: releaseDevice removes exactly autoir's table.
    const [release] = JSON.parse(
      autoir(['actions', 'undo', isolate.id, '--comment', 'contained', '--json']),
    ) as { id: string }[];
    await until('the release to succeed', () =>
      actionStatus(release!.id) === 'succeeded' ? true : undefined,
    );
    expect(table()).toBe(false);
    expect(reachable(`http://${OUTSIDE_IP}:8080/`)).toBe(true);
    expect(actionStatus(isolate.id)).toBe('undone');
  }, 180_000);
  it('contains what an investigation on the host finds: approved, the host is isolated (the policy allow list kept), the process stopped, the file quarantined, the cron line removed', async () => {
    const [enrolled] = agents();
    const hostname = enrolled!.deviceKey.slice('device:'.length);
    autoir(['policy', 'set', 'isolation.allow', '["10.99.0.0/24"]']);
    // A "miner" of the test's own, running from a hidden temp folder, restarted by a cron line.
    const miner = path.join(work, '.cache', 'kdevtmpfsi');
    const { sha256, running, exited } = plantMiner(miner, 900);
    children.push(running);
    const line = `@reboot root ${miner} 900`;
    writeFileSync(cron, `${line}\n`, { mode: 0o644 });
    await until('the miner running', () => (existsSync(`/proc/${running.pid}/exe`) ? true : undefined));
    const alert = path.join(work, 'alert.json');
    writeFileSync(
      alert,
      JSON.stringify({
        source: 'edr',
        sourceRef: `miner-${suffix}`,
        title: 'Coin miner running from a hidden folder',
        severity: 'high',
        category: 'malware',
        createdAt: new Date().toISOString(),
        entities: [
          { type: 'device', hostname, roles: ['compromised'] },
          { type: 'file', sha256, path: miner, device: hostname },
          {
            type: 'process',
            device: hostname,
            pid: running.pid,
            imagePath: miner,
            commandLine: `${miner} 900`,
          },
        ],
      }),
    );
    autoir(['indicators', 'add', 'block', `file:sha256:${sha256}`, '--title', 'coin miner']);
    autoir(['ingest', alert]);

    type Listed = { id: string; type: string; status: string; resultDetails: Record<string, unknown> | null };
    const list = () => (JSON.parse(autoir(['actions', 'list', '--json'])) as { items: Listed[] }).items;
    // The package is collected at once (it only reads); what it shows brings the cron line in.
    const pending = await until(
      'isolate, stop, quarantine and remove-persistence proposals',
      () => {
        const items = list().filter((action) => action.status === 'pendingApproval');
        const types = items.map((action) => action.type).sort();
        return types.join() === 'isolateDevice,killProcess,quarantineFile,removePersistence'
          ? items
          : undefined;
      },
      60_000,
    );
    expect(list().find((action) => action.type === 'collectInvestigationPackage')?.status).toBe('succeeded');
    for (const action of pending) autoir(['actions', 'approve', action.id, '--comment', 'contain the miner']);
    await until(
      'every approved action applied on the host',
      () => (pending.every((action) => actionStatus(action.id) === 'succeeded') ? true : undefined),
      60_000,
    );

    expect(table()).toBe(true);
    expect(reachable(`http://${OUTSIDE_IP}:8080/`)).toBe(false);
    expect(reachable(`https://${SERVER_IP}:${PORT}/api/v1/health`)).toBe(true);
    const isolate = pending.find((action) => action.type === 'isolateDevice')!;
    const details = (JSON.parse(autoir(['actions', 'show', isolate.id, '--json'])) as Listed).resultDetails;
    expect(details?.allowed).toContain('10.99.0.0/24');
    expect(
      spawnSync('ip', inNs(ns.host, 'nft', ['list', 'table', 'inet', 'autoir_isolation']), {
        encoding: 'utf8',
      }).stdout,
    ).toContain('10.99.0.0/24');
    expect(await exited).toBe('SIGKILL');
    expect(existsSync(miner)).toBe(false);
    expect(readFileSync(cron, 'utf8')).not.toContain(miner);

    // Cleaned, the host is released.
    const [release] = JSON.parse(
      autoir(['actions', 'undo', isolate.id, '--comment', 'cleaned', '--json']),
    ) as { id: string }[];
    await until('the release', () => (actionStatus(release!.id) === 'succeeded' ? true : undefined));
    expect(reachable(`http://${OUTSIDE_IP}:8080/`)).toBe(true);
  }, 240_000);
});
