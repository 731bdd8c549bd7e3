/**
 * Telemetry end to end with the built `autoir`: a whole OTRF campaign (host events and Zeek logs, zipped) in,
 * investigation searches out.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lsassCampaign01 } from '../helpers/shared-data.js';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/autoir.js');

let data: string;
beforeAll(() => {
  data = mkdtempSync(path.join(os.tmpdir(), 'autoir-e2e-events-'));
});
afterAll(() => rmSync(data, { recursive: true, force: true }));

function autoir(args: string[]) {
  const env = { ...process.env, AUTOIR_DATABASE_URL: '', AUTOIR_DATA: '' };
  return spawnSync(process.execPath, [bin, '--data', data, ...args], {
    encoding: 'utf8',
    env,
    maxBuffer: 64 << 20,
  });
}

interface Event {
  kind: string;
  format: string;
  code: string;
  deviceKey?: string;
  dstIp?: string;
  dstPort?: number;
  imagePath?: string;
}

describe('LSASS_campaign_01 through autoir ingest and events search', () => {
  it('ingests every host event and every Zeek record, without errors', () => {
    const run = autoir(['ingest', lsassCampaign01, '--json']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const summary = JSON.parse(run.stdout) as Record<string, unknown>;
    // 53,698 NDJSON lines in the host zip; 261 records in the 12 Zeek logs.
    expect(summary).toMatchObject({
      events: 53_698 + 261,
      errorCount: 0,
      formats: { windows: 53_698, zeek: 261 },
    });
  }, 120_000);

  it('finds the payload by SHA-256: its process start on MKT01', () => {
    const run = autoir([
      'events',
      'search',
      '--sha256',
      'e9196b871670af6307902fc4ca09f7cf3c309ae54b28e10d052ed8741090f928',
      '--json',
    ]);
    expect(run.status).toBe(0);
    const events = JSON.parse(run.stdout) as Event[];
    const starts = events.filter((event) => event.kind === 'processStart');
    expect(starts).toHaveLength(1);
    expect(starts[0]).toMatchObject({
      deviceKey: 'device:mkt01.pandalab.com',
      imagePath: 'C:\\Users\\stevie.marie\\Downloads\\winx64_payload.exe',
    });
  });

  it('finds the connections to the attacker by IP, from the host and from Zeek', () => {
    const run = autoir(['events', 'search', '--ip', '10.0.5.13', '--limit', '1000', '--json']);
    expect(run.status).toBe(0);
    const events = JSON.parse(run.stdout) as Event[];
    const fromPayload = events.filter(
      (event) =>
        event.kind === 'networkConnection' &&
        event.deviceKey === 'device:mkt01.pandalab.com' &&
        /winx64_payload\.exe$/i.test(event.imagePath ?? ''),
    );
    expect(fromPayload.length).toBeGreaterThan(0);
    expect(fromPayload.every((event) => event.dstIp === '10.0.5.13')).toBe(true);
    expect(events.some((event) => event.format === 'zeek' && event.code === 'conn')).toBe(true);
    // The reverse HTTPS channel on 8080 is seen by Sysmon and by Zeek.
    expect(new Set(events.filter((event) => event.dstPort === 8080).map((event) => event.format))).toEqual(
      new Set(['windows', 'zeek']),
    );
  });

  it('shows one event with its raw record, and prunes by event time', () => {
    const search = autoir(['events', 'search', '--kind', 'processStart', '--limit', '1', '--json']);
    const [event] = JSON.parse(search.stdout) as { id: string }[];
    const show = autoir(['events', 'show', event!.id, '--json']);
    expect(show.status).toBe(0);
    expect(JSON.parse(show.stdout)).toMatchObject({
      id: event!.id,
      kind: 'processStart',
      raw: { EventID: expect.any(Number) },
    });
    // The campaign ran in August 2023: everything is older than a week before "now", but not older than 20 years.
    expect(JSON.parse(autoir(['events', 'prune', '--older-than', '1043w', '--json']).stdout)).toMatchObject({
      deleted: 0,
    });
    const pruned = autoir(['events', 'prune', '--older-than', '1w', '--json']);
    expect(JSON.parse(pruned.stdout)).toMatchObject({ deleted: 53_698 + 261 });
    expect(JSON.parse(autoir(['events', 'search', '--json']).stdout)).toEqual([]);
    expect(autoir(['events', 'prune', '--older-than', '30 days']).status).toBe(2);
  }, 60_000);

  it('refuses a bad search option with exit code 2', () => {
    const run = autoir(['events', 'search', '--sha256', 'xyz']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--sha256: xyz is not a SHA-256 digest/);
  });
});
