/**
 * Every format against its fixtures (test/fixtures/alerts, sources in NOTICE.md), plus malformed input per format.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AlertDraft } from '../../domain/alert.js';
import { isAutoirError } from '../../domain/errors.js';
import { parseBody, parseItem } from '../items.js';
import { formatById, sniffFormat } from './index.js';

const fixtures = path.resolve(import.meta.dirname, '../../../test/fixtures/alerts');
const read = (file: string) => readFileSync(path.join(fixtures, file), 'utf8');

/** Parse a fixture the way ingest does (sniffing, envelopes, NDJSON) and return the alerts. */
async function alertsOf(file: string): Promise<AlertDraft[]> {
  const items = await parseBody(read(file));
  const failures = items.filter((item) => !item.outcome.ok);
  expect(failures.map((item) => !item.outcome.ok && item.outcome.error.message)).toEqual([]);
  return items.flatMap((item) => (item.outcome.ok ? item.outcome.inputs.map((input) => input.draft) : []));
}

const keys = (alert: AlertDraft | undefined) => alert?.entities.map((entity) => entity.key) ?? [];

/** Parse one record with a forced format and return the error (or fail). */
function errorOf(formatId: string, record: unknown): { message: string; field: string | undefined } {
  const outcome = parseItem(record, JSON.stringify(record), formatById(formatId));
  if (outcome.ok) throw new Error(`expected ${formatId} to refuse ${JSON.stringify(record).slice(0, 80)}`);
  expect(isAutoirError(outcome.error)).toBe(true);
  return { message: outcome.error.message, field: outcome.error.location?.field };
}

describe('msgraph (Microsoft Graph alerts_v2)', () => {
  it('reads the documented example with its device, file, process, user and registry key', async () => {
    const [alert] = await alertsOf('msgraph/alert_v2_get_example.json');
    expect(alert).toMatchObject({
      source: 'microsoftDefenderForEndpoint',
      sourceRef: 'da637578995287051192_756343937',
      title: 'Suspicious execution of hidden file',
      severity: 'low',
      category: 'defenseEvasion',
      mitreTechniques: ['T1564.001'],
      createdAt: '2021-04-27T12:19:27.721Z',
    });
    expect(keys(alert)).toEqual(
      expect.arrayContaining([
        'device:tempdns',
        'file:sha256:8963a19fb992ad9a76576c5638fd68292cffb9aaac29eb8285f9abf6196a7dec',
        'process:tempdns:4780@2021-08-12t12:43:19.077z',
        'process:tempdns:668@2021-08-12t07:39:09.090z',
        'user:nt authority\\system',
        'registryKey:hklm\\system\\controlset001\\control\\wmi\\autologger\\senseauditlogger',
      ]),
    );
    const process = alert?.entities.find((entity) => entity.key.startsWith('process:tempdns:4780'));
    expect(process).toMatchObject({
      imageKey: 'file:sha256:8963a19fb992ad9a76576c5638fd68292cffb9aaac29eb8285f9abf6196a7dec',
      parentKey: 'process:tempdns:668@2021-08-12t07:39:09.090z',
      userKey: 'user:nt authority\\system',
      commandLine: '"MsSense.exe"',
    });
    expect(alert?.entities.find((entity) => entity.type === 'device')).toMatchObject({
      roles: ['compromised'],
      ips: ['1.1.1.1'],
    });
  });

  it('reads a Graph list response ({ value: [...] }) as its alerts', async () => {
    const single = JSON.parse(read('msgraph/alert_v2_get_example.json')) as Record<string, unknown>;
    const body = JSON.stringify({
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#security/alerts_v2',
      value: [single, { ...single, id: 'other' }],
    });
    const items = await parseBody(body);
    expect(items.map((item) => item.outcome.ok && item.outcome.inputs[0]?.draft.sourceRef)).toEqual([
      'da637578995287051192_756343937',
      'other',
    ]);
  });

  it('refuses an alert without an id, and names a wrongly typed evidence field', () => {
    const good = JSON.parse(read('msgraph/alert_v2_get_example.json')) as Record<string, unknown>;
    const { id: _id, ...withoutId } = good;
    expect(errorOf('msgraph', withoutId)).toMatchObject({
      field: 'id',
      message: expect.stringMatching(/id: required string is missing/),
    });
    const evidence = structuredClone(good.evidence) as Record<string, unknown>[];
    (evidence[1]!.fileDetails as Record<string, unknown>).sha256 = 42;
    expect(errorOf('msgraph', { ...good, evidence })).toMatchObject({
      field: 'fileDetails.sha256',
      message: expect.stringMatching(/evidence\[1\]: fileDetails\.sha256: expected string, got number 42/),
    });
  });
});

describe('ocsf (Detection Finding 2004)', () => {
  it('reads a finding with process, file, user and network evidence', async () => {
    const [alert] = await alertsOf('ocsf/lsass-access-detection-finding.json');
    expect(alert).toMatchObject({
      source: 'Sysmon rules',
      sourceRef: 'lsass-campaign-01-payload-lsass-access',
      severity: 'high',
      category: 'credentialAccess',
      detector: 'lsass-access-from-user-path',
      mitreTechniques: ['T1003', 'T1003.001'],
      createdAt: '2023-08-15T09:54:31.389Z',
      firstActivityAt: '2023-08-15T09:54:30.987Z',
    });
    expect(keys(alert)).toEqual(
      expect.arrayContaining([
        'device:mkt01.pandalab.com',
        'process:mkt01.pandalab.com:81056205-5686-64dc-3b04-000000000800',
        'process:mkt01.pandalab.com:81056205-d124-64d4-6a00-000000000800',
        'file:sha256:e9196b871670af6307902fc4ca09f7cf3c309ae54b28e10d052ed8741090f928',
        'user:pandalab\\pedro.gustavo',
        'ip:10.0.5.13',
        'ip:10.0.5.20',
      ]),
    );
  });

  it('reads a Security Hub finding, bare and inside its EventBridge envelope', async () => {
    const [bare] = await alertsOf('ocsf/securityhub-v2-guardduty-detection-finding.json');
    const [wrapped] = await alertsOf('ocsf/securityhub-v2-guardduty-eventbridge.json');
    expect(bare).toMatchObject({
      source: 'GuardDuty',
      severity: 'low',
      title: 'An AWS CloudTrail trail Aws-Observability-e2esumoqeui was disabled.',
    });
    expect(wrapped?.sourceRef).toBe(bare?.sourceRef);
  });

  it('refuses a finding without finding_info.uid, naming the field', () => {
    const finding = JSON.parse(read('ocsf/lsass-access-detection-finding.json')) as Record<
      string,
      Record<string, unknown>
    >;
    delete finding.finding_info!.uid;
    expect(errorOf('ocsf', finding)).toMatchObject({ field: 'finding_info.uid' });
    // 1007 would be Process Activity (an event); 2005 (Incident Finding) is neither an alert nor an event class here.
    expect(errorOf('ocsf', { ...finding, class_uid: 2005 })).toMatchObject({ field: 'class_uid' });
  });
});

describe('elastic (Elastic Security alerts)', () => {
  it('reads an endpoint alert: host, user, process and parent with hashes', async () => {
    const [alert] = await alertsOf('elastic/endpoint-ransomware-alert.json');
    expect(alert).toMatchObject({
      source: 'elasticSecurity',
      sourceRef: 'b69cded994ad2f2724fd7c3dba17a628f9a6281f2185c81be8f168e50ad5b535',
      title: 'Ransomware Detection Alert',
      severity: 'critical',
      category: 'malware',
      detector: '9a1a2dae-0b5f-4c3d-8305-a268d404c306',
      firstActivityAt: '2023-02-16T03:58:43.275Z',
    });
    expect(keys(alert)).toEqual(
      expect.arrayContaining([
        'device:ec2amaz-77fh04j',
        'user:ec2amaz-77fh04j\\administrator',
        'file:sha256:1c84c8632c5269f24876ed9f49fa810b49f77e1e92e8918fc164c34b020f9a94',
        'file:sha256:567be4d1e15f4ff96d92e7d28e191076f5813f50be96bf4c3916e4ecf53f66cd',
      ]),
    );
    const processes = alert?.entities.filter((entity) => entity.type === 'process') ?? [];
    expect(processes).toHaveLength(2);
    expect(processes.find((process) => process.roles === undefined)).toMatchObject({
      pid: 6108,
      parentKey: processes.find((process) => process.roles?.includes('parent'))?.key,
    });
  });

  it('reads epoch-millisecond timestamps and undoes doubled backslashes in paths', async () => {
    const [alert] = await alertsOf('elastic/winlogbeat-file-rule-alert.json');
    expect(alert?.createdAt).toBe('2022-10-27T12:24:19.714Z');
    expect(
      alert?.entities.find((entity) => entity.type === 'file' && entity.name === '.winlogbeat.yml'),
    ).toMatchObject({
      key: 'file:path:siem-windows-endpoint:c:\\programdata\\winlogbeat\\.winlogbeat.yml',
      path: 'C:\\ProgramData\\winlogbeat\\.winlogbeat.yml',
    });
    expect(alert?.entities.find((entity) => entity.type === 'process')).toMatchObject({
      imagePath: 'C:\\Program Files\\Winlogbeat\\winlogbeat.exe',
    });
    expect(keys(alert)).toContain('user:nt authority\\system');
  });

  it('reads a document wrapped in an Elasticsearch search response', async () => {
    const source = JSON.parse(read('elastic/winlogbeat-file-rule-alert.json')) as Record<string, unknown>;
    const body = JSON.stringify({
      took: 3,
      timed_out: false,
      hits: { hits: [{ _index: '.alerts-security.alerts-default', _id: 'abc', _source: source }] },
    });
    const items = await parseBody(body);
    expect(items).toHaveLength(1);
    expect(items[0]?.outcome.ok && items[0].outcome.format.id).toBe('elastic');
  });

  it('refuses an alert without a rule name or a usable timestamp', () => {
    const source = JSON.parse(read('elastic/winlogbeat-file-rule-alert.json')) as Record<string, unknown>;
    const { 'kibana.alert.rule.name': _name, ...withoutName } = source;
    expect(errorOf('elastic', withoutName)).toMatchObject({ field: 'kibana.alert.rule.name' });
    expect(errorOf('elastic', { ...source, '@timestamp': 'yesterday' })).toMatchObject({
      field: '@timestamp',
    });
  });
});

describe('wazuh', () => {
  it('reads a Sysmon alert: agent device, process with hashes and parent, user, techniques', async () => {
    const [alert] = await alertsOf('wazuh/sysmon-process-create-lsass-campaign-01.json');
    expect(alert).toMatchObject({
      source: 'wazuh',
      sourceRef: 'wazuh-manager/1692093271.2202345',
      severity: 'high',
      category: 'execution',
      detector: 'wazuh:100210',
      mitreTechniques: ['T1204.002'],
    });
    expect(keys(alert)).toEqual(
      expect.arrayContaining([
        'device:mkt01.pandalab.com',
        'user:pandalab\\pedro.gustavo',
        'file:sha256:e9196b871670af6307902fc4ca09f7cf3c309ae54b28e10d052ed8741090f928',
        'process:mkt01.pandalab.com:81056205-5686-64dc-3b04-000000000800',
        'process:mkt01.pandalab.com:81056205-d124-64d4-6a00-000000000800',
      ]),
    );
    const process = alert?.entities.find(
      (entity) => entity.key === 'process:mkt01.pandalab.com:81056205-5686-64dc-3b04-000000000800',
    );
    expect(process).toMatchObject({
      commandLine: '"C:\\Users\\stevie.marie\\Downloads\\winx64_payload.exe"',
      imagePath: 'C:\\Users\\stevie.marie\\Downloads\\winx64_payload.exe',
    });
  });

  it('reads an sshd alert with source IP and user, and a file-integrity alert with the changed file', async () => {
    const [ssh] = await alertsOf('wazuh/sshd-invalid-user.json');
    expect(ssh).toMatchObject({
      severity: 'low',
      createdAt: '2020-04-17T00:18:20.659Z',
      title: 'sshd: Attempt to login using a non-existent user',
    });
    expect(keys(ssh)).toEqual(['device:ubuntu', 'ip:123.20.109.89', 'user:admin']);
    const [fim] = await alertsOf('wazuh/syscheck-fim-whodata-linux.json');
    expect(fim?.createdAt).toBe('2018-07-10T22:05:28.452Z');
    expect(fim?.entities.find((entity) => entity.type === 'file')).toMatchObject({
      key: 'file:sha256:bfa1c0ec3ebfaac71378cb62101135577521eb200c64d6ee8650efe75160978c',
      path: '/etc/hosts.allow',
      roles: ['edited'],
    });
    expect(keys(fim)).toEqual(
      expect.arrayContaining([
        'device:vpc-agent-debian',
        'user:root',
        'user:smith',
        'process:vpc-agent-debian:82845',
      ]),
    );
  });

  it('refuses an alert whose rule has no level, naming the field', () => {
    const alert = JSON.parse(read('wazuh/sshd-invalid-user.json')) as Record<string, Record<string, unknown>>;
    delete alert.rule!.level;
    expect(errorOf('wazuh', alert)).toMatchObject({ field: 'rule.level' });
  });
});

describe('suricata (EVE JSON)', () => {
  it('reads HTTP alerts with IPs, host and URL', async () => {
    const alerts = await alertsOf('suricata/beats-eve-alerts-http.ndjson');
    expect(alerts).toHaveLength(2);
    expect(alerts[0]).toMatchObject({
      source: 'suricata',
      title: 'ET POLICY curl User-Agent Outbound',
      severity: 'medium',
      detector: '1:2013028',
      createdAt: '2018-10-03T14:42:44.836Z',
    });
    expect(keys(alerts[0])).toEqual([
      'ip:192.168.1.146',
      'ip:93.184.216.34',
      'domain:example.net',
      'url:http://example.net/',
    ]);
  });

  it('skips non-alert events of a mixed eve.json and reads its TLS alert', async () => {
    const items = await parseBody(read('suricata/beats-eve-small-mixed.ndjson'));
    expect(items.filter((item) => !item.outcome.ok)).toEqual([]);
    const alerts = items.flatMap((item) =>
      item.outcome.ok ? item.outcome.inputs.map((input) => input.draft) : [],
    );
    const skipped = items.filter((item) => item.outcome.ok && item.outcome.skipped !== undefined);
    expect(alerts).toHaveLength(1);
    expect(skipped).toHaveLength(items.length - 1);
    expect(alerts[0]).toMatchObject({ severity: 'high', category: 'policyViolation' });
    expect(keys(alerts[0])).toContain('domain:l2.io');
  });

  it('reads ATT&CK techniques from rule metadata', async () => {
    const [alert] = await alertsOf('suricata/beats-eve-metadata.ndjson');
    expect(alert?.mitreTechniques).toEqual(['T1190']);
  });

  it('refuses an alert event without a signature id', () => {
    const line = JSON.parse(read('suricata/beats-eve-alerts-http.ndjson').split('\n')[0]!) as Record<
      string,
      Record<string, unknown>
    >;
    delete line.alert!.signature_id;
    expect(errorOf('suricata', line)).toMatchObject({ field: 'alert.signature_id' });
  });
});

describe('autoir (canonical JSON)', () => {
  it('reads the canonical alert with normalised techniques and entities', async () => {
    const [alert] = await alertsOf('autoir/mkt01-lsass.json');
    expect(alert).toMatchObject({
      source: 'my-edr',
      sourceRef: 'edr-2023-08-15-0001',
      mitreTechniques: ['T1003.001', 'T1204.002'],
      category: 'credentialAccess',
    });
    expect(keys(alert)).toEqual([
      'device:mkt01.pandalab.com',
      'user:pandalab\\pedro.gustavo',
      'file:sha256:e9196b871670af6307902fc4ca09f7cf3c309ae54b28e10d052ed8741090f928',
      'process:mkt01.pandalab.com:81056205-5686-64dc-3b04-000000000800',
      'ip:10.0.5.13',
      'url:http://10.0.5.13/winx64_payload.exe',
    ]);
  });

  it('derives a stable sourceRef from the content when none is given', () => {
    const record = {
      source: 's',
      title: 't',
      severity: 'low',
      createdAt: '2024-01-01T00:00:00Z',
      entities: [],
    };
    const first = parseItem(record, JSON.stringify(record));
    const again = parseItem(record, JSON.stringify(record));
    expect(first.ok && first.inputs[0]?.draft.sourceRef).toMatch(/^sha256:[0-9a-f]{32}$/);
    expect(first.ok && first.inputs[0]?.draft.sourceRef).toBe(again.ok && again.inputs[0]?.draft.sourceRef);
    // Whitespace and key order do not matter: the same alert pretty-printed is the same alert.
    const reordered = {
      entities: [],
      createdAt: '2024-01-01T00:00:00Z',
      severity: 'low',
      title: 't',
      source: 's',
    };
    const pretty = parseItem(reordered, JSON.stringify(reordered, null, 2));
    expect(pretty.ok && pretty.inputs[0]?.draft.sourceRef).toBe(first.ok && first.inputs[0]?.draft.sourceRef);
  });

  it('names the field of each kind of mistake', () => {
    const base = JSON.parse(read('autoir/mkt01-lsass.json')) as Record<string, unknown>;
    expect(errorOf('autoir', { ...base, severity: 'urgent' })).toMatchObject({ field: 'severity' });
    expect(errorOf('autoir', { ...base, createdAt: 'noon' })).toMatchObject({
      field: 'createdAt',
      message: expect.stringMatching(/ISO 8601/),
    });
    expect(errorOf('autoir', { ...base, mitreTechniques: ['credential dumping'] })).toMatchObject({
      field: 'mitreTechniques[0]',
    });
    expect(errorOf('autoir', { ...base, entities: [{ type: 'file', sha256: 'abc' }] })).toMatchObject({
      field: 'entities[0].sha256',
    });
    expect(
      errorOf('autoir', { ...base, entities: [{ type: 'device', hostname: '10.0.0.1' }] }),
    ).toMatchObject({
      field: 'entities[0]',
      message: expect.stringMatching(/device entity needs a valid hostname/),
    });
    expect(
      errorOf('autoir', { ...base, entities: [{ type: 'ip', address: '10.0.0.1', key: 'ip:10.0.0.2' }] }),
    ).toMatchObject({ field: 'entities[0].key' });
    expect(errorOf('autoir', { ...base, surprise: 1 })).toMatchObject({
      message: expect.stringMatching(/surprise/),
    });
  });
});

describe('format sniffing', () => {
  it('recognises every fixture as its own format', () => {
    const cases: [string, string][] = [
      ['msgraph/alert_v2_get_example.json', 'msgraph'],
      ['ocsf/lsass-access-detection-finding.json', 'ocsf'],
      ['elastic/endpoint-ransomware-alert.json', 'elastic'],
      ['wazuh/sshd-invalid-user.json', 'wazuh'],
      ['autoir/mkt01-lsass.json', 'autoir'],
    ];
    for (const [file, format] of cases)
      expect(sniffFormat(JSON.parse(read(file)) as Record<string, unknown>)?.id, file).toBe(format);
    expect(
      sniffFormat(JSON.parse(read('suricata/beats-eve-metadata.ndjson').trim()) as Record<string, unknown>)
        ?.id,
    ).toBe('suricata');
  });

  it('lists the supported formats when none fits', () => {
    const outcome = parseItem({ foo: 1, bar: 2 }, '{"foo":1,"bar":2}');
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.error.code).toBe('AUTOIR_E_UNKNOWN_FORMAT');
    expect(!outcome.ok && outcome.error.message).toMatch(
      /keys foo, bar.*Supported formats: autoir .*msgraph .*ocsf .*elastic .*wazuh .*suricata/,
    );
  });
});
