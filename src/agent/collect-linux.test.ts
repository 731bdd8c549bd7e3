import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, realpathSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectPackage, procAddress, utmpSessions } from './collect-linux.js';

describe('reading Linux host state', () => {
  it('reads /proc/net addresses, IPv4 and IPv6', () => {
    expect(procAddress('0100007F:1F90')).toEqual({ ip: '127.0.0.1', port: 8080 });
    expect(procAddress('00000000000000000000000001000000:0016')).toEqual({ ip: '::1', port: 22 });
    expect(procAddress('0000000000000000FFFF00000A00000A:01BB')).toEqual({ ip: '10.0.0.10', port: 443 });
  });

  it('reads who is logged on from utmp records', () => {
    const record = (type: number, user: string, line: string, host: string, seconds: number) => {
      const bytes = Buffer.alloc(384);
      bytes.writeInt32LE(type, 0);
      bytes.write(line, 8);
      bytes.write(user, 44);
      bytes.write(host, 76);
      bytes.writeInt32LE(seconds, 340);
      return bytes;
    };
    const sessions = utmpSessions(
      Buffer.concat([record(2, 'reboot', '~', '', 1), record(7, 'kim', 'pts/0', '192.0.2.7', 1_765_000_000)]),
    );
    expect(sessions).toEqual([
      { user: 'kim', terminal: 'pts/0', from: '192.0.2.7', since: new Date(1_765_000_000_000).toISOString() },
    ]);
  });

  it('collects this host: a process running here with its program’s hash and parent, the units', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const pack = await collectPackage();
      const found = pack.processes.find((entry) => entry.pid === child.pid);
      const program = realpathSync('/usr/bin/sleep');
      expect(found?.exe).toBe(program);
      expect(found?.sha256).toBe(createHash('sha256').update(readFileSync(program)).digest('hex'));
      expect(found?.ppid).toBe(process.pid);
      expect(found?.commandLine).toBe('sleep 30');
      expect(pack.autostart.some((entry) => entry.kind === 'systemdUnit')).toBe(true);
      expect(JSON.stringify(pack).length).toBeLessThan(2_000_000);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
