/** `autoir demo`: one command loads the bundled OTRF campaign and a phishing campaign, and investigates both. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/autoir.js');
let data: string;
beforeAll(() => {
  data = mkdtempSync(path.join(os.tmpdir(), 'autoir-e2e-demo-'));
});
afterAll(() => rmSync(data, { recursive: true, force: true }));

function autoir(args: string[]) {
  return spawnSync(process.execPath, [bin, '--data', data, ...args], {
    encoding: 'utf8',
    env: { ...process.env, AUTOIR_DATABASE_URL: '', AUTOIR_DATA: '', AUTOIR_RULES: '' },
    maxBuffer: 64 << 20,
  });
}

describe('autoir demo', () => {
  it('investigates the OTRF campaign and the phishing campaign, and stores nothing twice when run again', () => {
    const first = autoir(['demo', '--json']);
    expect(first.status, first.stderr).toBe(0);
    const summary = JSON.parse(first.stdout) as {
      otrf: { events: number };
      phishing: { events: number };
      investigations: { id: string; playbook: string; malicious: number; actions: number }[];
    };
    expect(summary.otrf.events).toBeGreaterThan(50_000);
    expect(summary.phishing.events).toBe(14);
    expect(summary.investigations.map((row) => row.playbook).sort()).toEqual([
      'credentialAccess',
      'phishing',
    ]);
    for (const row of summary.investigations) {
      expect(row.malicious, row.playbook).toBeGreaterThan(0);
      expect(row.actions, row.playbook).toBeGreaterThan(0);
    }
    const phishing = summary.investigations.find((row) => row.playbook === 'phishing')!;
    const shown = JSON.parse(autoir(['investigations', 'show', phishing.id, '--json']).stdout) as {
      evidence: { key: string; verdict: string; roles: string[] }[];
    };
    for (const host of ['lt-bob', 'lt-carol'])
      expect(
        shown.evidence.some((row) => row.key === `device:${host}.corp.example`),
        host,
      ).toBe(true);
    expect(
      shown.evidence.filter((row) => row.key.startsWith('mailbox:') && row.key.endsWith('@corp.example')),
    ).toHaveLength(4);

    const again = JSON.parse(autoir(['demo', '--json']).stdout) as typeof summary;
    expect(again.otrf.events).toBe(0);
    expect(again.phishing.events).toBe(0);
    expect(again.investigations).toHaveLength(2);
  }, 240_000);
});
