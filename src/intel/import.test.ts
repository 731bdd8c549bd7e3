import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AutoirError } from '../domain/errors.js';
import { parseIntelDocument } from './import.js';

// The EICAR test file's digests: public, and of the right lengths.
const SHA256 = '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f';
const SHA1 = '3395856ce81f2b7382dee72602f798b642f14140';
const MD5 = '44d88612fea8a8f36de82e1278abb02f';

const IDENTITY = {
  type: 'identity',
  spec_version: '2.1',
  id: 'identity--f431f809-377b-45e0-aa1c-6a4751cae5ff',
  created: '2024-03-01T09:00:00.000Z',
  modified: '2024-03-01T09:00:00.000Z',
  name: 'Example CERT',
  identity_class: 'organization',
};

function indicator(n: number, fields: Record<string, unknown>): Record<string, unknown> {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    created_by_ref: IDENTITY.id,
    created: '2024-03-01T09:00:00.000Z',
    modified: '2024-03-01T09:00:00.000Z',
    indicator_types: ['malicious-activity'],
    pattern_type: 'stix',
    valid_from: '2024-03-01T09:00:00Z',
    ...fields,
  };
}

function bundle(...objects: Record<string, unknown>[]): string {
  return JSON.stringify({ type: 'bundle', id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d', objects });
}

function stix(...indicators: Record<string, unknown>[]) {
  return parseIntelDocument(bundle(IDENTITY, ...indicators), 'feeds/cert.json');
}

describe('parseIntelDocument: STIX 2.1', () => {
  it('turns each kind of observable in a pattern into a block indicator on its entity key', () => {
    const result = stix(
      indicator(1, {
        name: 'Dropper (SHA-256)',
        pattern: `[file:hashes.'SHA-256' = '${SHA256.toUpperCase()}']`,
      }),
      indicator(2, { pattern: `[file:hashes.SHA256 = '${SHA256}']` }),
      indicator(3, { pattern: `[file:hashes.'SHA-1' = '${SHA1}']` }),
      indicator(4, { pattern: `[file:hashes.MD5 = '${MD5}']` }),
      indicator(5, { pattern: "[ipv4-addr:value = '203.0.113.7']" }),
      indicator(6, { pattern: "[ipv6-addr:value = '2001:DB8:0:0::BAD:1/128']" }),
      indicator(7, { pattern: "[domain-name:value = 'Update-Check.Example[.]net']" }),
      indicator(8, { pattern: "[url:value = 'hxxps://cdn.example.org/payload.exe#x']" }),
      indicator(9, { pattern: "[email-addr:value = 'Billing <Billing@Invoices.Example.com>']" }),
      indicator(10, { pattern: "[email-message:from_ref.value = 'ceo@exarnple.com']" }),
    );
    expect(result.format).toBe('stix');
    expect(result.skipped).toEqual([]);
    expect(result.drafts.map((draft) => draft.entityKey)).toEqual([
      `file:sha256:${SHA256}`,
      `file:sha256:${SHA256}`,
      `file:sha1:${SHA1}`,
      `file:md5:${MD5}`,
      'ip:203.0.113.7',
      'ip:2001:db8::bad:1',
      'domain:update-check.example.net',
      'url:https://cdn.example.org/payload.exe',
      'mailbox:billing@invoices.example.com',
      'mailbox:ceo@exarnple.com',
    ]);
    expect(result.drafts[0]).toEqual({
      entityKey: `file:sha256:${SHA256}`,
      action: 'block',
      title: 'Dropper (SHA-256)',
      source: 'stix',
      sourceRef: 'indicator--00000000-0000-4000-8000-000000000001',
    });
    // Without a name, the pattern is the title; STIX has no severity.
    expect(result.drafts[1]?.title).toBe(`[file:hashes.SHA256 = '${SHA256}']`);
    expect(result.drafts.every((draft) => draft.severity === undefined)).toBe(true);
  });

  it('gives every value of an OR/AND pattern its own draft, numbered after the indicator id', () => {
    const result = stix(
      indicator(1, {
        name: 'C2 infrastructure',
        description: 'Beacons seen in March.',
        pattern:
          "[ipv4-addr:value = '198.51.100.23' OR ipv4-addr:value = '198.51.100.24'] OR " +
          "([domain-name:value = 'c2.example.net'] FOLLOWEDBY [url:value = 'http://c2.example.net/gate.php']) " +
          'WITHIN 300 SECONDS',
      }),
      indicator(2, {
        pattern: `[file:hashes.MD5 = '${MD5}' AND file:name = 'eicar.com' AND file:size = 68]`,
      }),
    );
    expect(result.skipped).toEqual([]);
    const id = 'indicator--00000000-0000-4000-8000-000000000001';
    expect(result.drafts.map((draft) => [draft.entityKey, draft.sourceRef])).toEqual([
      ['ip:198.51.100.23', `${id}#1`],
      ['ip:198.51.100.24', `${id}#2`],
      ['domain:c2.example.net', `${id}#3`],
      ['url:http://c2.example.net/gate.php', `${id}#4`],
      // file:name and file:size only narrow the match: the hash alone is imported, under the bare id.
      [`file:md5:${MD5}`, 'indicator--00000000-0000-4000-8000-000000000002'],
    ]);
    expect(result.drafts[0]?.description).toBe('Beacons seen in March.');
  });

  it('reads escaped quotes and backslashes in string literals', () => {
    const result = stix(
      indicator(1, { pattern: "[url:value = 'http://files.example.com/o\\'brien\\\\x.zip']" }),
    );
    expect(result.drafts.map((draft) => draft.entityKey)).toEqual([
      // One backslash, which WHATWG URL parsing reads as a slash (two would have made `//`).
      "url:http://files.example.com/o'brien/x.zip",
    ]);
  });

  it('makes a benign indicator an allow indicator', () => {
    const result = stix(
      indicator(1, { indicator_types: ['benign'], pattern: "[domain-name:value = 'updates.example.com']" }),
    );
    expect(result.drafts).toMatchObject([{ entityKey: 'domain:updates.example.com', action: 'allow' }]);
  });

  it('sets expiresAt from valid_until and skips an indicator whose valid_until is not a timestamp', () => {
    const result = stix(
      indicator(1, { valid_until: '2024-06-01T00:00:00Z', pattern: "[ipv4-addr:value = '192.0.2.10']" }),
      indicator(2, { valid_until: 'next summer', pattern: "[ipv4-addr:value = '192.0.2.11']" }),
    );
    expect(result.drafts).toMatchObject([
      { entityKey: 'ip:192.0.2.10', expiresAt: Date.parse('2024-06-01T00:00:00Z') },
    ]);
    expect(result.skipped).toEqual([
      {
        ref: 'indicator--00000000-0000-4000-8000-000000000002',
        reason: expect.stringMatching(/valid_until/),
      },
    ]);
  });

  it('skips revoked indicators, other pattern languages, broken patterns and patterns with nothing usable', () => {
    const result = stix(
      indicator(1, { revoked: true, pattern: "[ipv4-addr:value = '192.0.2.1']" }),
      indicator(2, { pattern_type: 'snort', pattern: 'alert tcp any any -> any 80 (msg:"x"; sid:1;)' }),
      indicator(3, { pattern: "[ipv4-addr:value = '192.0.2.2'" }),
      indicator(4, { pattern: "[process:name = 'mimikatz.exe']" }),
    );
    expect(result.drafts).toEqual([]);
    expect(result.skipped.map((item) => item.ref.slice(-2))).toEqual(['01', '02', '03', '04']);
    expect(result.skipped[0]?.reason).toMatch(/revoked/);
    expect(result.skipped[1]?.reason).toMatch(/snort/);
    expect(result.skipped[2]?.reason).toMatch(/not valid STIX patterning: .*ends too early/);
    expect(result.skipped[3]?.reason).toMatch(/names no file hash/);
  });

  it('skips comparisons other than "=", keeping the values of the others', () => {
    const result = stix(
      indicator(1, { pattern: "[domain-name:value LIKE '%.example.net']" }),
      indicator(2, {
        pattern: "[url:value MATCHES '^https?://x\\\\.example/' OR ipv4-addr:value = '192.0.2.50']",
      }),
      indicator(3, { pattern: "[ipv4-addr:value NOT = '192.0.2.51']" }),
      indicator(4, { pattern: "[ipv4-addr:value IN ('192.0.2.52', '192.0.2.53')]" }),
    );
    expect(result.drafts.map((draft) => [draft.entityKey, draft.sourceRef?.slice(-2)])).toEqual([
      ['ip:192.0.2.50', '02'],
    ]);
    expect(result.skipped.map((item) => [item.ref.slice(-2), item.reason])).toEqual([
      ['01', expect.stringContaining('domain-name:value LIKE')],
      ['02', expect.stringContaining('url:value MATCHES')],
      ['03', expect.stringContaining('ipv4-addr:value NOT =')],
      ['04', expect.stringContaining('ipv4-addr:value IN')],
    ]);
  });

  it('imports a /32 as its address and skips a wider network', () => {
    const result = stix(
      indicator(1, { pattern: "[ipv4-addr:value = '203.0.113.9/32']" }),
      indicator(2, { pattern: "[ipv4-addr:value = '203.0.113.0/24']" }),
      indicator(3, { pattern: "[ipv6-addr:value = '2001:db8::/32']" }),
    );
    expect(result.drafts.map((draft) => draft.entityKey)).toEqual(['ip:203.0.113.9']);
    expect(result.skipped).toMatchObject([
      { ref: expect.stringMatching(/02$/), reason: expect.stringContaining('203.0.113.0/24" is a network') },
      { ref: expect.stringMatching(/03$/), reason: expect.stringContaining('is a network') },
    ]);
  });

  it('skips a hash whose length does not match the algorithm the path names', () => {
    const result = stix(indicator(1, { pattern: `[file:hashes.MD5 = '${SHA256}']` }));
    expect(result.drafts).toEqual([]);
    expect(result.skipped[0]?.reason).toMatch(/not a MD5 digest/);
  });

  it('reads a bare indicator object, and ignores objects that are not indicators', () => {
    const bare = parseIntelDocument(
      JSON.stringify(indicator(1, { pattern: "[ipv4-addr:value = '192.0.2.99']" })),
    );
    expect(bare.drafts.map((draft) => draft.entityKey)).toEqual(['ip:192.0.2.99']);
    const context = stix({
      type: 'malware',
      spec_version: '2.1',
      id: 'malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b',
      name: 'Poison Ivy',
      is_family: true,
    });
    expect(context).toEqual({ format: 'stix', drafts: [], skipped: [] });
  });

  it('never throws on a pattern: each indicator gives drafts or a reason', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (pattern) => {
        const result = stix(indicator(1, { pattern }));
        return result.drafts.length + result.skipped.length > 0;
      }),
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------

function attribute(n: number, type: string, value: string, fields: Record<string, unknown> = {}) {
  return {
    id: String(1000 + n),
    uuid: `5f1c3d2e-0000-4000-8000-${String(n).padStart(12, '0')}`,
    event_id: '42',
    category: type.startsWith('ip') || type.startsWith('domain') ? 'Network activity' : 'Payload delivery',
    type,
    value,
    to_ids: true,
    deleted: false,
    comment: '',
    timestamp: '1709283600',
    ...fields,
  };
}

function mispEvent(fields: Record<string, unknown>) {
  return {
    id: '42',
    uuid: '5f1c3d2e-1111-4000-8000-000000000042',
    info: 'Phishing wave delivering EICAR',
    threat_level_id: '1',
    analysis: '2',
    distribution: '0',
    date: '2024-03-01',
    published: true,
    Tag: [{ name: 'tlp:amber' }, { name: 'misp:tlp' }],
    Attribute: [],
    Object: [],
    ...fields,
  };
}

describe('parseIntelDocument: MISP', () => {
  it('imports the actionable attributes of an event as block indicators', () => {
    const event = mispEvent({
      Attribute: [
        attribute(1, 'sha256', SHA256, { comment: 'Attachment' }),
        attribute(2, 'filename|sha1', `invoice.pdf.exe|${SHA1}`),
        attribute(3, 'md5', MD5),
        attribute(4, 'ip-dst|port', '198.51.100.80|8443'),
        attribute(5, 'domain|ip', 'mail.example-bank.test|198.51.100.81'),
        attribute(6, 'url', 'hxxp://login.example-bank[.]test/verify'),
        attribute(7, 'email-src', 'Support <support@example-bank.test>'),
        attribute(8, 'hostname', 'relay.example-bank.test'),
        attribute(9, 'ip-src', '192.0.2.200', { to_ids: false }),
        attribute(10, 'ip-src', '192.0.2.201', { deleted: true }),
        attribute(11, 'link', 'https://blog.example.org/analysis'),
      ],
      Object: [
        {
          name: 'file',
          uuid: '5f1c3d2e-2222-4000-8000-000000000001',
          Attribute: [
            attribute(12, 'filename', 'invoice.pdf.exe'),
            attribute(13, 'sha256', `${SHA256.slice(0, 63)}e`),
          ],
        },
        { name: 'domain-ip', deleted: true, Attribute: [attribute(14, 'domain', 'old.example-bank.test')] },
      ],
    });
    const result = parseIntelDocument(JSON.stringify({ Event: event }), 'misp-42.json');
    expect(result.format).toBe('misp');
    const ref = (n: number) => `5f1c3d2e-0000-4000-8000-${String(n).padStart(12, '0')}`;
    expect(result.drafts.map((draft) => [draft.entityKey, draft.sourceRef])).toEqual([
      [`file:sha256:${SHA256}`, ref(1)],
      [`file:sha1:${SHA1}`, ref(2)],
      [`file:md5:${MD5}`, ref(3)],
      ['ip:198.51.100.80', ref(4)],
      ['domain:mail.example-bank.test', `${ref(5)}#1`],
      ['ip:198.51.100.81', `${ref(5)}#2`],
      ['url:http://login.example-bank.test/verify', ref(6)],
      ['mailbox:support@example-bank.test', ref(7)],
      ['domain:relay.example-bank.test', ref(8)],
      [`file:sha256:${SHA256.slice(0, 63)}e`, ref(13)],
    ]);
    expect(result.drafts[0]).toEqual({
      entityKey: `file:sha256:${SHA256}`,
      action: 'block',
      title: 'Phishing wave delivering EICAR',
      description: 'Attachment',
      source: 'misp',
      sourceRef: ref(1),
      severity: 'high',
    });
    expect(result.drafts.every((draft) => draft.action === 'block' && draft.severity === 'high')).toBe(true);
    expect(result.skipped).toEqual([
      { ref: ref(9), reason: expect.stringContaining('to_ids') },
      { ref: ref(10), reason: expect.stringContaining('deleted') },
      { ref: ref(11), reason: expect.stringContaining('"link" is not imported') },
      { ref: ref(12), reason: expect.stringContaining('"filename" is not imported') },
      { ref: ref(14), reason: expect.stringContaining('deleted') },
    ]);
  });

  it('maps threat_level_id to a severity, leaving "undefined" (4) without one', () => {
    const severityOf = (level: unknown) =>
      parseIntelDocument(
        JSON.stringify({
          Event: mispEvent({ threat_level_id: level, Attribute: [attribute(1, 'md5', MD5)] }),
        }),
      ).drafts[0]?.severity;
    expect([severityOf('1'), severityOf('2'), severityOf(3), severityOf('4')]).toEqual([
      'high',
      'medium',
      'low',
      undefined,
    ]);
  });

  it('skips a value that does not normalise, naming the attribute type', () => {
    const result = parseIntelDocument(
      JSON.stringify({
        Event: mispEvent({
          Attribute: [
            attribute(1, 'ip-dst', '10.20.0.0/16'),
            attribute(2, 'domain', 'not a domain'),
            attribute(3, 'sha1', MD5),
            attribute(4, 'domain|ip', 'no-separator.example'),
          ],
        }),
      }),
    );
    expect(result.drafts).toEqual([]);
    expect(result.skipped.map((item) => item.reason)).toEqual([
      expect.stringMatching(/^the ip-dst attribute: "10\.20\.0\.0\/16" is a network/),
      'the domain attribute: "not a domain" is not a domain name',
      expect.stringMatching(/^the sha1 attribute: .* is not a SHA1 digest/),
      expect.stringMatching(/^the domain\|ip attribute: .* has no "\|"/),
    ]);
  });

  it('reads the REST API response list and a bare event', () => {
    const response = {
      response: [
        { Event: mispEvent({ info: 'First', Attribute: [attribute(1, 'ip-dst', '192.0.2.1')] }) },
        {
          Event: mispEvent({
            info: 'Second',
            threat_level_id: '3',
            Attribute: [attribute(2, 'email', 'x@y.test')],
          }),
        },
      ],
    };
    expect(parseIntelDocument(JSON.stringify(response)).drafts).toMatchObject([
      { entityKey: 'ip:192.0.2.1', title: 'First', severity: 'high' },
      { entityKey: 'mailbox:x@y.test', title: 'Second', severity: 'low' },
    ]);
    const bare = parseIntelDocument(JSON.stringify(mispEvent({ Attribute: [attribute(1, 'sha1', SHA1)] })));
    expect(bare).toMatchObject({ format: 'misp', drafts: [{ entityKey: `file:sha1:${SHA1}` }] });
  });

  it('accepts the "1"/"0" flags of older exports', () => {
    const result = parseIntelDocument(
      JSON.stringify({
        Event: mispEvent({
          Attribute: [attribute(1, 'md5', MD5, { to_ids: '1' }), attribute(2, 'sha1', SHA1, { to_ids: '0' })],
        }),
      }),
    );
    expect(result.drafts.map((draft) => draft.entityKey)).toEqual([`file:md5:${MD5}`]);
    expect(result.skipped).toHaveLength(1);
  });
});

describe('parseIntelDocument: refused documents', () => {
  function thrown(run: () => unknown): AutoirError {
    try {
      run();
    } catch (error) {
      if (error instanceof AutoirError) return error;
      throw error;
    }
    throw new Error('expected an AutoirError');
  }

  it('refuses malformed JSON as bad input, naming the file and line', () => {
    const error = thrown(() =>
      parseIntelDocument('{\n  "type": "bundle",\n  "objects": [\n}', 'feeds/broken.json'),
    );
    expect(error.code).toBe('AUTOIR_E_BAD_INPUT');
    expect(error.location).toEqual({ file: 'feeds/broken.json', line: 4 });
    expect(error.message).toMatch(/^feeds\/broken\.json:4: not valid JSON/);
  });

  it('refuses JSON that is neither STIX nor MISP as an unknown format, naming the file', () => {
    const error = thrown(() => parseIntelDocument('{"alerts": []}', 'export.json'));
    expect(error.code).toBe('AUTOIR_E_UNKNOWN_FORMAT');
    expect(error.location?.file).toBe('export.json');
    expect(error.message).toMatch(/^export\.json: neither a STIX 2\.1 bundle .* \(got keys alerts\)/);
    expect(thrown(() => parseIntelDocument('[1, 2]', 'list.json')).code).toBe('AUTOIR_E_UNKNOWN_FORMAT');
  });

  it('refuses a bundle or event whose lists are not arrays, naming the field', () => {
    const bundleError = thrown(() => parseIntelDocument('{"type": "bundle", "objects": {}}', 'b.json'));
    expect(bundleError.code).toBe('AUTOIR_E_BAD_INPUT');
    expect(bundleError.location).toEqual({ file: 'b.json', field: 'objects' });
    const eventError = thrown(() =>
      parseIntelDocument(JSON.stringify({ Event: mispEvent({ Object: [{ Attribute: 'x' }] }) }), 'e.json'),
    );
    expect(eventError.message).toBe('e.json: field Event.Object[0].Attribute: expected an array');
  });
});
