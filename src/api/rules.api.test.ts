/**
 * The rules this server runs, through the API on both backends, with SigmaHQ's bundled rules over OTRF's LSASS
 * sample: listed with the alerts each raised (the noisiest first); an admin switches one off — audited, refused to
 * others — and telemetry ingested after raises no alert of it, while the other rules go on.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useApi } from '../../test/helpers/api.js';
import { backends } from '../../test/helpers/stores.js';
import { windowsDetection } from '../detect/matcher.js';

const sample = readFileSync(
  path.resolve(import.meta.dirname, '../../test/fixtures/events/otrf/lsass_campaign_01_sample.ndjson'),
  'utf8',
);
/** The same activity a day later: new events, new alert windows. */
const nextDay = sample.replaceAll('2023-08-15', '2023-08-16').replaceAll('2023-08-16 0', '2023-08-17 0');

interface RuleJson {
  id: string;
  title: string;
  enabled: boolean;
  alerts: number;
  switchedOff: { by: string; reason?: string } | null;
}

describe.each(backends)('detection rules through the API on %s', (dialect) => {
  const api = useApi(dialect, { detection: windowsDetection({}) });

  const ingest = async (text: string) => {
    const response = await api.app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { authorization: `Bearer autoir_shipper_${dialect}`, 'content-type': 'application/x-ndjson' },
      payload: text,
    });
    expect(response.statusCode, response.body).toBe(200);
  };
  const rules = async (query: string) => {
    const response = await api.call('viewer', 'GET', `/api/v1/rules?${query}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as { items: RuleJson[]; total: number; loaded: number; switchedOff: number };
  };

  it('lists the rules with their alerts, and leaves a rule switched off out of what is ingested after', async () => {
    await ingest(sample);
    const noisy = await rules('sort=alerts&limit=50');
    expect(noisy.loaded).toBeGreaterThan(2000);
    expect(noisy.switchedOff).toBe(0);
    const hit = noisy.items.filter((rule) => rule.alerts > 0);
    expect(hit.length).toBeGreaterThanOrEqual(2);
    const counts = hit.map((rule) => rule.alerts);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    const [off, on] = hit as [RuleJson, RuleJson];

    expect(
      (await api.call('analyst', 'PUT', `/api/v1/rules/${off.id}/enabled`, { enabled: false })).statusCode,
    ).toBe(403);
    expect(
      (await api.call('admin', 'PUT', '/api/v1/rules/no-such-rule/enabled', { enabled: false })).statusCode,
    ).toBe(404);
    const switched = await api.call('admin', 'PUT', `/api/v1/rules/${off.id}/enabled`, {
      enabled: false,
      reason: 'noisy on our build servers',
    });
    expect(switched.statusCode, switched.body).toBe(200);
    const listed = await rules('enabled=false');
    expect(listed.items.map((rule) => [rule.id, rule.switchedOff])).toEqual([
      [off.id, expect.objectContaining({ by: 'token:root', reason: 'noisy on our build servers' })],
    ]);
    expect((await api.auditLog()).find((entry) => entry.operation === 'rule.disable')).toMatchObject({
      actor: 'token:root',
      target: off.id,
      after: { enabled: false, reason: 'noisy on our build servers' },
    });

    await ingest(nextDay);
    const after = new Map((await rules('limit=5000')).items.map((rule) => [rule.id, rule]));
    expect(after.get(off.id)?.alerts).toBe(off.alerts);
    expect(after.get(on.id)?.alerts).toBeGreaterThan(on.alerts);

    // Switched on again: it raises alerts again.
    await api.call('admin', 'PUT', `/api/v1/rules/${off.id}/enabled`, { enabled: true });
    expect((await rules('enabled=false')).items).toEqual([]);
  });
});
