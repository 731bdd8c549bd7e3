/**
 * The benchmarks' step delay (`AUTOIR_BENCH_STEP_DELAY_MS`, docs/benchmarks.md#scale) reaches the steps of a worker
 * started as `bench scale` starts its workers: from the environment, through the built command.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/autoir.js');
const graphFile = path.join(root, 'test/fixtures/alerts/msgraph/alert_v2_get_example.json');
const DELAY_MS = 150;

let data: string;
beforeAll(() => {
  data = mkdtempSync(path.join(os.tmpdir(), 'autoir-e2e-step-delay-'));
});
afterAll(() => rmSync(data, { recursive: true, force: true }));

function autoir(args: string[], extra: Record<string, string> = {}) {
  const env = { ...process.env, AUTOIR_DATABASE_URL: '', AUTOIR_DATA: '', ...extra };
  return spawnSync(process.execPath, [bin, '--data', data, ...args], { encoding: 'utf8', env });
}

describe('AUTOIR_BENCH_STEP_DELAY_MS', () => {
  it('makes every investigation step take at least that long', () => {
    expect(autoir(['ingest', graphFile]).status).toBe(0);
    const run = autoir(['run', '--until-idle', '--json'], { AUTOIR_BENCH_STEP_DELAY_MS: String(DELAY_MS) });
    expect(run.status, run.stderr).toBe(0);
    const [listed] = JSON.parse(autoir(['investigations', 'list', '--json']).stdout) as { id: string }[];
    const shown = autoir(['investigations', 'show', listed?.id ?? '', '--json']);
    const { log } = JSON.parse(shown.stdout) as { log: { step: string; durationMs: number }[] };
    expect(log.length).toBeGreaterThan(3);
    for (const entry of log) expect(entry.durationMs, entry.step).toBeGreaterThanOrEqual(DELAY_MS);
  });

  it('is a usage error when it is not a number of milliseconds', () => {
    const run = autoir(['run', '--until-idle'], { AUTOIR_BENCH_STEP_DELAY_MS: 'slow' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('AUTOIR_BENCH_STEP_DELAY_MS must be a whole number of ms from 0 to 10000');
  });
});
