import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  entityAliases,
  entityTypeOfKey,
  isBuiltInAccount,
  normalizeEntityKey,
  resolveEntity,
  uniqueEntities,
  type AliasLookup,
} from './entity.js';
import {
  normalizeDomain,
  normalizeEmailAddress,
  normalizeHostname,
  normalizeIp,
  normalizeRegistryPath,
  normalizeTimestamp,
  normalizeUrl,
  parseHashList,
} from './entity-values.js';
import {
  createDevice,
  createDomain,
  createFile,
  createIp,
  createMailbox,
  createMailMessage,
  createProcess,
  createRegistryKey,
  createRegistryValue,
  createScheduledTask,
  createService,
  createUrl,
  createUser,
} from './entity-builders.js';

const SHA256 = 'E9196B87D8F0E1BC4D4F2B4B3D2A5F8A9C1D0E2F3A4B5C6D7E8F9A0B1C2D3F92';

describe('device keys', () => {
  it('uses the FQDN, lower-cased, when it is known', () => {
    expect(createDevice({ hostname: 'MKT01.pandalab.com' })?.key).toBe('device:mkt01.pandalab.com');
    expect(createDevice({ hostname: 'MKT01', fqdn: 'MKT01.PandaLab.com.' })?.key).toBe(
      'device:mkt01.pandalab.com',
    );
  });

  it('keeps a bare host name when no FQDN is known, and records the short name', () => {
    const device = createDevice({ hostname: 'WORKSTATION5' });
    expect(device).toMatchObject({ key: 'device:workstation5', hostname: 'workstation5' });
    expect(device?.fqdn).toBeUndefined();
  });

  it('gives no device for an empty name, a dash, or an IP address', () => {
    expect(createDevice({ hostname: '' })).toBeUndefined();
    expect(createDevice({ hostname: '-' })).toBeUndefined();
    expect(createDevice({ hostname: '10.0.5.13' })).toBeUndefined();
  });

  it('registers the short name as an alias of the FQDN and resolves a bare name through it', () => {
    const full = createDevice({ hostname: 'MKT01.pandalab.com' });
    expect(full && entityAliases(full)).toEqual(['device:mkt01']);
    const lookup: AliasLookup = (key) => (key === 'device:mkt01' ? 'device:mkt01.pandalab.com' : undefined);
    const bare = createDevice({ hostname: 'MKT01' });
    expect(bare && resolveEntity(bare, lookup).key).toBe('device:mkt01.pandalab.com');
  });
});

describe('user keys', () => {
  it('reads DOMAIN\\name, a separate domain, and a UPN', () => {
    expect(createUser({ name: 'PANDALAB\\Stevie.Marie' })?.key).toBe('user:pandalab\\stevie.marie');
    expect(createUser({ name: 'stevie.marie', domain: 'PANDALAB' })?.key).toBe('user:pandalab\\stevie.marie');
    expect(createUser({ upn: 'Stevie.Marie@PandaLab.com' })?.key).toBe('user:stevie.marie@pandalab.com');
    expect(createUser({ name: 'stevie.marie@pandalab.com' })?.key).toBe('user:stevie.marie@pandalab.com');
  });

  it('maps well-known SIDs to their account whatever the name says', () => {
    expect(createUser({ sid: 'S-1-5-18', name: 'SYSTEM', domain: 'NT AUTHORITY' })?.key).toBe(
      'user:nt authority\\system',
    );
    expect(createUser({ sid: 'S-1-5-18' })?.key).toBe('user:nt authority\\system');
    expect(isBuiltInAccount(createUser({ sid: 'S-1-5-20' })!)).toBe(true);
    expect(isBuiltInAccount(createUser({ name: 'pandalab\\pedro' })!)).toBe(false);
  });

  it('resolves a UPN or SID to the domain account that was seen with it', () => {
    const account = createUser({
      name: 'pedro.gustavo',
      domain: 'PANDALAB',
      upn: 'pedro.gustavo@pandalab.com',
      sid: 'S-1-5-21-1-2-3-1104',
    })!;
    expect(entityAliases(account).sort()).toEqual([
      'user:pedro.gustavo@pandalab.com',
      'user:s-1-5-21-1-2-3-1104',
    ]);
    const aliases = new Map(entityAliases(account).map((alias) => [alias, account.key]));
    const bySid = createUser({ sid: 'S-1-5-21-1-2-3-1104' })!;
    const byUpn = createUser({ upn: 'PEDRO.GUSTAVO@pandalab.com' })!;
    expect(resolveEntity(bySid, (key) => aliases.get(key)).key).toBe('user:pandalab\\pedro.gustavo');
    expect(resolveEntity(byUpn, (key) => aliases.get(key)).key).toBe('user:pandalab\\pedro.gustavo');
  });

  it('resolves a SID to the UPN it was seen with when no domain account is known', () => {
    const cloud = createUser({ upn: 'ana@contoso.com', sid: 'S-1-12-1-42' })!;
    expect(entityAliases(cloud)).toEqual(['user:s-1-12-1-42']);
    const bySid = createUser({ sid: 'S-1-12-1-42' })!;
    expect(resolveEntity(bySid, (key) => (key === 'user:s-1-12-1-42' ? cloud.key : undefined)).key).toBe(
      'user:ana@contoso.com',
    );
  });

  it('gives no user when nothing names one', () => {
    expect(createUser({ name: '-', domain: '-' })).toBeUndefined();
    expect(createUser({})).toBeUndefined();
  });
});

describe('file keys', () => {
  it('prefers sha256, then sha1, then md5', () => {
    expect(createFile({ sha256: SHA256, sha1: 'a'.repeat(40) })?.key).toBe(
      `file:sha256:${SHA256.toLowerCase()}`,
    );
    expect(createFile({ sha1: 'A'.repeat(40), md5: 'b'.repeat(32) })?.key).toBe(
      `file:sha1:${'a'.repeat(40)}`,
    );
    expect(createFile({ md5: 'B'.repeat(32) })?.key).toBe(`file:md5:${'b'.repeat(32)}`);
  });

  it('ignores a malformed or all-zero hash rather than keying on it', () => {
    expect(createFile({ sha256: 'xyz', sha1: '0'.repeat(40), md5: 'c'.repeat(32) })?.key).toBe(
      `file:md5:${'c'.repeat(32)}`,
    );
  });

  it('keys a file without hashes by device and path, Windows paths case-insensitively', () => {
    expect(
      createFile({ path: 'C:\\Users\\Stevie\\Downloads\\A.exe', device: 'MKT01.pandalab.com' })?.key,
    ).toBe('file:path:mkt01.pandalab.com:c:\\users\\stevie\\downloads\\a.exe');
    expect(createFile({ path: '/tmp/Payload', device: 'web1' })?.key).toBe('file:path:web1:/tmp/Payload');
    expect(createFile({ path: 'C:\\x.exe' })).toBeUndefined();
  });

  it('joins directory and name the way the directory is written', () => {
    expect(
      createFile({ sha256: SHA256, directory: 'C:\\Program Files\\temp', name: 'MsSense.exe' })?.path,
    ).toBe('C:\\Program Files\\temp\\MsSense.exe');
    expect(createFile({ sha256: SHA256, directory: 'C:\\tools\\xcmd', name: 'cmd.exe' })?.path).toBe(
      'C:\\tools\\xcmd\\cmd.exe',
    );
    expect(createFile({ sha256: SHA256, directory: '/opt/app', name: 'app' })?.path).toBe('/opt/app/app');
    expect(createFile({ sha256: SHA256, directory: '/usr/bin', name: 'nc' })).toMatchObject({
      path: '/usr/bin/nc',
      name: 'nc',
    });
  });

  it('parses a Sysmon Hashes field', () => {
    expect(
      parseHashList(
        `SHA1=${'A'.repeat(40)},MD5=${'B'.repeat(32)},SHA256=${SHA256},IMPHASH=${'C'.repeat(32)}`,
      ),
    ).toEqual({
      sha1: 'a'.repeat(40),
      md5: 'b'.repeat(32),
      sha256: SHA256.toLowerCase(),
    });
  });
});

describe('process keys', () => {
  it('uses the process GUID when there is one', () => {
    expect(
      createProcess({
        device: 'MKT01.pandalab.com',
        pid: 4780,
        guid: '{A98268C1-9C2E-5ACD-0000-0010396CAB00}',
      })?.key,
    ).toBe('process:mkt01.pandalab.com:a98268c1-9c2e-5acd-0000-0010396cab00');
  });

  it('otherwise uses pid@start, to the millisecond in UTC', () => {
    expect(
      createProcess({ device: 'tempDns', pid: 4780, startedAt: '2021-08-12T12:43:19.0772577Z' })?.key,
    ).toBe('process:tempdns:4780@2021-08-12t12:43:19.077z');
    expect(
      createProcess({ device: 'h', pid: '0x12ac', startedAt: '2021-08-12T14:43:19.077+02:00' })?.key,
    ).toBe('process:h:4780@2021-08-12t12:43:19.077z');
  });

  it('needs a device and a pid or GUID', () => {
    expect(createProcess({ pid: 1 })).toBeUndefined();
    expect(createProcess({ device: 'h' })).toBeUndefined();
  });

  it('follows its device when the bare host name resolves to an FQDN', () => {
    const process = createProcess({
      device: 'MKT01',
      pid: 1,
      startedAt: 0,
      parentKey: 'process:mkt01:2@1970-01-01t00:00:00.000z',
    })!;
    const resolved = resolveEntity(process, (key) =>
      key === 'device:mkt01' ? 'device:mkt01.pandalab.com' : undefined,
    );
    expect(resolved.key).toBe('process:mkt01.pandalab.com:1@1970-01-01t00:00:00.000z');
    expect(resolved).toMatchObject({ parentKey: 'process:mkt01.pandalab.com:2@1970-01-01t00:00:00.000z' });
  });
});

describe('network and mail keys', () => {
  it('canonicalises IPv4 and IPv6', () => {
    expect(createIp({ address: '010.000.005.013' })?.key).toBe('ip:10.0.5.13');
    expect(createIp({ address: '2001:0DB8:0000:0000:0000:0000:0000:0001' })?.key).toBe('ip:2001:db8::1');
    expect(createIp({ address: '::ffff:10.0.5.13' })?.key).toBe('ip:10.0.5.13');
    expect(createIp({ address: 'fe80::1%eth0' })?.key).toBe('ip:fe80::1');
    expect(createIp({ address: '256.1.1.1' })).toBeUndefined();
    expect(createIp({ address: 'example.com' })).toBeUndefined();
  });

  it('normalises domains and refuses IPs and junk', () => {
    expect(createDomain({ name: 'WWW.Example.COM.' })?.key).toBe('domain:www.example.com');
    expect(createDomain({ name: 'evil[.]example[.]com' })?.key).toBe('domain:evil.example.com');
    expect(normalizeDomain('bücher.example')).toBe('xn--bcher-kva.example');
    expect(normalizeDomain('10.0.0.1')).toBeUndefined();
    expect(normalizeDomain('not a domain')).toBeUndefined();
  });

  it('normalises URLs: scheme and host lower-case, default port and fragment gone, path case kept', () => {
    expect(createUrl({ url: 'HTTP://Evil.Example.com:80/Pay/Load.exe?A=1#frag' })?.key).toBe(
      'url:http://evil.example.com/Pay/Load.exe?A=1',
    );
    expect(createUrl({ url: 'hxxps://evil[.]example[.]com/x' })?.key).toBe('url:https://evil.example.com/x');
    expect(normalizeUrl('10.0.5.13/winx64_payload.exe')).toBe('http://10.0.5.13/winx64_payload.exe');
    expect(normalizeUrl('evil.example.com:8080/x')).toBe('http://evil.example.com:8080/x');
    expect(normalizeUrl('javascript:alert(1)')).toBeUndefined();
    expect(normalizeUrl('not a url')).toBeUndefined();
  });

  it('reads mailboxes with display names and message ids with brackets', () => {
    expect(createMailbox({ address: '"Alice A." <Alice@Example.COM>' })?.key).toBe(
      'mailbox:alice@example.com',
    );
    expect(normalizeEmailAddress('no-at-sign')).toBeUndefined();
    expect(createMailMessage({ messageId: '<ABC.123@mail.example.com>' })?.key).toBe(
      'mailMessage:abc.123@mail.example.com',
    );
  });
});

describe('registry and other device-scoped keys', () => {
  it('shortens hives however they are spelled', () => {
    const expected = 'registryKey:hklm\\system\\controlset001\\control\\wmi\\autologger\\senseauditlogger';
    expect(
      createRegistryKey({
        hive: 'HKEY_LOCAL_MACHINE',
        path: 'SYSTEM\\CONTROLSET001\\CONTROL\\WMI\\AUTOLOGGER\\SENSEAUDITLOGGER',
      })?.key,
    ).toBe(expected);
    expect(
      createRegistryKey({
        path: '\\REGISTRY\\MACHINE\\SYSTEM\\ControlSet001\\Control\\WMI\\Autologger\\SenseAuditLogger',
      })?.key,
    ).toBe(expected);
    expect(
      normalizeRegistryPath('HKU\\S-1-5-21-1\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\'),
    ).toBe('hku\\s-1-5-21-1\\software\\microsoft\\windows\\currentversion\\run');
  });

  it('keys a registry value by its key path and value name', () => {
    expect(createRegistryValue({ keyPath: 'HKCU\\Software\\Run', valueName: 'Updater' })?.key).toBe(
      'registryValue:hkcu\\software\\run\\updater',
    );
    expect(createRegistryValue({ keyPath: 'HKCU\\Software\\Run', valueName: '' })?.key).toBe(
      'registryValue:hkcu\\software\\run\\(default)',
    );
  });

  it('scopes services and scheduled tasks to their device', () => {
    expect(createService({ device: 'DC01.corp.local', name: 'PSEXESVC' })?.key).toBe(
      'service:dc01.corp.local:psexesvc',
    );
    expect(createScheduledTask({ device: 'h1', name: 'Microsoft\\Updater' })?.key).toBe(
      'scheduledTask:h1:\\microsoft\\updater',
    );
  });
});

describe('entity helpers', () => {
  it('normalises keys as people type them', () => {
    expect(normalizeEntityKey('device:MKT01.PandaLab.com')).toBe('device:mkt01.pandalab.com');
    expect(normalizeEntityKey('MailMessage:<ABC@X>')).toBe('mailMessage:abc@x');
    expect(normalizeEntityKey('url:HTTP://Evil.Example.com/Pay')).toBe('url:http://evil.example.com/Pay');
    expect(normalizeEntityKey('file:path:WEB1:/tmp/Payload')).toBe('file:path:web1:/tmp/Payload');
    expect(normalizeEntityKey('file:SHA256:ABC')).toBe('file:sha256:abc');
  });

  it('reads the type of a key', () => {
    expect(entityTypeOfKey('file:sha256:ab')).toBe('file');
    expect(entityTypeOfKey('mailMessage:x@y')).toBe('mailMessage');
    expect(entityTypeOfKey('nope:x')).toBeUndefined();
  });

  it('merges duplicates, uniting roles and filling missing attributes', () => {
    const a = createFile({ sha256: SHA256, roles: ['created'] });
    const b = createFile({ sha256: SHA256, path: 'C:\\a.exe', roles: ['loaded'] });
    const merged = uniqueEntities([a, b, undefined]);
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({ path: 'C:\\a.exe', roles: ['created', 'loaded'] });
  });

  it('prints type then key first', () => {
    expect(Object.keys(createIp({ address: '1.2.3.4', roles: ['source'] })!)).toEqual([
      'type',
      'key',
      'address',
      'roles',
    ]);
  });

  it('normalises timestamps to ISO UTC milliseconds', () => {
    expect(normalizeTimestamp('2021-04-27T12:19:27.7211305Z')).toBe('2021-04-27T12:19:27.721Z');
    expect(normalizeTimestamp('2020-05-02 03:29:56.123')).toBe('2020-05-02T03:29:56.123Z');
    expect(normalizeTimestamp(1_600_000_000_000)).toBe('2020-09-13T12:26:40.000Z');
    expect(normalizeTimestamp('yesterday')).toBeUndefined();
    expect(normalizeTimestamp(1_600_000_000)).toBe('2020-09-13T12:26:40.000Z');
    expect(normalizeTimestamp('1600000000.5')).toBe('2020-09-13T12:26:40.500Z');
    expect(normalizeTimestamp('2024-02-30T00:00:00Z')).toBeUndefined();
    expect(normalizeTimestamp('2024-02-29T00:00:00Z')).toBe('2024-02-29T00:00:00.000Z');
  });
});

describe('normalisers are idempotent', () => {
  it('for host names, IPs, domains, URLs and e-mail addresses', () => {
    const check = (normalize: (value: string) => string | undefined) => (value: string) => {
      const once = normalize(value);
      if (once !== undefined) expect(normalize(once)).toBe(once);
    };
    fc.assert(fc.property(fc.domain(), check(normalizeDomain)));
    fc.assert(
      fc.property(fc.webUrl({ withFragments: true, withQueryParameters: true }), check(normalizeUrl)),
    );
    fc.assert(fc.property(fc.emailAddress(), check(normalizeEmailAddress)));
    fc.assert(fc.property(fc.oneof(fc.ipV4(), fc.ipV6(), fc.ipV4Extended()), check(normalizeIp)));
    fc.assert(
      fc.property(fc.domain(), (value) => {
        const once = normalizeHostname(value);
        if (once) expect(normalizeHostname(once.fqdn ?? once.hostname)).toEqual(once);
      }),
    );
  });

  it('for every valid IP, whatever its spelling', () => {
    fc.assert(fc.property(fc.ipV6(), (value) => normalizeIp(value) !== undefined));
    fc.assert(fc.property(fc.ipV4(), (value) => normalizeIp(value) === value));
  });
});
