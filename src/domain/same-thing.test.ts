import { describe, expect, it } from 'vitest';
import { createFile, createProcess } from './entity-builders.js';
import type { Entity } from './entity.js';
import { aliasesAmong, mergeEntity } from './same-thing.js';

const host = 'mkt01.pandalab.com';
const payload = 'C:\\Users\\stevie.marie\\Downloads\\winx64_payload.exe';
const guid = (n: number) => `81056205-5686-64dc-3b04-00000000080${n}`;
const process = (input: Parameters<typeof createProcess>[0]) =>
  createProcess({ device: host, ...input }) as Entity;
const file = (input: Parameters<typeof createFile>[0]) => createFile({ device: host, ...input }) as Entity;

describe('one real-world thing, one key', () => {
  it('keeps a process under its GUID, with its pid key (and pid@start key) as aliases', () => {
    const sysmon = process({ guid: guid(0), pid: 1988, imagePath: payload });
    const security = process({ pid: 1988, imagePath: payload.toUpperCase() });
    const started = process({ pid: 1988, startedAt: '2023-08-16T09:00:00.500Z' });
    const aliases = aliasesAmong([security, sysmon, started]);
    expect(aliases.get(security.key)).toBe(sysmon.key);
    expect(aliases.get(started.key)).toBe(sysmon.key);
    expect(aliases.has(sysmon.key)).toBe(false);
  });

  it('never joins two GUIDs, another program with the same pid, or another start of the pid', () => {
    const one = process({ guid: guid(0), pid: 6828, imagePath: 'C:\\Windows\\System32\\whoami.exe' });
    const other = process({ guid: guid(1), pid: 6828, imagePath: 'C:\\Windows\\System32\\cmd.exe' });
    const whoami = process({ pid: 6828, imagePath: 'C:\\Windows\\System32\\whoami.exe' });
    expect(aliasesAmong([one, other])).toEqual(new Map());
    expect(aliasesAmong([one, other, whoami]).get(whoami.key)).toBe(one.key);
    const later = process({ guid: guid(2), pid: 77, startedAt: '2023-08-16T09:00:00Z' });
    const earlier = process({ pid: 77, startedAt: '2023-08-16T08:00:00Z' });
    expect(aliasesAmong([later, earlier])).toEqual(new Map());
  });

  it('leaves an ambiguous pid key alone: two GUID processes with that pid and name (the pid was reused)', () => {
    const first = process({ guid: guid(0), pid: 500, imagePath: 'C:\\Windows\\System32\\cmd.exe' });
    const second = process({ guid: guid(1), pid: 500, imagePath: 'C:\\Windows\\System32\\cmd.exe' });
    const weak = process({ pid: 500, imagePath: 'C:\\Windows\\System32\\cmd.exe' });
    expect(aliasesAmong([first, second, weak])).toEqual(new Map());
  });

  it('keeps a file under its hash, with its path key as an alias, seen at either of its paths', () => {
    const hash = 'e9196b871670af6307902fc4ca09f7cf3c309ae54b28e10d052ed8741090f928';
    const downloaded = file({ sha256: hash, path: 'C:\\Users\\x\\Downloads\\33c9c0fd.tmp' });
    const renamed = file({ sha256: hash, path: payload });
    const byPath = file({ path: payload.toLowerCase() });
    expect(aliasesAmong([downloaded, byPath])).toEqual(new Map());
    expect(aliasesAmong([downloaded, byPath, renamed]).get(byPath.key)).toBe(downloaded.key);
    // Another device's file at that path is another file.
    const elsewhere = createFile({ device: 'acct01', path: payload }) as Entity;
    expect(aliasesAmong([renamed, elsewhere])).toEqual(new Map());
  });

  it('merges what the alias knows into the entity kept', () => {
    const kept = process({ guid: guid(0), pid: 1988 });
    const alias = process({ pid: 1988, imagePath: payload, commandLine: 'payload.exe -x' });
    const merged = mergeEntity(kept, alias) as Entity & { imagePath?: string; guid?: string };
    expect(merged.key).toBe(kept.key);
    expect(merged.guid).toBe(guid(0));
    expect(merged.imagePath).toBe(payload);
  });
});
