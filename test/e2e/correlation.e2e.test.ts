/**
 * Correlation end to end: OTRF LSASS_campaign_01 (lab "pandalab", host MKT01) ingested with the three atomic
 * datasets of another lab ("theshire", hosts WORKSTATION5 and WORKSTATION6), detection and correlation as they
 * arrive. No incident may mix the labs, and MKT01's alerts are one story.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lsassCampaign01, otrfAtomic } from '../helpers/shared-data.js';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/autoir.js');

let data: string;
beforeAll(() => {
  data = mkdtempSync(path.join(os.tmpdir(), 'autoir-e2e-correlate-'));
});
afterAll(() => rmSync(data, { recursive: true, force: true }));

function autoir(args: string[]) {
  const env = { ...process.env, AUTOIR_DATABASE_URL: '', AUTOIR_DATA: '', AUTOIR_RULES: '' };
  return spawnSync(process.execPath, [bin, '--data', data, ...args], {
    encoding: 'utf8',
    env,
    maxBuffer: 64 << 20,
  });
}

interface Incident {
  id: string;
  status: string;
  alertIds: string[];
  links: { alertId: string; otherAlertId: string; entityKey: string }[];
}
interface Alert {
  id: string;
  incidentId: string | null;
  entities: { type: string; key: string }[];
}

describe('LSASS_campaign_01 with the atomic datasets of another lab', () => {
  let alerts: Alert[];
  let incidents: Incident[];
  beforeAll(() => {
    const inputs = [
      lsassCampaign01,
      ...readdirSync(otrfAtomic)
        .filter((name) => name.endsWith('.zip'))
        .map((name) => path.join(otrfAtomic, name)),
    ];
    expect(inputs).toHaveLength(4);
    for (const input of inputs) {
      const run = autoir(['ingest', input, '--json']);
      expect(run.status, `${input}: ${run.stderr}`).toBe(0);
    }
    alerts = JSON.parse(autoir(['alerts', 'list', '--limit', '1000', '--json']).stdout) as Alert[];
    const list = JSON.parse(autoir(['incidents', 'list', '--limit', '1000', '--json']).stdout) as {
      id: string;
    }[];
    incidents = list.map(
      (incident) => JSON.parse(autoir(['incidents', 'show', incident.id, '--json']).stdout) as Incident,
    );
  }, 240_000);

  const labOf = (alert: Alert) => {
    const devices = alert.entities.filter((entity) => entity.type === 'device').map((entity) => entity.key);
    if (devices.some((key) => /pandalab|mkt01/.test(key))) return 'pandalab';
    if (devices.some((key) => /theshire|workstation[56]/.test(key))) return 'theshire';
    return 'unknown';
  };

  it('puts every alert in exactly one incident', () => {
    expect(alerts.length).toBeGreaterThan(40);
    expect(alerts.every((alert) => alert.incidentId !== null)).toBe(true);
    const members = incidents.flatMap((incident) => incident.alertIds);
    expect(new Set(members).size).toBe(members.length);
    expect(members.sort()).toEqual(alerts.map((alert) => alert.id).sort());
  });

  it('never mixes the two labs in one incident', () => {
    const byId = new Map(alerts.map((alert) => [alert.id, alert]));
    for (const incident of incidents) {
      const labs = new Set(incident.alertIds.map((id) => labOf(byId.get(id)!)));
      expect(labs.size, `${incident.id}: ${[...labs].join(', ')}`).toBe(1);
      expect(labs.has('unknown')).toBe(false);
    }
  });

  it("forms one incident of MKT01's alerts, each joined through a strong entity it shares", () => {
    const mkt01 = alerts.filter((alert) =>
      alert.entities.some((entity) => entity.key === 'device:mkt01.pandalab.com'),
    );
    expect(mkt01.length).toBeGreaterThan(20);
    const ids = new Set(mkt01.map((alert) => alert.incidentId));
    expect(ids.size).toBe(1);
    const incident = incidents.find((candidate) => candidate.id === [...ids][0])!;
    expect(incident.alertIds.length).toBe(mkt01.length);
    // n alerts, n - 1 links: each alert but the first joined the incident through an entity it shares.
    expect(incident.links).toHaveLength(mkt01.length - 1);
  });
});
