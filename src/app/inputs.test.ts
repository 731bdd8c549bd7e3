/** The inputs file: what it takes, and mistakes named by file and field. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadInputsFile } from './inputs.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'autoir-inputs-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};

describe('loadInputsFile', () => {
  it('reads files (paths relative to the file) and syslog receivers with their certificates', () => {
    writeFileSync(path.join(dir, 'cert.pem'), 'CERT');
    writeFileSync(path.join(dir, 'key.pem'), 'KEY');
    const file = write(
      'good.yaml',
      [
        'inputs:',
        '  zeek:',
        '    kind: file',
        "    paths: ['logs/current/*.log']",
        '    detect: false',
        '  fw:',
        '    kind: syslog',
        '    protocol: tls',
        '    listen: "[::1]:6514"',
        '    tls: { cert: cert.pem, key: key.pem }',
        '  udp:',
        '    kind: syslog',
        '    protocol: udp',
        '    listen: ":514"',
        '    format: cef',
      ].join('\n'),
    );
    const inputs = loadInputsFile(file);
    expect(inputs[0]).toEqual({
      name: 'zeek',
      kind: 'file',
      detect: false,
      paths: [path.join(dir, 'logs/current/*.log')],
    });
    expect(inputs[1]).toMatchObject({ name: 'fw', kind: 'syslog', protocol: 'tls', host: '::1', port: 6514 });
    expect(inputs[1]?.kind === 'syslog' && inputs[1].tls?.cert.toString()).toBe('CERT');
    expect(inputs[2]).toMatchObject({
      host: '0.0.0.0',
      port: 514,
      protocol: 'udp',
      format: 'cef',
      detect: true,
    });
  });

  it.each([
    ['inputs:\n  fw:\n    kind: syslog\n    listen: 127.0.0.1:99999\n', 'inputs.fw.listen: host:port'],
    [
      'inputs:\n  fw:\n    kind: syslog\n    protocol: tls\n    listen: :6514\n',
      'inputs.fw.tls: protocol tls needs',
    ],
    [
      'inputs:\n  fw:\n    kind: syslog\n    protocol: tls\n    listen: :6514\n    tls: { cert: nope.pem, key: nope.pem }\n',
      'inputs.fw.tls.cert: cannot read nope.pem: ENOENT',
    ],
    [
      'inputs:\n  fw:\n    kind: syslog\n    protocol: udp\n    listen: :514\n    tls: { cert: a.pem, key: a.pem }\n',
      'inputs.fw.tls: tls is for protocol tls or relp',
    ],
    ['inputs:\n  Bad Name:\n    kind: file\n    paths: a.log\n', 'inputs.Bad Name: an input name'],
    ['inputs:\n  x:\n    kind: file\n    paths: a.log\n    format: nonsense\n', 'inputs.x.format'],
    ['inputs:\n  x:\n    kind: ftp\n', 'inputs.x.kind'],
    ['inputs:\n  x:\n    kind: file\n    path: a.log\n', 'inputs.x'],
  ])('refuses %j naming the field', (text, message) => {
    const file = write('bad.yaml', text);
    expect(() => loadInputsFile(file)).toThrow(`${file}: ${message}`);
  });
});
