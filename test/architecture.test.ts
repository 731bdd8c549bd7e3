/**
 * The house rules of docs/architecture.md, checked as a newcomer would break them: the module boundaries enforced
 * by `npm run lint` (dependency-cruiser), shown to fail on planted forbidden imports in a copy of the sources.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

describe('module boundaries (npm run lint:boundaries)', () => {
  let copy: string;

  const lint = () =>
    spawnSync(
      process.execPath,
      [
        path.join(root, 'node_modules/dependency-cruiser/bin/dependency-cruiser.mjs'),
        'src',
        'web/src',
        '--config',
        '.dependency-cruiser.cjs',
      ],
      { cwd: copy, encoding: 'utf8' },
    );

  /** Add an import to a file of the copy, run the check, and take the import out again. */
  const planted = (file: string, line: string) => {
    const target = path.join(copy, file);
    const original = readFileSync(target, 'utf8');
    writeFileSync(target, `${line}\n${original}`);
    try {
      return lint();
    } finally {
      writeFileSync(target, original);
    }
  };

  beforeAll(() => {
    copy = mkdtempSync(path.join(os.tmpdir(), 'autoir-boundaries-'));
    for (const entry of ['src', 'web/src', 'tsconfig.json', 'package.json', '.dependency-cruiser.cjs'])
      cpSync(path.join(root, entry), path.join(copy, entry), { recursive: true });
    symlinkSync(path.join(root, 'node_modules'), path.join(copy, 'node_modules'));
  });
  afterAll(() => {
    if (copy) rmSync(copy, { recursive: true, force: true });
  });

  it('hold in the repository as it is', () => {
    const run = lint();
    expect(run.stdout + run.stderr).toMatch(/no dependency violations found/);
    expect(run.status).toBe(0);
  });

  it.each([
    [
      'a stage importing the store',
      'src/correlate/correlate.ts',
      "import type { Store } from '../store/ports.js';",
      'stage-imports-domain-and-its-own-ports',
    ],
    [
      'a stage importing another stage',
      'src/investigate/trigger.ts',
      "import { correlate } from '../correlate/correlate.js';",
      'stage-imports-domain-and-its-own-ports',
    ],
    ['the domain importing a package', 'src/domain/alert.ts', "import { z } from 'zod';", 'domain-is-pure'],
    [
      'the domain importing Node.js',
      'src/domain/alert.ts',
      "import { readFileSync } from 'node:fs';",
      'domain-is-pure',
    ],
    [
      'the store importing a stage beyond its ports',
      'src/store/alert-store.ts',
      "import { prepareAlert } from '../ingest/prepare-alert.js';",
      'store-implements-ports',
    ],
    [
      'the web UI importing the server',
      'web/src/api.ts',
      "import { undoOf } from '../../src/domain/action';",
      'web-speaks-only-the-api',
    ],
  ])('fail on %s, naming the rule', (_what, file, line, rule) => {
    const run = planted(file, line);
    expect(run.status).not.toBe(0);
    expect(run.stdout + run.stderr).toContain(`error ${rule}: ${file}`);
  });
});

describe('the house', () => {
  it('has no source file over 600 lines', () => {
    const run = spawnSync(process.execPath, [path.join(root, 'scripts/check-sizes.mjs'), 'src', 'web/src'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('cites no design note outside the repository: the code and docs/ say it in their own words', () => {
    const run = spawnSync('grep', ['-rlE', 'DESIGN\\.md|STYLE\\.md', 'src', 'docs', 'README.md'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(run.stdout).toBe('');
  });
});
