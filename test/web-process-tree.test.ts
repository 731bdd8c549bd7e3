/**
 * A device's process tree (web/src/process-tree.ts) from the records OTRF's LSASS campaign holds for consent.exe:
 * Sysmon's start (GUID keys) and the Security log's 4688 of the same process (pid@time key, parent by pid) are one
 * process; a parent known by pid alone is the latest process with that pid started before the child.
 */
import { describe, expect, it } from 'vitest';
import { processTree } from '../web/src/process-tree.js';

const host = 'process:mkt01.pandalab.com';
const sysmon = (guid: string, parentGuid: string, time: string, image: string, pid: number) => ({
  id: `s-${guid}`,
  time,
  processKey: `${host}:${guid}`,
  parentProcessKey: `${host}:${parentGuid}`,
  imagePath: image,
  details: { pid },
});
const security = (pid: number, parentPid: number, time: string, image: string) => ({
  id: `w-${pid}-${time}`,
  time,
  processKey: `${host}:${pid}@${time.toLowerCase()}`,
  parentProcessKey: `${host}:${parentPid}`,
  imagePath: image,
});

describe('process tree', () => {
  it('shows a process Sysmon and the Security log both saw start once, under its parent', () => {
    const svchost = sysmon(
      'd16f',
      'd0aa',
      '2023-08-15T08:00:00.000Z',
      'C:\\Windows\\System32\\svchost.exe',
      6108,
    );
    const events = [
      security(3672, 6108, '2023-08-15T09:54:19.667Z', 'C:\\Windows\\System32\\consent.exe'),
      sysmon('567b', 'd16f', '2023-08-15T09:54:19.672Z', 'C:\\Windows\\System32\\consent.exe', 3672),
      svchost,
      // Only in the Security log: a child of consent.exe known by its pid.
      security(4000, 3672, '2023-08-15T09:54:20.000Z', 'C:\\Windows\\System32\\notepad.exe'),
    ];
    const roots = processTree(events);
    expect(roots.map((node) => node.event.imagePath)).toEqual([svchost.imagePath]);
    const consent = roots[0]!.children;
    expect(consent).toHaveLength(1);
    expect(consent[0]!.event.processKey).toBe(`${host}:567b`);
    expect(consent[0]!.keys.sort()).toEqual([`${host}:3672@2023-08-15t09:54:19.667z`, `${host}:567b`].sort());
    expect(consent[0]!.children.map((node) => node.event.imagePath)).toEqual([
      'C:\\Windows\\System32\\notepad.exe',
    ]);
  });

  it('keeps two processes apart that share a pid at different times, or a program within the same second', () => {
    const events = [
      sysmon('a', 'x', '2023-08-15T09:00:00.000Z', 'C:\\Windows\\System32\\cmd.exe', 100),
      sysmon('b', 'x', '2023-08-15T10:00:00.000Z', 'C:\\Windows\\System32\\cmd.exe', 100),
      sysmon('c', 'x', '2023-08-15T10:00:00.100Z', 'C:\\Windows\\System32\\conhost.exe', 200),
      sysmon('d', 'x', '2023-08-15T10:00:00.200Z', 'C:\\Windows\\System32\\conhost.exe', 201),
      // A child of pid 100 at 10:30 belongs to the cmd.exe started at 10:00, not the one of 09:00.
      security(300, 100, '2023-08-15T10:30:00.000Z', 'C:\\Windows\\System32\\whoami.exe'),
    ];
    const roots = processTree(events);
    expect(roots).toHaveLength(4);
    expect(roots.find((node) => node.event.processKey === `${host}:b`)?.children).toHaveLength(1);
    expect(roots.find((node) => node.event.processKey === `${host}:a`)?.children).toHaveLength(0);
  });
});
