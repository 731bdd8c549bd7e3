/**
 * The CLI, run in-process with its own streams, on both stores.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { backends, createTestStore, type TestStore } from '../../test/helpers/stores.js';
import { writeZip } from '../../test/helpers/zip.js';
import { runCli } from './main.js';
import { enrollAgent } from '../respond/agents.js';
import { writeAlerts } from '../ingest/prepare-alert.js';
import { takeReport } from '../ingest/mail-report.js';

const fixtures = path.resolve(import.meta.dirname, '../../test/fixtures/alerts');
const graphFile = path.join(fixtures, 'msgraph/alert_v2_get_example.json');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  json: () => unknown;
}

describe.each(backends)('autoir CLI on %s', (dialect) => {
  let t: TestStore;
  let work: string;
  beforeEach(async () => {
    t = await createTestStore(dialect);
    work = mkdtempSync(path.join(os.tmpdir(), 'autoir-cli-'));
  });
  afterEach(async () => {
    await t.cleanup();
    rmSync(work, { recursive: true, force: true });
  });

  async function cli(args: string[], stdin: string | Buffer = ''): Promise<Run> {
    let stdout = '';
    let stderr = '';
    const code = await runCli(args, {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      stdin: Readable.from([Buffer.from(stdin)]),
      env: { ...t.env },
    });
    return { code, stdout, stderr, json: () => JSON.parse(stdout) as unknown };
  }

  it('creates a one-time enrollment token for a host agent, lists enrolled agents with their device and status, and revokes one', async () => {
    const created = await cli([
      'agents',
      'enroll-token',
      'create',
      '--group',
      'Linux servers',
      '--expires',
      '2h',
      '--json',
    ]);
    expect(created.code, created.stderr).toBe(0);
    const { token, expiresAt } = created.json() as { token: string; expiresAt: string };
    expect(token).toMatch(/^autoir_enroll_/);
    expect(Date.parse(expiresAt)).toBeGreaterThan(Date.now() + 119 * 60_000);
    expect((await cli(['agents', 'enroll-token', 'create', '--expires', 'soon'])).code).toBe(2);
    expect((await cli(['agents', 'list'])).stdout).toBe('no agents\n');
    const { agent } = await enrollAgent(
      t.store.agents,
      token,
      {
        hostname: 'web1',
        fqdn: 'web1.corp.example',
        os: 'linux',
        version: '0.1.0',
        addresses: ['10.0.0.21'],
      },
      new Date(),
    );
    const list = await cli(['agents', 'list', '--json']);
    expect(list.json()).toEqual([
      expect.objectContaining({
        id: agent.id,
        deviceKey: 'device:web1.corp.example',
        online: true,
        group: 'Linux servers',
      }),
    ]);
    expect((await cli(['agents', 'list'])).stdout).toMatch(/device:web1\.corp\.example .*online/);
    const revoked = await cli(['agents', 'revoke', agent.id, '--json']);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.json()).toMatchObject({ online: false });
    expect((await cli(['agents', 'revoke', 'agt_none'])).code).toBe(2);
  });

  it('creates a feed token, blocks an address with no connector configured, serves it in the feed, and drops it on undo', async () => {
    const created = await cli(['feeds', 'token', 'create', '--name', 'pa-edge', '--json']);
    expect(created.code, created.stderr).toBe(0);
    expect(created.json()).toMatchObject({ token: expect.stringMatching(/^autoir_feed_/), name: 'pa-edge' });
    const block = await cli([
      'actions',
      'create',
      '--type',
      'blockIp',
      '--target',
      'ip:203.0.113.9',
      '--json',
    ]);
    expect(block.code, block.stderr).toBe(0);
    const { id } = block.json() as { id: string };
    expect((await cli(['run', '--until-idle'])).code).toBe(0);
    expect(((await cli(['actions', 'show', id, '--json'])).json() as { status: string }).status).toBe(
      'succeeded',
    );
    expect((await cli(['feeds', 'show', '--json'])).json()).toMatchObject({
      items: [{ kind: 'ip', value: '203.0.113.9', actionId: id }],
    });
    expect((await cli(['actions', 'undo', id, '--comment', 'false positive'])).code).toBe(0);
    expect((await cli(['run', '--until-idle'])).code).toBe(0);
    expect((await cli(['feeds', 'show'])).stdout).toBe('nothing blocked\n');
    expect((await cli(['feeds', 'token', 'list'])).stdout).toMatch(/pa-edge .* active/);
  });

  it('lists the reports employees sent to the report mailbox, with their alert and whether they were answered', async () => {
    expect((await cli(['reports', 'list'])).stdout).toBe('no reports\n');
    const report = Buffer.from(
      'From: bob@corp.example\r\nTo: phishing@corp.example\r\nSubject: Fwd: verify\r\nMessage-ID: <r-cli@corp.example>\r\nDate: Mon, 07 Dec 2026 09:00:00 +0000\r\n\r\n---------- Forwarded message ---------\r\nFrom: Fake <fake@evil.example>\r\nSubject: verify\r\n\r\nhttps://evil.example/login\r\n',
    );
    const taken = await takeReport(t.store, report, 'phishing@corp.example', () => new Date());
    const listed = await cli(['reports', 'list', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.json()).toEqual({
      items: [
        expect.objectContaining({ id: taken.report.id, reporter: 'bob@corp.example', repliedAt: null }),
      ],
    });
    const text = (await cli(['reports', 'list'])).stdout;
    expect(text).toMatch(/bob@corp\.example .*fake@evil\.example .*verify .*alr_\w+ .*not yet/);
  });

  it('ingests the Graph alert once, however often it is sent, and lists it in the documented JSON shape', async () => {
    const first = await cli(['ingest', graphFile, '--json']);
    expect(first.code).toBe(0);
    expect(first.json()).toMatchObject({ alerts: 1, created: 1, updated: 0, events: 0, errors: [] });
    const second = await cli(['ingest', graphFile, '--json']);
    expect(second.json()).toMatchObject({ alerts: 1, created: 0, updated: 1 });

    const list = await cli(['alerts', 'list', '--json']);
    expect(list.code).toBe(0);
    const alerts = list.json() as Record<string, unknown>[];
    expect(alerts).toHaveLength(1);
    const alert = alerts[0]!;
    for (const field of [
      'id',
      'source',
      'sourceRef',
      'title',
      'severity',
      'category',
      'mitreTechniques',
      'createdAt',
      'incidentId',
      'entities',
    ]) {
      expect(alert, field).toHaveProperty(field);
    }
    const entities = alert.entities as { type: string; key: string }[];
    expect(new Set(entities.map((entity) => entity.type))).toEqual(
      new Set(['device', 'file', 'process', 'user', 'registryKey']),
    );
    expect(entities.map((entity) => entity.key)).toContain(
      'file:sha256:8963a19fb992ad9a76576c5638fd68292cffb9aaac29eb8285f9abf6196a7dec',
    );

    const shown = await cli(['alerts', 'show', alert.id as string]);
    expect(shown.stdout).toMatch(/Suspicious execution of hidden file/);
    expect(shown.stdout).toMatch(/registryKey\s+registryKey:hklm\\system/);
    const missing = await cli(['alerts', 'show', 'alr_missing']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no alert alr_missing/);
  });

  it('prints a human summary without --json', async () => {
    const run = await cli(['ingest', graphFile]);
    expect(run.stdout).toMatch(
      /^stored 1 alert \(1 new, 0 updated\) from 1 msgraph record; 0 errors\nput 1 alert in incidents: 1 new \(inc_1\), 0 merged; next: `.*autoir.* run --until-idle` investigates them/,
    );
    const table = await cli(['alerts', 'list']);
    expect(table.stdout).toMatch(/^ID\s+TIME\s+SEVERITY\s+SOURCE\s+ENTITIES\s+TITLE\n/);
  });

  it('reads a directory of NDJSON, arrays, .gz and .zip, skipping other files by name', async () => {
    const suricata = readFileSync(path.join(fixtures, 'suricata/beats-eve-alerts-http.ndjson'));
    mkdirSync(path.join(work, 'in', 'nested'), { recursive: true });
    writeFileSync(path.join(work, 'in', 'eve.json.gz'), gzipSync(suricata));
    copyFileSync(
      path.join(fixtures, 'wazuh/sshd-invalid-user.json'),
      path.join(work, 'in', 'nested', 'wazuh.json'),
    );
    writeFileSync(
      path.join(work, 'in', 'bundle.zip'),
      writeZip([
        ['graph.json', readFileSync(graphFile)],
        [
          'ocsf/finding.json.gz',
          gzipSync(readFileSync(path.join(fixtures, 'ocsf/lsass-access-detection-finding.json'))),
        ],
        ['README.md', Buffer.from('not an input')],
      ]),
    );
    writeFileSync(path.join(work, 'in', 'notes.txt'), 'ignored');
    const run = await cli(['ingest', path.join(work, 'in'), '--json']);
    expect(run.stderr).toBe('');
    expect(run.json()).toMatchObject({
      alerts: 5,
      errorCount: 0,
      formats: { suricata: 2, msgraph: 1, ocsf: 1, wazuh: 1 },
      skippedFiles: [path.join(work, 'in', 'notes.txt')],
    });
    expect(await t.store.alerts.countAlerts()).toBe(5);
  });

  it('draws a progress line on a terminal, and none with --json or --no-progress', async () => {
    let stderr = '';
    const io = {
      stdout: { write: () => true },
      stderr: { write: (text: string) => (stderr += text), isTTY: true },
      stdin: Readable.from([]),
      env: { ...t.env },
    };
    expect(await runCli(['ingest', graphFile], io)).toBe(0);
    expect(stderr.replaceAll('\u001b[2K', '')).toMatch(
      /\ringest: [\d.]+ KiB read · 1 alerts · 0 events · 0 errors · [\d,]+ records\/s · .* · 100% of [\d.]+ KiB/,
    );
    stderr = '';
    await runCli(['ingest', graphFile, '--no-progress'], io);
    await runCli(['ingest', graphFile, '--json'], io);
    expect(stderr).toBe('');
  });

  it('reads standard input, compressed or not', async () => {
    const run = await cli(['ingest', '-', '--json'], gzipSync(readFileSync(graphFile)));
    expect(run.json()).toMatchObject({ alerts: 1, formats: { msgraph: 1 } });
  });

  it('stores the good records of a file, reports each bad one by file, line and field, and exits 2', async () => {
    const lines = readFileSync(path.join(fixtures, 'suricata/beats-eve-alerts-http.ndjson'), 'utf8')
      .trim()
      .split('\n');
    const bad = JSON.parse(lines[1]!) as { alert: Record<string, unknown> };
    delete bad.alert.signature;
    const file = path.join(work, 'mixed.ndjson');
    writeFileSync(
      file,
      [lines[0], '{not json', JSON.stringify(bad), JSON.stringify({ hello: 'world' })].join('\n'),
    );
    const run = await cli(['ingest', file, '--json']);
    expect(run.code).toBe(2);
    const summary = run.json() as {
      alerts: number;
      errors: { file: string; line: number; field?: string; message: string }[];
    };
    expect(summary.alerts).toBe(1);
    expect(summary.errors).toEqual([
      { file, line: 2, message: expect.stringMatching(/^not valid JSON: .*\(column 2\)$/) },
      {
        file,
        line: 3,
        field: 'alert.signature',
        message: 'not a valid Suricata EVE alert: alert.signature: required string is missing',
      },
      {
        file,
        line: 4,
        message: expect.stringMatching(
          /^unknown format \(a record with keys hello\)\. Supported formats: autoir .*msgraph .*Use --format/,
        ),
      },
    ]);
    const human = await cli(['ingest', file]);
    expect(human.stderr).toContain(
      `${file}:3: not a valid Suricata EVE alert: alert.signature: required string is missing`,
    );
  });

  it('stores nothing with --strict when any record is bad', async () => {
    const file = path.join(work, 'strict.ndjson');
    writeFileSync(file, `${JSON.stringify(JSON.parse(readFileSync(graphFile, 'utf8')))}\n{"nope": true}\n`);
    const run = await cli(['ingest', file, '--strict', '--json']);
    expect(run.code).toBe(2);
    expect(run.json()).toMatchObject({ alerts: 0, stored: false, errorCount: 1 });
    expect(await t.store.alerts.countAlerts()).toBe(0);
  });

  it('names a truncated zip and a broken gzip, and goes on with the rest', async () => {
    mkdirSync(path.join(work, 'in'));
    const zip = writeZip([['graph.json', readFileSync(graphFile)]]);
    writeFileSync(path.join(work, 'in', 'a-truncated.zip'), zip.subarray(0, zip.length - 30));
    writeFileSync(
      path.join(work, 'in', 'b-broken.json.gz'),
      gzipSync(readFileSync(graphFile)).subarray(0, 200),
    );
    copyFileSync(graphFile, path.join(work, 'in', 'c-good.json'));
    const run = await cli(['ingest', path.join(work, 'in'), '--json']);
    expect(run.code).toBe(2);
    const summary = run.json() as { alerts: number; errors: { file: string; message: string }[] };
    expect(summary.alerts).toBe(1);
    expect(summary.errors).toEqual([
      {
        file: path.join(work, 'in', 'a-truncated.zip'),
        message: expect.stringMatching(/^not a readable zip archive/),
      },
      {
        file: path.join(work, 'in', 'b-broken.json.gz'),
        message: expect.stringMatching(/gzip data is damaged or truncated/),
      },
    ]);
  });

  it('reports a file whose first bytes are already broken, and a truncated .gz inside a zip, then goes on', async () => {
    mkdirSync(path.join(work, 'in'));
    writeFileSync(
      path.join(work, 'in', 'a-bad-header.json.gz'),
      Buffer.from([0x1f, 0x8b, 0x00, 0x00, 0x01, 0x02]),
    );
    const gz = gzipSync(readFileSync(graphFile));
    writeFileSync(
      path.join(work, 'in', 'b.zip'),
      writeZip([['inner.json.gz', gz.subarray(0, gz.length - 40)]]),
    );
    copyFileSync(graphFile, path.join(work, 'in', 'c-good.json'));
    const run = await cli(['ingest', path.join(work, 'in'), '--json']);
    expect(run.code).toBe(2);
    const summary = run.json() as { alerts: number; errors: { file: string; message: string }[] };
    expect(summary.alerts).toBe(1);
    expect(summary.errors).toEqual([
      {
        file: path.join(work, 'in', 'a-bad-header.json.gz'),
        message: expect.stringMatching(/^the gzip data is damaged or truncated/),
      },
      {
        file: `${path.join(work, 'in', 'b.zip')}:inner.json.gz`,
        message: expect.stringMatching(/^the gzip data is damaged or truncated/),
      },
    ]);
  });

  it('refuses a zip entry that does not match its recorded CRC-32, and with --strict stores nothing of it', async () => {
    const lines = readFileSync(path.join(fixtures, '../events/otrf/lsass_campaign_01_sample.ndjson'));
    const zip = writeZip([['events.ndjson', lines]]);
    const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    for (const at of [14, central + 16]) zip.writeUInt32LE((zip.readUInt32LE(at) ^ 1) >>> 0, at);
    const file = path.join(work, 'crc.zip');
    writeFileSync(file, zip);
    const run = await cli(['ingest', file, '--strict', '--json']);
    expect(run.code).toBe(2);
    expect(run.json()).toMatchObject({
      events: 0,
      stored: false,
      errors: [
        { file: `${file}:events.ndjson`, message: expect.stringMatching(/damaged or truncated.*CRC-32/) },
      ],
    });
    expect(await t.store.events.countEvents()).toBe(0);
  });

  it('correlates waiting alerts with run --until-idle, and lets analysts list, show and update incidents', async () => {
    const { createDevice } = await import('../domain/entity-builders.js');
    const device = createDevice({ hostname: 'ws1.corp.example' })!;
    await writeAlerts(
      t.store.alerts,
      ['a', 'b'].map((ref, index) => ({
        draft: {
          source: 'edr',
          sourceRef: ref,
          title: `Alert ${ref}`,
          severity: 'high' as const,
          mitreTechniques: [],
          createdAt: `2024-05-01T10:0${index}:00Z`,
          entities: [device],
        },
        format: 'autoir',
      })),
      new Date(),
    );
    const run = await cli(['run', '--until-idle', '--json']);
    expect(run.code).toBe(0);
    expect(run.json()).toMatchObject({
      correlation: { alerts: 2, incidentsCreated: 1, incidentsMerged: 0, created: ['inc_1'] },
      // Alerts without a category or technique: no playbook takes them.
      investigations: { created: 0, unsupported: 1, ran: 0 },
    });
    const list = (await cli(['incidents', 'list', '--json'])).json() as { id: string; alertCount: number }[];
    expect(list).toEqual([expect.objectContaining({ alertCount: 2 })]);
    const id = list[0]!.id;
    const shown = await cli(['incidents', 'show', id]);
    expect(shown.stdout).toMatch(/joined alr_\d+ through device:ws1\.corp\.example/);
    const updated = await cli([
      'incidents',
      'update',
      id,
      '--classification',
      'truePositive',
      '--assign',
      'alice',
      '--comment',
      'Contained.',
      '--author',
      'bob',
      '--json',
    ]);
    expect(updated.code).toBe(0);
    expect(updated.json()).toMatchObject({
      classification: 'truePositive',
      assignedTo: 'alice',
      comments: [{ author: 'bob', text: 'Contained.' }],
    });
    expect((await cli(['incidents', 'update', id])).code).toBe(2);
    expect((await cli(['incidents', 'show', 'inc_404'])).code).toBe(2);
    expect((await cli(['run', '--until-idle', '--json'])).json()).toEqual({
      correlation: { alerts: 0, incidentsCreated: 0, incidentsMerged: 0, created: [] },
      investigations: { created: 0, joined: 0, unsupported: 0, steps: 0, ran: 0 },
      actions: expect.objectContaining({ planned: 0, attempts: 0, expired: 0 }),
    });
  });

  it('forces a format with --format and refuses one it does not know', async () => {
    const forced = await cli(['ingest', graphFile, '--format', 'ocsf', '--json']);
    expect(forced.code).toBe(2);
    expect((forced.json() as { errors: { field: string }[] }).errors[0]?.field).toBe('class_uid');
    const unknown = await cli(['ingest', graphFile, '--format', 'csv']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Allowed choices are autoir, msgraph, ocsf, elastic, wazuh, suricata/);
  });

  it('exits 2 for a missing file, an unknown command and a bad option value', async () => {
    const missing = await cli(['ingest', path.join(work, 'nope.json')]);
    expect(missing).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/nope\.json: no such file or directory/),
    });
    expect((await cli(['frobnicate'])).code).toBe(2);
    const badLimit = await cli(['alerts', 'list', '--limit', '0']);
    expect(badLimit).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/limit must be a whole number from 1 to 1000, got "0"/),
    });
    expect((await cli(['alerts', 'list', '--severity', 'urgent'])).stderr).toMatch(/unknown severity urgent/);
    expect((await cli(['--help'])).code).toBe(0);
  });

  it('filters alerts on the command line', async () => {
    await cli(['ingest', path.join(fixtures, 'suricata/beats-eve-alerts-http.ndjson')]);
    await cli(['ingest', graphFile]);
    const bySource = (await cli(['alerts', 'list', '--source', 'suricata', '--json'])).json() as unknown[];
    expect(bySource).toHaveLength(2);
    const byEntity = (
      await cli(['alerts', 'list', '--entity', 'device:tempdns', '--json'])
    ).json() as unknown[];
    expect(byEntity).toHaveLength(1);
    const paged = await cli(['alerts', 'list', '--limit', '1', '--json']);
    expect(paged.json()).toHaveLength(1);
    expect(paged.stderr).toMatch(/^more: --cursor \S+/);
  });

  it('creates a token shown once, lists it without its secret, and revokes it', async () => {
    const created = await cli(['token', 'create', '--role', 'analyst', '--name', 'soar', '--json']);
    expect(created.code).toBe(0);
    const { token, name, role } = created.json() as { token: string; name: string; role: string };
    expect(token).toMatch(/^autoir_[A-Za-z0-9_-]{43}$/);
    expect({ name, role }).toEqual({ name: 'soar', role: 'analyst' });
    const listed = await cli(['token', 'list', '--json']);
    expect(listed.stdout).not.toContain(token);
    expect((listed.json() as unknown[]).length).toBe(1);
    expect((await cli(['token', 'create', '--role', 'viewer', '--name', 'soar'])).code).toBe(2);
    expect((await cli(['token', 'create', '--role', 'root', '--name', 'x'])).code).toBe(2);
    expect((await cli(['token', 'create', '--role', 'viewer', '--name', 'tok_x'])).stderr).toMatch(
      /not starting with tok_/,
    );
    expect((await cli(['token', 'revoke', 'soar'])).stdout).toMatch(/^revoked soar/);
    expect((await cli(['token', 'revoke', 'soar'])).code).toBe(2);
  });

  it('adds a user with the password from standard input and lists users without their passwords', async () => {
    const password = 'correct horse battery staple';
    const added = await cli(
      ['users', 'add', 'Alice', '--role', 'analyst', '--password-stdin'],
      `${password}\n`,
    );
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toBe('added alice (analyst)\n');
    const listed = await cli(['users', 'list', '--json']);
    expect(listed.json()).toEqual([
      expect.objectContaining({ username: 'alice', role: 'analyst', disabledAt: null, lastLoginAt: null }),
    ]);
    expect(listed.stdout).not.toMatch(/argon2|horse|password/i);
    // The trailing line break is not part of the password.
    const { verifyPassword } = await import('../api/passwords.js');
    const stored = await t.store.users.getCredentials('alice');
    expect(await verifyPassword(password, stored!.passwordHash)).toBe(true);

    expect((await cli(['users', 'set-role', 'alice', 'responder'])).stdout).toBe(
      'changed alice (responder)\n',
    );
    expect((await cli(['users', 'disable', 'alice'])).stdout).toBe('disabled alice (responder, disabled)\n');
    expect((await cli(['users', 'enable', 'alice'])).code).toBe(0);
    const changed = await cli(['users', 'passwd', 'alice', '--password-stdin'], 'a new long passphrase');
    expect(changed.code, changed.stderr).toBe(0);
    const audit = await t.store.audit.list({ target: 'user:alice' }, { limit: 10 });
    expect(audit.items.map((entry) => entry.operation)).toEqual([
      'user.update',
      'user.update',
      'user.update',
      'user.update',
      'user.create',
    ]);
    expect(audit.items.every((entry) => entry.actor.startsWith('cli:'))).toBe(true);
    expect(JSON.stringify(audit.items)).not.toMatch(/argon2|horse|passphrase/);
    expect((await cli(['users', 'remove', 'alice'])).stdout).toBe('removed alice (responder)\n');
    expect((await cli(['users', 'list'])).stdout).toBe('no users\n');
  });

  it('asks for a new password twice on a terminal, without echo, and refuses two that differ', async () => {
    const terminal = (typed: string) => {
      const stdin = Object.assign(new PassThrough(), { isTTY: true, rawMode: [] as boolean[] });
      Object.assign(stdin, { setRawMode: (mode: boolean) => stdin.rawMode.push(mode) });
      stdin.end(typed);
      return stdin;
    };
    const run = async (stdin: ReturnType<typeof terminal>, name: string) => {
      let stderr = '';
      const code = await runCli(['users', 'add', name, '--role', 'viewer'], {
        stdout: { write: () => true },
        stderr: { write: (text: string) => (stderr += text) },
        stdin,
        env: { ...t.env },
      });
      return { code, stderr };
    };
    const same = terminal('my terminal passphrase\rmy terminal passphrase\r');
    const added = await run(same, 'dora');
    expect(added.code, added.stderr).toBe(0);
    expect(added.stderr).toBe('Password: \nAgain: \n');
    expect(same.rawMode).toEqual([true, false, true, false]);
    const { verifyPassword } = await import('../api/passwords.js');
    const stored = await t.store.users.getCredentials('dora');
    expect(await verifyPassword('my terminal passphrase', stored!.passwordHash)).toBe(true);

    const differ = await run(terminal('my terminal passphrase\ranother passphrase!\r'), 'eve');
    expect(differ.code).toBe(2);
    expect(differ.stderr).toMatch(/the two passwords differ/);
  });

  it('exits 2 for a short password, a bad name, an unknown role, a taken name or an unknown user', async () => {
    const add = (args: string[], stdin = 'a long enough password') =>
      cli(['users', 'add', ...args, '--password-stdin'], stdin);
    const short = await add(['bob', '--role', 'viewer'], 'short');
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/12 to 1024 characters/);
    expect((await add(['-bob', '--role', 'viewer'])).code).toBe(2);
    expect((await add(['bob!', '--role', 'viewer'])).stderr).toMatch(/bad user name/);
    expect((await add(['bob', '--role', 'root'])).code).toBe(2);
    expect((await add(['bob', '--role', 'viewer'])).code).toBe(0);
    expect((await add(['bob', '--role', 'admin'])).code).toBe(2);
    expect((await cli(['users', 'set-role', 'bob', 'root'])).code).toBe(2);
    expect((await cli(['users', 'disable', 'nobody'])).code).toBe(2);
    // Without --password-stdin and without a terminal there is no way to ask.
    const noTerminal = await cli(['users', 'add', 'carol', '--role', 'viewer']);
    expect(noTerminal.code).toBe(2);
    expect(noTerminal.stderr).toMatch(/--password-stdin/);
  });
});

describe('--data', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'autoir-data-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('puts the embedded store in the directory it names', async () => {
    const io = {
      stdout: { write: () => true },
      stderr: { write: () => true },
      stdin: Readable.from([]),
      env: {},
    };
    expect(await runCli(['--data', dir, 'ingest', graphFile], io)).toBe(0);
    expect(readFileSync(path.join(dir, 'autoir.db')).subarray(0, 15).toString()).toBe('SQLite format 3');
  });
});
