/**
 * How the UI names entities (web/src/format.ts `entityLabel`): as analysts say them, built from the real entity
 * builders' output, the key only when the attributes say nothing better.
 */
import { describe, expect, it } from 'vitest';
import { entityLabel } from '../web/src/format.js';
import { createDevice, createFile, createProcess, createUser } from '../src/domain/entity-builders.js';

describe('entityLabel', () => {
  it('names processes by program, pid and host; devices by host; users by domain\\name; files by name', () => {
    const process = createProcess({
      device: 'mkt01.pandalab.com',
      pid: 1988,
      guid: '81056205-5686-64dc-3b04-000000000800',
      imagePath: 'C:\\Users\\stevie.marie\\Downloads\\winx64_payload.exe',
    })!;
    expect(process.key).toBe('process:mkt01.pandalab.com:81056205-5686-64dc-3b04-000000000800');
    expect(entityLabel(process)).toBe('winx64_payload.exe (pid 1988) on MKT01');
    expect(entityLabel(createDevice({ hostname: 'mkt01.pandalab.com' })!)).toBe('MKT01');
    expect(entityLabel(createUser({ name: 'PANDALAB\\stevie.marie' })!)).toMatch(/stevie\.marie/i);
    const file = createFile({ sha256: 'ab'.repeat(32), path: 'C:\\Users\\kim\\Downloads\\invoice.exe' })!;
    expect(entityLabel(file)).toBe('invoice.exe');
    expect(entityLabel(createFile({ sha256: 'ab'.repeat(32) })!)).toBe('file abababababab…');
    const ip = { type: 'ip', key: 'ip:10.0.5.13', address: '10.0.5.13' };
    expect(entityLabel(ip)).toBe('10.0.5.13');
    expect(entityLabel({ type: 'somethingNew', key: 'thing:1' })).toBe('thing:1');
  });
});
