/**
 * Debian's rsyslog forwarding a log file to `autoir serve`'s syslog input, over TCP, TLS (both sides with
 * certificates), RELP and RELP over TLS, on both stores: every line arrives once. Over TCP, `autoir serve` stopped
 * and started again in the middle of a burst it is behind on loses nothing rsyslog considers delivered (autoir reads
 * each connection until rsyslog, seeing the FIN, closes it; rsyslog keeps the rest in its action queue and sends it
 * when autoir is back). Over TLS, rsyslog's driver does not look for the FIN before writing, so a restart can lose
 * the batch it writes into the closed connection (measured: one batch of 128): that guarantee needs RELP, where each
 * message is answered once stored — there autoir is even killed with SIGKILL mid-burst, and nothing is lost.
 *
 * Needs rsyslog, rsyslog-gnutls and rsyslog-relp (scripts/test.sh installs them).
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCertificates, type TestCertificates } from '../helpers/certs.js';
import { startRsyslog } from '../helpers/rsyslog.js';
import { freePort, startServer, type ServerProcess } from '../helpers/servers.js';
import { backends, createTestStore, type TestStore } from '../helpers/stores.js';
import { until } from '../helpers/until.js';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/autoir.js');
const LINES = 6000;

let work: string;
let certs: TestCertificates;
beforeAll(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'autoir-rsyslog-'));
  certs = makeCertificates(work);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(
  backends.flatMap((dialect) =>
    (['tcp', 'tls', 'relp', 'relp-tls'] as const).map((mode) => [dialect, mode] as const),
  ),
)('rsyslog forwarding to autoir (%s, %s)', (dialect, mode) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await createTestStore(dialect);
  });
  afterAll(async () => t?.cleanup());

  /** How autoir is stopped in the middle of a burst: gracefully, killed, or not at all. */
  const restart = mode === 'tcp' || mode === 'relp-tls' ? 'SIGTERM' : mode === 'relp' ? 'SIGKILL' : undefined;
  const relp = mode.startsWith('relp');
  const tls = mode.endsWith('tls');
  it(`stores every line once${restart ? `, across a ${restart} of autoir in the middle of a burst` : ''}`, async () => {
    const dir = mkdtempSync(path.join(work, `${dialect}-${mode}-`));
    const source = path.join(dir, 'app.log');
    writeFileSync(source, '');
    const syslogPort = await freePort();
    const httpPort = await freePort();
    const inputs = path.join(dir, 'inputs.yaml');
    writeFileSync(
      inputs,
      [
        'inputs:',
        '  forwarded:',
        '    kind: syslog',
        `    protocol: ${relp ? 'relp' : mode}`,
        `    listen: 127.0.0.1:${syslogPort}`,
        // Reading stops early when storing lags: at the restart, much of the stream waits in socket buffers.
        '    highWater: 100',
        ...(tls
          ? ['    tls:', `      cert: ${certs.cert}`, `      key: ${certs.key}`, `      ca: ${certs.ca}`]
          : []),
      ].join('\n'),
    );
    const env = { ...process.env, ...t.env, AUTOIR_INPUTS: inputs, AUTOIR_BUNDLED_RULES: '0' };
    const args = [bin, 'serve', '--port', String(httpPort), ...(t.dataDir ? ['--data', t.dataDir] : [])];
    const serve = () => startServer(process.execPath, args, '127.0.0.1', syslogPort, { env });
    let autoir: ServerProcess = await serve();
    const rsyslog = startRsyslog({
      dir,
      source,
      port: syslogPort,
      ...(tls ? { tls: certs } : {}),
      relp,
    });
    const tag = `${dialect}-${mode}-${process.pid}`;
    try {
      let written = 0;
      const write = async (until: number, perWrite = 30) => {
        while (written < until) {
          const batch: string[] = [];
          for (let index = 0; index < perWrite && written < until; index++)
            batch.push(`payment service: request ${written++} of ${tag} handled\n`);
          appendFileSync(source, batch.join(''));
          await pause(20);
        }
      };
      await write(LINES / 3);
      // Wait until some arrived, then stop autoir while rsyslog keeps sending; start it again a little later.
      await until('the first lines stored', async () =>
        (await t.store.events.countEvents()) > 200 ? true : undefined,
      );
      // A burst: autoir falls behind and stops reading; it is stopped while the burst is arriving.
      const before = await t.store.events.countEvents();
      let release: (() => Promise<void>) | undefined;
      if (restart === 'SIGKILL') {
        // Killed while it holds messages it read and could not store (the store's write lock is taken here): only
        // what it answered may be gone, and it answers only what it stored.
        release = await holdWrites(t);
        await write((2 * LINES) / 3, 2000);
        await pause(2500);
        const exited = new Promise((resolve) => autoir.child.once('exit', resolve));
        autoir.child.kill('SIGKILL');
        await exited;
        await release();
      }
      const writing = write((2 * LINES) / 3, 2000);
      if (restart !== 'SIGKILL')
        await until(
          'the burst arriving',
          async () => ((await t.store.events.countEvents()) > before + 20 ? true : undefined),
          30_000,
          5,
        );
      if (restart === 'SIGTERM') {
        await autoir.stop();
        expect(autoir.child.exitCode, autoir.output()).toBe(0);
      }
      await writing;
      if (restart) {
        await pause(1500);
        autoir = await serve();
      }
      await write(LINES);
      const stored = await until(
        `all ${LINES} lines stored (rsyslog: ${rsyslog.output()})`,
        async () => {
          const count = await t.store.events.countEvents();
          return count >= LINES ? count : undefined;
        },
        90_000,
        250,
      );
      // Nothing more arrives: every line once.
      await pause(1500);
      expect(stored).toBe(LINES);
      expect(await t.store.events.countEvents()).toBe(LINES);
      const sample = await t.store.events.searchEvents({}, { limit: 5 });
      expect(sample.items[0]).toMatchObject({ format: 'syslog', source: 'syslog/local0', code: 'app' });
      expect(String(sample.items[0]?.details?.message)).toMatch(new RegExp(`request \\d+ of ${tag} handled`));

      // The running input, as `autoir inputs list --json` shows it.
      const listed = spawnSync(
        process.execPath,
        [bin, 'inputs', 'list', '--json', ...(t.dataDir ? ['--data', t.dataDir] : [])],
        {
          env,
          encoding: 'utf8',
        },
      );
      expect(listed.status, listed.stderr).toBe(0);
      const item = (JSON.parse(listed.stdout) as { items: Record<string, unknown>[] }).items[0];
      expect(item).toMatchObject({
        name: 'forwarded',
        kind: 'syslog',
        state: 'running',
        configuredHere: true,
      });
      expect((item?.stats as { events: number }).events).toBeGreaterThan(0);
      // Killed, autoir had stored messages it had not yet answered: rsyslog sent them again, and they were known.
      if (restart !== 'SIGKILL') expect((item?.stats as { duplicateEvents: number }).duplicateEvents).toBe(0);
    } finally {
      await rsyslog.stop();
      await autoir.stop();
    }
  }, 180_000);
});

/** Take the store's write lock from another connection (autoir's writes wait); resolves with its release. */
async function holdWrites(t: TestStore): Promise<() => Promise<void>> {
  if (t.dataDir) {
    const db = new Database(path.join(t.dataDir, 'autoir.db'));
    db.exec('begin immediate');
    return async () => {
      db.exec('rollback');
      db.close();
    };
  }
  const env = t.env as { AUTOIR_DATABASE_URL: string; AUTOIR_DATABASE_SCHEMA: string };
  const client = new pg.Client({ connectionString: env.AUTOIR_DATABASE_URL });
  await client.connect();
  await client.query('begin');
  await client.query(`lock table "${env.AUTOIR_DATABASE_SCHEMA}".events in share row exclusive mode`);
  return async () => {
    await client.query('rollback');
    await client.end();
  };
}
