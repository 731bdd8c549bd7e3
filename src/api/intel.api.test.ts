/**
 * Threat intelligence through the API on both stores: an admin posts a STIX 2.1 bundle or a MISP event and gets
 * its indicators, listed at once and used by later investigations; what cannot become an indicator is named with
 * the reason; a document that is neither is a 400 naming the problem and stores nothing; others may not import.
 */
import { describe, expect, it } from 'vitest';
import { useApi } from '../../test/helpers/api.js';
import { backends } from '../../test/helpers/stores.js';

const SHA256 = '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f';

const stix = {
  type: 'bundle',
  id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d',
  objects: [
    ["[file:hashes.'SHA-256' = '" + SHA256 + "']", 1],
    ["[ipv4-addr:value = '203.0.113.7']", 2],
    ["[ipv4-addr:value = '10.0.0.0/8']", 3],
  ].map(([pattern, n]) => ({
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    created: '2024-03-01T09:00:00.000Z',
    modified: '2024-03-01T09:00:00.000Z',
    indicator_types: ['malicious-activity'],
    pattern_type: 'stix',
    pattern,
    valid_from: '2024-03-01T09:00:00Z',
  })),
};

const misp = {
  Event: {
    info: 'Phishing campaign',
    threat_level_id: '1',
    Attribute: [
      { type: 'domain', value: 'login-micros0ft.example', to_ids: true, category: 'Network activity' },
      { type: 'email-src', value: 'billing@invoices.example', to_ids: true, category: 'Payload delivery' },
    ],
  },
};

describe.each(backends)('intel import through the API on %s', (dialect) => {
  const api = useApi(dialect);

  it('imports a STIX bundle: its indicators listed, what cannot be one named with the reason', async () => {
    const response = await api.call('admin', 'POST', '/api/v1/indicators/import', stix);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<{
      format: string;
      imported: number;
      skipped: { ref: string; reason: string }[];
    }>();
    expect(body).toMatchObject({ format: 'stix', imported: 2 });
    expect(body.skipped).toEqual([
      {
        ref: 'indicator--00000000-0000-4000-8000-000000000003',
        reason: expect.stringMatching(/a network, not one address/),
      },
    ]);
    const listed = (await api.call('viewer', 'GET', '/api/v1/indicators')).json<{
      items: { entityKey: string; action: string; source: string }[];
    }>();
    expect(listed.items.map((item) => item.entityKey).sort()).toEqual([
      `file:sha256:${SHA256}`,
      'ip:203.0.113.7',
    ]);
  });

  it('imports a MISP event the same way', async () => {
    const response = await api.call('admin', 'POST', '/api/v1/indicators/import', misp);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ format: 'misp', imported: 2 });
  });

  it('refuses what is neither (415) or malformed (400), stores nothing, and lets only admins import', async () => {
    const bad = await api.call('admin', 'POST', '/api/v1/indicators/import', { hello: 'world' });
    // Well-formed JSON of no format autoir knows: 415, like an ingest of an unknown format.
    expect(bad.statusCode).toBe(415);
    expect(bad.json<{ error: { message: string } }>().error.message).toMatch(/request body/);
    const broken = await api.call('admin', 'POST', '/api/v1/indicators/import', {
      type: 'bundle',
      objects: 'x',
    });
    expect(broken.statusCode).toBe(400);
    expect((await api.call('responder', 'POST', '/api/v1/indicators/import', stix)).statusCode).toBe(403);
    const listed = (await api.call('viewer', 'GET', '/api/v1/indicators')).json<{ items: unknown[] }>();
    expect(listed.items).toEqual([]);
  });
});
