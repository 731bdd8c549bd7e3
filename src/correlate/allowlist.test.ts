/** MISP warninglists: each type matches as MISP defines it; a malformed list is refused with its file and field. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Entity } from '../domain/entity.js';
import { createAllowlist, loadWarninglists, parseWarninglist } from './allowlist.js';
import { defaultAllowlist } from './correlator.js';
import { createDomain, createFile, createIp, createMailbox, createUrl } from '../domain/entity-builders.js';

const entity = <T>(value: T | undefined) => value as unknown as Entity;

describe('MISP warninglists', () => {
  it('matches by type: string, substring, hostname (and subdomains), cidr, regex', () => {
    const lists = createAllowlist([
      parseWarninglist({ name: 'hashes', type: 'string', list: ['A'.repeat(64)] }, 'a.json'),
      parseWarninglist({ name: 'cdn', type: 'substring', list: ['cloudfront'] }, 'b.json'),
      parseWarninglist({ name: 'ms', type: 'hostname', list: ['windowsupdate.com', '.live.com'] }, 'c.json'),
      parseWarninglist({ name: 'dns', type: 'cidr', list: ['8.8.8.0/24', '2001:4860::/32'] }, 'd.json'),
      parseWarninglist({ name: 'mail', type: 'regex', list: ['/^no-?reply@/i'] }, 'e.json'),
    ]);
    expect(lists.match(entity(createFile({ sha256: 'a'.repeat(64) })))).toBe('hashes');
    expect(lists.match(entity(createDomain({ name: 'd1.cloudfront.net' })))).toBe('cdn');
    expect(lists.match(entity(createDomain({ name: 'ctldl.windowsupdate.com' })))).toBe('ms');
    expect(lists.match(entity(createDomain({ name: 'windowsupdate.com' })))).toBe('ms');
    expect(lists.match(entity(createDomain({ name: 'notwindowsupdate.com' })))).toBeUndefined();
    expect(lists.match(entity(createUrl({ url: 'https://login.live.com/x' })))).toBe('ms');
    expect(lists.match(entity(createIp({ address: '8.8.8.8' })))).toBe('dns');
    expect(lists.match(entity(createIp({ address: '2001:4860:4860::8888' })))).toBe('dns');
    expect(lists.match(entity(createIp({ address: '9.9.9.9' })))).toBeUndefined();
    expect(lists.match(entity(createMailbox({ address: 'noreply@example.com' })))).toBe('mail');
  });

  it('refuses a malformed list, naming the file and field', () => {
    expect(() => parseWarninglist({ type: 'string', list: [] }, 'x.json')).toThrow(/x\.json: name: required/);
    expect(() => parseWarninglist({ name: 'n', type: 'fuzzy', list: [] }, 'x.json')).toThrow(
      /x\.json: type: expected one of/,
    );
    expect(() => parseWarninglist({ name: 'n', type: 'cidr', list: ['10.0.0.0/99'] }, 'x.json')).toThrow(
      /list\[0\]: not a CIDR/,
    );
    const dir = mkdtempSync(path.join(os.tmpdir(), 'autoir-wl-'));
    try {
      const file = path.join(dir, 'broken.json');
      writeFileSync(file, '{"name": ');
      expect(() => loadWarninglists([file])).toThrow(/broken\.json: not readable JSON/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ships lists of common Windows infrastructure and public resolvers', () => {
    const shipped = defaultAllowlist();
    expect(shipped.names).toHaveLength(2);
    expect(shipped.match(entity(createDomain({ name: 'www.msftconnecttest.com' })))).toMatch(
      /common infrastructure/,
    );
    expect(shipped.match(entity(createIp({ address: '1.1.1.1' })))).toMatch(/public DNS resolvers/);
    expect(shipped.match(entity(createDomain({ name: 'evil.example' })))).toBeUndefined();
  });
});
