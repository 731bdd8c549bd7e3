/**
 * How analysts' screens name entities (domain/entity-name.ts, sent by the API beside each entity): as analysts say them, built from the real entity
 * builders' output, the key only when the attributes say nothing better.
 */
import { describe, expect, it } from 'vitest';
import { entityName } from './entity-name.js';
import { createDevice, createFile, createProcess, createUser } from './entity-builders.js';

describe('entityName', () => {
  it('names processes by program, pid and host; devices by host; users by domain\\name; files by name', () => {
    const process = createProcess({
      device: 'mkt01.pandalab.com',
      pid: 1988,
      guid: '81056205-5686-64dc-3b04-000000000800',
      imagePath: 'C:\\Users\\stevie.marie\\Downloads\\winx64_payload.exe',
    })!;
    expect(process.key).toBe('process:mkt01.pandalab.com:81056205-5686-64dc-3b04-000000000800');
    expect(entityName(process)).toBe('winx64_payload.exe (pid 1988) on MKT01');
    expect(entityName(createDevice({ hostname: 'mkt01.pandalab.com' })!)).toBe('MKT01');
    expect(entityName(createUser({ name: 'PANDALAB\\stevie.marie' })!)).toMatch(/stevie\.marie/i);
    const file = createFile({ sha256: 'ab'.repeat(32), path: 'C:\\Users\\kim\\Downloads\\invoice.exe' })!;
    expect(entityName(file)).toBe('invoice.exe');
    expect(entityName(createFile({ sha256: 'ab'.repeat(32) })!)).toBe('file abababababab…');
    const ip = { type: 'ip', key: 'ip:10.0.5.13', address: '10.0.5.13' };
    expect(entityName(ip)).toBe('10.0.5.13');
    expect(entityName({ type: 'somethingNew', key: 'thing:1' })).toBe('thing:1');
  });

  it('names what only a key is known of (an action an analyst asked for) from the key', () => {
    expect(entityName({ type: 'ip', key: 'ip:10.0.5.13' })).toBe('10.0.5.13');
    expect(entityName({ type: 'device', key: 'device:mkt01.pandalab.com' })).toBe('MKT01');
    expect(entityName({ type: 'user', key: 'user:pandalab\\pedro.gustavo' })).toBe('pandalab\\pedro.gustavo');
    expect(entityName({ type: 'process', key: 'process:mkt01.pandalab.com:81056205-5686' })).toBe(
      'process on MKT01',
    );
    expect(entityName({ type: 'file', key: `file:sha256:${'ab'.repeat(32)}` })).toBe('file abababababab…');
    expect(entityName({ type: 'service', key: 'service:mkt01.pandalab.com:rtcpef' })).toBe('rtcpef on MKT01');
  });
});
