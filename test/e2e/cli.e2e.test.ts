/**
 * The built `autoir` command, run as a separate process the way the README tells users to run it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/autoir.js');
const graphFile = path.join(root, 'test/fixtures/alerts/msgraph/alert_v2_get_example.json');

let data: string;
beforeAll(() => {
  data = mkdtempSync(path.join(os.tmpdir(), 'autoir-e2e-'));
});
afterAll(() => rmSync(data, { recursive: true, force: true }));

function autoir(args: string[], input?: string) {
  const env = { ...process.env, AUTOIR_DATABASE_URL: '', AUTOIR_DATA: '' };
  return spawnSync(process.execPath, [bin, '--data', data, ...args], { encoding: 'utf8', input, env });
}

describe('autoir (built) end to end', () => {
  it('ingests the Graph example into one alert, twice, and lists it as JSON', () => {
    const first = autoir(['ingest', graphFile, '--json']);
    expect(first.status).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ alerts: 1, created: 1 });
    expect(JSON.parse(autoir(['ingest', graphFile, '--json']).stdout)).toMatchObject({
      alerts: 1,
      updated: 1,
    });
    const list = autoir(['alerts', 'list', '--json']);
    expect(list.status).toBe(0);
    const alerts = JSON.parse(list.stdout) as { entities: { key: string }[] }[];
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.entities.map((entity) => entity.key)).toContain(
      'file:sha256:8963a19fb992ad9a76576c5638fd68292cffb9aaac29eb8285f9abf6196a7dec',
    );
  });

  it('reports bad records by file, line and field from its parse workers, and stores the good ones', () => {
    const lines = readFileSync(
      path.join(root, 'test/fixtures/alerts/suricata/beats-eve-alerts-http.ndjson'),
      'utf8',
    )
      .trim()
      .split('\n');
    const bad = JSON.parse(lines[1] as string) as { alert: Record<string, unknown> };
    delete bad.alert.signature;
    const file = path.join(data, 'mixed.ndjson.gz');
    writeFileSync(file, gzipSync([lines[0], '{oops', JSON.stringify(bad), lines[1]].join('\n')));
    const run = autoir(['ingest', file, '--workers', '1', '--json']);
    expect(run.status).toBe(2);
    const summary = JSON.parse(run.stdout) as { alerts: number; errors: unknown[] };
    expect(summary.alerts).toBe(2);
    expect(summary.errors).toEqual([
      { file, line: 2, message: expect.stringMatching(/^not valid JSON/) },
      {
        file,
        line: 3,
        field: 'alert.signature',
        message: expect.stringMatching(/alert\.signature: required string is missing/),
      },
    ]);
    // The same result without workers: one parser, two ways to run it.
    const inline = autoir(['ingest', file, '--workers', '0', '--json']);
    expect(JSON.parse(inline.stdout)).toMatchObject({ errors: summary.errors, alerts: 2, updated: 2 });
  });

  it('exits 2 on bad usage and prints help with exit 0', () => {
    expect(autoir(['ingest']).status).toBe(2);
    const help = autoir(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Usage: autoir/);
  });

  // `npm start` is `npm run build && node bin/autoir.js serve`: this is its second half. (Running the build here
  // would rewrite dist/ under the feet of the other end-to-end tests running at the same time.)
  it('serves /api/v1/health on 127.0.0.1 and stops on SIGTERM', async () => {
    const server = spawn(process.execPath, [bin, 'serve', '--port', '0'], {
      cwd: root,
      env: { ...process.env, AUTOIR_DATABASE_URL: '', AUTOIR_DATA: data },
      detached: true,
    });
    try {
      const address = await new Promise<string>((resolve, reject) => {
        let stderr = '';
        server.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
          const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
          if (match) resolve(match[1] as string);
        });
        server.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
      });
      const health = await fetch(`${address}/api/v1/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', store: { dialect: 'sqlite' } });
      const alerts = await fetch(`${address}/api/v1/alerts`);
      expect(alerts.status).toBe(401);
    } finally {
      server.kill('SIGTERM');
    }
    const [code, signal] = await new Promise<[number | null, string | null]>((resolve) =>
      server.on('exit', (exitCode, exitSignal) => resolve([exitCode, exitSignal])),
    );
    expect([code, signal]).toEqual([0, null]);
  });
});
