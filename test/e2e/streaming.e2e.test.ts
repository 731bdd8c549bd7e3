/**
 * A large NDJSON stream is read in bounded memory: the built command, with its heap capped far below the size of
 * the input, ingests it from standard input.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/autoir.js');

let data: string;
beforeAll(() => {
  data = mkdtempSync(path.join(os.tmpdir(), 'autoir-stream-'));
});
afterAll(() => rmSync(data, { recursive: true, force: true }));

const INPUT_MB = 1024;
const HEAP_MB = 64;

it(`ingests ${INPUT_MB} MB of NDJSON with a ${HEAP_MB} MB heap`, async () => {
  const child = spawn(
    process.execPath,
    [`--max-old-space-size=${HEAP_MB}`, bin, '--data', data, 'ingest', '-', '--json'],
    {
      env: { ...process.env, AUTOIR_DATABASE_URL: '' },
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let running = true;
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      running = false;
      resolve(code);
    }),
  );
  // If the child dies (out of memory), writing fails: stop and let the assertions below say why.
  child.stdin.on('error', () => (running = false));

  // Suricata flow events (telemetry, skipped by alert ingest) with an alert every 100 lines.
  const flow = (n: number) =>
    JSON.stringify({
      timestamp: '2024-05-01T10:00:00.000000+0000',
      flow_id: 1_000_000 + n,
      event_type: 'flow',
      src_ip: '10.0.0.5',
      src_port: 40000 + (n % 20000),
      dest_ip: '93.184.216.34',
      dest_port: 443,
      proto: 'TCP',
      flow: {
        pkts_toserver: 12,
        pkts_toclient: 10,
        bytes_toserver: 1800,
        bytes_toclient: 9000,
        start: '2024-05-01T09:59:59.000000+0000',
        end: '2024-05-01T10:00:00.000000+0000',
        state: 'closed',
        reason: 'timeout',
      },
      padding: 'x'.repeat(100),
    });
  const alert = (n: number) =>
    JSON.stringify({
      timestamp: '2024-05-01T10:00:00.000000+0000',
      flow_id: 5_000_000 + n,
      event_type: 'alert',
      src_ip: '10.0.0.5',
      dest_ip: '203.0.113.9',
      alert: {
        signature: 'ET TEST stream alert',
        signature_id: 9_000_001,
        gid: 1,
        severity: 2,
        category: 'Potentially Bad Traffic',
      },
    });
  let written = 0;
  let lines = 0;
  let alerts = 0;
  const target = INPUT_MB * 1024 * 1024;
  while (written < target && running) {
    let chunk = '';
    for (let index = 0; index < 1000; index++, lines++) {
      const line = lines % 100 === 99 ? (alerts++, alert(lines)) : flow(lines);
      chunk += `${line}\n`;
    }
    written += Buffer.byteLength(chunk);
    if (!child.stdin.write(chunk))
      await Promise.race([new Promise((resolve) => child.stdin.once('drain', resolve)), exited]);
  }
  child.stdin.end();
  const code = await exited;
  expect(stderr).toBe('');
  expect(code).toBe(0);
  expect(written).toBeGreaterThanOrEqual(target);
  const summary = JSON.parse(stdout) as { alerts: number; skipped: number; errorCount: number };
  expect(summary).toMatchObject({ alerts, skipped: lines - alerts, errorCount: 0 });
}, 180_000);
