/** Hints name a command that works where the person typed theirs (src/cli/self.ts). */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { invokedAs } from './self.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'autoir-self-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('how autoir was run', () => {
  const script = path.join(dir, 'pkg', 'bin', 'autoir.js');
  mkdirSync(path.dirname(script), { recursive: true });
  writeFileSync(script, '#!/usr/bin/env node\n');
  chmodSync(script, 0o755);

  it('is `autoir` when that name on PATH is this program (npm install -g links it)', () => {
    const bin = path.join(dir, 'global-bin');
    mkdirSync(bin);
    symlinkSync(script, path.join(bin, 'autoir'));
    expect(invokedAs({ PATH: `/usr/bin${path.delimiter}${bin}` }, script, dir)).toBe('autoir');
  });

  it('is `npx autoir` when npm ran it and no autoir on PATH is this one', () => {
    expect(invokedAs({ PATH: '/usr/bin', npm_command: 'exec' }, script, dir)).toBe('npx autoir');
    expect(invokedAs({ PATH: '/usr/bin', npm_lifecycle_event: 'start' }, script, dir)).toBe('npx autoir');
  });

  it('is `node <path>` otherwise, relative to the working folder when inside it', () => {
    expect(invokedAs({ PATH: '/usr/bin' }, script, path.join(dir, 'pkg'))).toBe('node bin/autoir.js');
    expect(invokedAs({ PATH: '/usr/bin' }, script, '/')).toBe(`node ${script.slice(1)}`);
  });
});
