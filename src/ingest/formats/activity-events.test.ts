/**
 * Activity telemetry into events: Zeek logs, OCSF activity classes, ECS documents and Microsoft 365 audit records.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EventDraft } from '../../domain/event.js';
import { DocumentParser } from '../parse-batch.js';
import { ecsEventFormat } from './ecs-events.js';
import { ocsfFormat } from './ocsf.js';
import { sniffFormat } from './index.js';
import type { windowsFormat } from './windows.js';
import { zeekFormat } from './zeek.js';

const root = path.resolve(import.meta.dirname, '../../..');
const DEVICE = 'device:ws1.corp.example';

function one(result: ReturnType<typeof windowsFormat.parse>): EventDraft {
  if (!('events' in result) || result.events?.length !== 1) throw new Error('expected one event');
  return result.events[0] as EventDraft;
}

const SYSMON = 'Microsoft-Windows-Sysmon/Operational';
const PROCESS = 'process:ws1.corp.example:11111111-2222-3333-4444-555555555555';
const SHA256 = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

describe('Zeek', () => {
  it('reads TSV logs with their headers, and JSON logs, into the same events', async () => {
    const tsv = [
      '#separator \\x09',
      '#set_separator\t,',
      '#empty_field\t(empty)',
      '#unset_field\t-',
      '#path\tdns',
      '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\ttrans_id\tquery\trcode_name\tanswers',
      '#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tcount\tstring\tstring\tvector[string]',
      '1692161622.036086\tCnsu5m395zFmE9ikp4\t192.168.1.41\t52605\t192.168.1.4\t53\tudp\t1\tc2.example.net\tNOERROR\t203.0.113.7,cdn.example.net',
      '1692161622.1\tCbad\t192.168.1.41',
      '',
    ].join('\n');
    const parser = new DocumentParser({ name: 'dns.log' });
    const items = [...parser.push(Buffer.from(tsv)), ...(await parser.end())];
    expect(items[1]).toEqual({
      ok: false,
      error: { line: 9, message: 'zeek: expected 11 tab-separated fields (#fields), found 3' },
    });
    const first = items[0];
    if (!first?.ok) throw new Error('expected an event');
    const json = {
      ts: 1692161622.036086,
      uid: 'Cnsu5m395zFmE9ikp4',
      'id.orig_h': '192.168.1.41',
      'id.orig_p': 52605,
      'id.resp_h': '192.168.1.4',
      'id.resp_p': 53,
      proto: 'udp',
      trans_id: 1,
      query: 'c2.example.net',
      rcode_name: 'NOERROR',
      answers: ['203.0.113.7', 'cdn.example.net'],
    };
    expect(sniffFormat(json)?.id).toBe('zeek');
    const draft = one(zeekFormat.parse(json));
    expect(draft).toMatchObject({
      kind: 'dnsQuery',
      code: 'dns',
      domain: 'c2.example.net',
      outcome: 'success',
      srcIp: '192.168.1.41',
      dstPort: 53,
    });
    expect(draft.keys).toEqual(
      expect.arrayContaining(['ip:203.0.113.7', 'domain:cdn.example.net', 'domain:c2.example.net']),
    );
    // The TSV record is the same event (its raw record is the JSON Zeek would have written, with `_path`).
    expect(first.events[0]?.values.slice(1, 34)).toEqual(
      await (async () => {
        const again = new DocumentParser({ name: 'dns.json' });
        const got = [
          ...again.push(Buffer.from(`${JSON.stringify({ _path: 'dns', ...json })}\n`)),
          ...(await again.end()),
        ];
        return got[0]?.ok ? got[0].events[0]?.values.slice(1, 34) : undefined;
      })(),
    );
  });

  it('reads the other logs: http with its URL, files with hashes, kerberos with the client account', () => {
    const base = {
      ts: 1692161644.0,
      uid: 'C1',
      'id.orig_h': '192.168.1.41',
      'id.orig_p': 55213,
      'id.resp_h': '10.0.5.13',
      'id.resp_p': 8080,
    };
    expect(
      one(
        zeekFormat.parse({
          ...base,
          _path: 'http',
          method: 'GET',
          host: '10.0.5.13',
          uri: '/payload.exe',
          status_code: 200,
        }),
      ),
    ).toMatchObject({ kind: 'httpRequest', url: 'http://10.0.5.13:8080/payload.exe' });
    expect(
      one(
        zeekFormat.parse({
          ...base,
          _path: 'files',
          fuid: 'F1',
          mime_type: 'application/x-dosexec',
          filename: 'payload.exe',
          sha256: SHA256,
        }),
      ),
    ).toMatchObject({ kind: 'fileTransfer', sha256: SHA256, targetPath: 'payload.exe' });
    expect(
      one(
        zeekFormat.parse({
          ...base,
          _path: 'kerberos',
          request_type: 'TGS',
          client: 'alice/CORP.EXAMPLE',
          service: 'cifs/fs01',
          success: true,
        }),
      ),
    ).toMatchObject({ kind: 'kerberosService', userKey: 'user:corp\\alice', outcome: 'success' });
    expect(() => zeekFormat.parse({ ...base, ts: 'yesterday' })).toThrow(/ts is not a time/);
  });
});

describe('OCSF activity events', () => {
  const device = { hostname: 'ws1', domain: 'corp.example' };
  it('Process Activity 1007: launch with parent and hashes', () => {
    const draft = one(
      ocsfFormat.parse({
        class_uid: 1007,
        activity_id: 1,
        time: 1709287200000,
        device,
        process: {
          pid: 4242,
          uid: '11111111-2222-3333-4444-555555555555',
          cmd_line: 'a.exe -x',
          file: { path: 'C:\\Tools\\a.exe', hashes: [{ algorithm_id: 3, value: SHA256 }] },
          parent_process: { pid: 1 },
          user: { name: 'alice', domain: 'CORP' },
        },
      }),
    );
    expect(draft).toMatchObject({
      kind: 'processStart',
      format: 'ocsf',
      code: '1007',
      deviceKey: DEVICE,
      processKey: PROCESS,
      parentProcessKey: 'process:ws1.corp.example:1',
      sha256: SHA256,
      userKey: 'user:corp\\alice',
    });
  });
  it('File 1001, Network 4001, HTTP 4002, DNS 4003, Authentication 3002, Email 4009', () => {
    const at = { time: 1709287200000, device };
    expect(
      one(
        ocsfFormat.parse({
          ...at,
          class_uid: 1001,
          activity_id: 1,
          file: { path: 'C:\\x.exe', hashes: [{ algorithm: 'SHA-256', value: SHA256 }] },
        }),
      ),
    ).toMatchObject({ kind: 'fileCreate', targetPath: 'C:\\x.exe', sha256: SHA256 });
    expect(
      one(
        ocsfFormat.parse({
          ...at,
          class_uid: 4001,
          activity_id: 1,
          src_endpoint: { ip: '10.0.0.5', port: 50000 },
          dst_endpoint: { ip: '203.0.113.7', port: 443, hostname: 'c2.example.net' },
          connection_info: { protocol_name: 'TCP' },
        }),
      ),
    ).toMatchObject({
      kind: 'networkConnection',
      dstIp: '203.0.113.7',
      protocol: 'tcp',
      domain: 'c2.example.net',
    });
    expect(
      one(
        ocsfFormat.parse({
          ...at,
          class_uid: 4002,
          activity_id: 3,
          http_request: { url: { url_string: 'https://c2.example.net/x?y=1' }, user_agent: 'curl' },
          http_response: { code: 404 },
        }),
      ),
    ).toMatchObject({ kind: 'httpRequest', url: 'https://c2.example.net/x?y=1', outcome: 'failure' });
    expect(
      one(
        ocsfFormat.parse({
          ...at,
          class_uid: 4003,
          activity_id: 2,
          query: { hostname: 'c2.example.net' },
          answers: [{ rdata: '203.0.113.7' }],
          rcode_id: 0,
        }),
      ),
    ).toMatchObject({ kind: 'dnsQuery', domain: 'c2.example.net', outcome: 'success' });
    expect(
      one(
        ocsfFormat.parse({
          ...at,
          class_uid: 3002,
          activity_id: 1,
          status_id: 2,
          user: { name: 'alice', domain: 'CORP' },
          src_endpoint: { ip: '198.51.100.3' },
        }),
      ),
    ).toMatchObject({
      kind: 'logonFailed',
      userKey: 'user:corp\\alice',
      srcIp: '198.51.100.3',
      outcome: 'failure',
    });
    const mail = one(
      ocsfFormat.parse({
        ...at,
        class_uid: 4009,
        activity_id: 2,
        email: {
          from: 'billing@pay-portal.example',
          to: ['alice@corp.example'],
          subject: 'Invoice',
          message_uid: '<inv-1@pay-portal.example>',
          urls: [{ url_string: 'http://pay-portal.example/i' }],
        },
        email_auth: { spf: 'fail' },
      }),
    );
    expect(mail).toMatchObject({
      kind: 'emailDelivered',
      mailSender: 'billing@pay-portal.example',
      mailRecipients: ['alice@corp.example'],
      mailMessageId: 'inv-1@pay-portal.example',
      url: 'http://pay-portal.example/i',
      outcome: 'failure',
    });
  });
  it('still reads a Detection Finding 2004 as an alert', () => {
    const finding = JSON.parse(
      readFileSync(path.join(root, 'test/fixtures/alerts/ocsf/lsass-access-detection-finding.json'), 'utf8'),
    ) as Record<string, unknown>;
    const result = ocsfFormat.parse(finding);
    expect('alerts' in result && result.alerts.length).toBe(1);
  });
});

describe('ECS events', () => {
  const base = {
    '@timestamp': '2024-03-01T10:00:00.000Z',
    ecs: { version: '8.11.0' },
    host: { name: 'ws1.corp.example' },
    user: { name: 'alice', domain: 'CORP' },
  };
  it('process start, network, file, registry, dns, authentication', () => {
    const process = {
      entity_id: '{11111111-2222-3333-4444-555555555555}',
      pid: 4242,
      executable: 'C:\\Tools\\a.exe',
      command_line: 'a.exe -x',
      hash: { sha256: SHA256 },
      parent: { pid: 1 },
    };
    const start = {
      ...base,
      event: { category: ['process'], type: ['start'], dataset: 'endpoint.events.process' },
      process,
    };
    expect(sniffFormat(start)?.id).toBe('ecs');
    expect(one(ecsEventFormat.parse(start))).toMatchObject({
      kind: 'processStart',
      source: 'endpoint.events.process',
      processKey: PROCESS,
      sha256: SHA256,
      userKey: 'user:corp\\alice',
      deviceKey: DEVICE,
    });
    expect(
      one(
        ecsEventFormat.parse({
          ...base,
          event: { category: ['network'], type: ['connection'] },
          process,
          source: { ip: '10.0.0.5', port: 50000 },
          destination: { ip: '203.0.113.7', port: 443, domain: 'c2.example.net' },
          network: { transport: 'tcp' },
        }),
      ),
    ).toMatchObject({
      kind: 'networkConnection',
      dstIp: '203.0.113.7',
      domain: 'c2.example.net',
      processKey: PROCESS,
    });
    expect(
      one(
        ecsEventFormat.parse({
          ...base,
          event: { category: ['file'], type: ['creation'] },
          file: { path: 'C:\\x.exe', hash: { sha256: SHA256 } },
        }),
      ),
    ).toMatchObject({ kind: 'fileCreate', targetPath: 'C:\\x.exe', sha256: SHA256 });
    expect(
      one(
        ecsEventFormat.parse({
          ...base,
          event: { category: ['registry'], type: ['change'] },
          registry: { path: 'HKLM\\SOFTWARE\\Run\\x', data: { strings: ['C:\\x.exe'] } },
        }),
      ),
    ).toMatchObject({ kind: 'registrySet', registryValue: 'C:\\x.exe' });
    expect(
      one(
        ecsEventFormat.parse({
          ...base,
          event: { category: ['network'], type: ['protocol'] },
          dns: { question: { name: 'c2.example.net' }, resolved_ip: ['203.0.113.7'] },
        }),
      ),
    ).toMatchObject({ kind: 'dnsQuery', domain: 'c2.example.net' });
    expect(
      one(
        ecsEventFormat.parse({
          ...base,
          event: { category: ['authentication'], type: ['start'], outcome: 'failure' },
          source: { ip: '198.51.100.3' },
        }),
      ),
    ).toMatchObject({ kind: 'logonFailed', outcome: 'failure', srcIp: '198.51.100.3' });
    expect(
      one(
        ecsEventFormat.parse({
          ...base,
          event: { category: ['authentication'], type: ['start'], outcome: 'success' },
          source: {
            ip: '198.51.100.3',
            geo: { location: { lat: 48.85, lon: 2.35 }, city_name: 'Paris', country_iso_code: 'FR' },
          },
        }),
      ).details,
    ).toEqual({ geo: { lat: 48.85, lon: 2.35, city: 'Paris', country: 'FR' } });
  });
  it('leaves Winlogbeat documents to the Windows format and alerts to the elastic format', () => {
    expect(sniffFormat({ ...base, winlog: { event_id: 1, channel: SYSMON } })?.id).toBe('windows');
    expect(sniffFormat({ ...base, 'kibana.alert.rule.name': 'x' })?.id).toBe('elastic');
  });
});

describe('Microsoft 365 audit records', () => {
  it('reads an inbox rule that forwards outside as a mailboxRule event, and sign-ins as logons', async () => {
    const { m365AuditFormat } = await import('./m365-audit.js');
    const rule = {
      CreationTime: '2026-03-02T10:00:00',
      Operation: 'New-InboxRule',
      RecordType: 1,
      Workload: 'Exchange',
      UserId: 'Bob@Corp.example',
      ClientIP: '[2001:db8::7]:443',
      Parameters: [
        { Name: 'Name', Value: 'x' },
        { Name: 'ForwardTo', Value: 'smtp:out@evil.example;"Boss" [SMTP:boss@corp.example]' },
        { Name: 'MoveToFolder', Value: 'RSS Feeds' },
      ],
    };
    expect(sniffFormat(rule)?.id).toBe('m365');
    const event = one(m365AuditFormat.parse(rule));
    expect(event).toMatchObject({
      kind: 'mailboxRule',
      time: Date.parse('2026-03-02T10:00:00Z'),
      srcIp: '2001:db8::7',
      targetPath: 'x',
      mailRecipients: ['bob@corp.example'],
      details: {
        operation: 'New-InboxRule',
        forwardTo: ['out@evil.example', 'boss@corp.example'],
        moveToFolder: 'RSS Feeds',
      },
    });
    expect(event.keys).toEqual(
      expect.arrayContaining(['mailbox:bob@corp.example', 'mailbox:out@evil.example']),
    );
    const login = one(
      m365AuditFormat.parse({
        ...rule,
        Operation: 'UserLoginFailed',
        Workload: 'AzureActiveDirectory',
        Parameters: [],
      }),
    );
    expect(login).toMatchObject({ kind: 'logonFailed', outcome: 'failure' });
    expect(() => m365AuditFormat.parse({ ...rule, CreationTime: 'soon' })).toThrow(/CreationTime/);
  });
});
