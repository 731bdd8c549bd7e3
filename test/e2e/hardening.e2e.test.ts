/**
 * The built `autoir` as an operator runs it: several processes opening one fresh SQLite data directory at once all
 * start (migrations take turns); `serve` says honestly where it listens, warns when it is reachable without TLS,
 * and serves HTTPS with --tls-cert/--tls-key.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/autoir.js');
const work = mkdtempSync(path.join(os.tmpdir(), 'autoir-hardening-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const env = (data: string) => ({ ...process.env, AUTOIR_DATABASE_URL: '', AUTOIR_DATA: data });

function run(args: string[], data: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: env(data) });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

/** Start `serve`, resolve with what it printed (its banner, in text) once it listens. */
function serve(args: string[], data: string): Promise<{ server: ChildProcess; banner: string }> {
  const server = spawn(
    process.execPath,
    [bin, 'serve', '--port', '0', '--no-worker', '--log-format', 'text', ...args],
    {
      cwd: root,
      env: env(data),
    },
  );
  return new Promise((resolve, reject) => {
    let stderr = '';
    server.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (/openapi: /.test(stderr)) resolve({ server, banner: stderr });
    });
    server.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
  });
}

async function stop(server: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => server.on('exit', resolve));
  server.kill('SIGTERM');
  await exited;
}

describe('several processes on one fresh data directory', () => {
  it('all start: the first migrates, the others wait their turn', async () => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const data = path.join(work, `fresh-${attempt}`);
      const runs = await Promise.all(
        Array.from({ length: 8 }, () => run(['alerts', 'list', '--json'], data)),
      );
      expect(
        runs.map((result) => result.code),
        runs.map((result) => result.stderr).join('\n'),
      ).toEqual(Array(8).fill(0));
    }
  });
});

describe('autoir serve', () => {
  it('says it listens on every interface when bound to 0.0.0.0, and warns that without TLS it is in the clear', async () => {
    const { server, banner } = await serve(['--host', '0.0.0.0'], path.join(work, 'everywhere'));
    try {
      expect(banner).toMatch(/listening on every interface \(0\.0\.0\.0\), port \d+/);
      expect(banner).not.toMatch(/listening on http:\/\/127\.0\.0\.1/);
      expect(banner).toMatch(/warning: reachable from other machines without TLS/);
    } finally {
      await stop(server);
    }
  });

  it('serves HTTPS with --tls-cert and --tls-key', async () => {
    const cert = path.join(work, 'cert.pem');
    const key = path.join(work, 'key.pem');
    const made = spawnSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { encoding: 'utf8' },
    );
    expect(made.status, `openssl (Debian's openssl package) made no certificate: ${made.stderr}`).toBe(0);
    const { server, banner } = await serve(['--tls-cert', cert, '--tls-key', key], path.join(work, 'tls'));
    try {
      const url = /listening on (https:\/\/127\.0\.0\.1:\d+)/.exec(banner)?.[1];
      expect(url, banner).toBeDefined();
      expect(banner).not.toMatch(/warning/);
      const status = await new Promise<number | undefined>((resolve, reject) =>
        request(`${url}/api/v1/health`, { ca: readFileSync(cert) }, (response) => {
          response.resume();
          resolve(response.statusCode);
        })
          .on('error', reject)
          .end(),
      );
      expect(status).toBe(200);
    } finally {
      await stop(server);
    }
    const half = await run(['serve', '--tls-cert', cert], path.join(work, 'tls'));
    expect(half.code).toBe(2);
    expect(half.stderr).toMatch(/give --tls-cert and --tls-key together/);
  });
});
