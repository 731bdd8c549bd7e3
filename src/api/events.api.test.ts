/**
 * Hunting through the API (`GET /api/v1/events`, `GET /api/v1/events/:id`) on both backends, over real Sysmon and
 * Security events (OTRF's LSASS campaign sample): each term finds what names it, terms combine, a timeline pages
 * in order, a bad term is a 400 naming it, and nobody without a token reads anything.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { useApi } from '../../test/helpers/api.js';
import { backends } from '../../test/helpers/stores.js';
import { singleDocument } from '../ingest/input.js';
import { ingestDocuments } from '../ingest/pipeline.js';

const sample = readFileSync(
  path.resolve(import.meta.dirname, '../../test/fixtures/events/otrf/lsass_campaign_01_sample.ndjson'),
);
const PAYLOAD_MD5 = '289684eb9fa3cbd200f4440b6399ff11';

interface EventJson {
  id: string;
  time: string;
  kind: string;
  imagePath?: string;
  dstIp?: string;
  keys: string[];
  raw?: unknown;
}

describe.each(backends)('event search through the API on %s', (dialect) => {
  const api = useApi(dialect);
  beforeEach(async () => {
    await ingestDocuments(singleDocument('sample.ndjson', sample), { store: api.t.store });
  });

  const search = async (query: string) => {
    const response = await api.call('viewer', 'GET', `/api/v1/events?${query}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as { items: EventJson[]; nextCursor: string | null };
  };

  it('finds events by address, hash, device and kind, newest first, every term applying', async () => {
    const all = await search('limit=100');
    expect(all.items).toHaveLength(15);
    const times = all.items.map((event) => event.time);
    expect(times).toEqual([...times].sort().reverse());

    const c2 = await search('ip=10.0.5.13');
    // Two Sysmon connections of the payload and the Windows Filtering Platform's (5156).
    expect(c2.items.map((event) => [event.kind, event.dstIp])).toEqual([
      ['networkConnection', '10.0.5.13'],
      ['networkConnection', '10.0.5.13'],
      ['networkConnection', '10.0.5.13'],
    ]);
    const payload = await search(`hash=${PAYLOAD_MD5.toUpperCase()}`);
    expect(payload.items.map((event) => event.kind)).toEqual(['processStart']);
    expect(payload.items[0]?.imagePath).toMatch(/winx64_payload\.exe$/);

    // A short host name matches the device's FQDN; kinds narrow it (Sysmon 1 and Security 4688 alike).
    const starts = await search('device=mkt01&kind=processStart');
    expect(starts.items.map((event) => event.imagePath?.split('\\').pop())).toEqual([
      'cmd.exe',
      'systeminfo.exe',
      'conhost.exe',
      'cmd.exe',
      'winx64_payload.exe',
      'msedge.exe',
    ]);
    expect(await search('device=mkt01&kind=processStart&ip=10.0.5.13')).toEqual({
      items: [],
      nextCursor: null,
    });
    const window = await search('since=2023-08-15T09:54:30Z&until=2023-08-15T09:54:32Z&order=asc');
    expect(window.items.map((event) => event.time)).toEqual([
      '2023-08-15T09:54:30.820Z',
      '2023-08-15T09:54:31.103Z',
      '2023-08-15T09:54:31.384Z',
    ]);
  });

  it('pages a timeline with its cursor, each event once, in time order', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await search(`order=asc&limit=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(4);
      seen.push(...page.items.map((event) => `${event.time} ${event.id}`));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(15);
    expect(new Set(seen).size).toBe(15);
    expect(seen).toEqual([...seen].sort());
  });

  it('shows one event with the record as it arrived, and says when there is none', async () => {
    const [event] = (await search('kind=processAccess')).items;
    expect(event?.keys).toContain('device:mkt01.pandalab.com');
    const shown = await api.call('viewer', 'GET', `/api/v1/events/${event!.id}?include=raw`);
    expect(shown.statusCode).toBe(200);
    expect(shown.json()).toMatchObject({ id: event!.id, kind: 'processAccess', raw: { EventID: 10 } });
    const missing = await api.call('viewer', 'GET', '/api/v1/events/evt_999999');
    expect(missing.statusCode).toBe(404);
  });

  it('answers a term that is not what it names with a 400 naming it, and nobody without a token', async () => {
    const bad = await api.call('viewer', 'GET', '/api/v1/events?ip=10.0.5');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({
      code: 'AUTOIR_E_BAD_INPUT',
      message: 'ip: 10.0.5 is not an IP address',
    });
    const kind = await api.call('viewer', 'GET', '/api/v1/events?kind=processStart,teleport');
    expect(kind.statusCode).toBe(400);
    expect(kind.json().error.message).toMatch(/^kind: unknown kind teleport/);
    expect((await api.app.inject({ method: 'GET', url: '/api/v1/events' })).statusCode).toBe(401);
  });
});
