/**
 * The systemd units of deploy/systemd: each ExecStart is a command line the CLI's own parser takes (every option
 * exists, every value is valid, for each worker instance 1–9); the environment file names only settings autoir
 * reads, with values it accepts; and, where `systemd-analyze` is installed, `systemd-analyze verify` finds nothing
 * to say about the units.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readSettings } from '../src/app/config.js';
import { createProgram } from '../src/cli/main.js';

const root = path.resolve(import.meta.dirname, '..');
const units = path.join(root, 'deploy/systemd');
const INSTALLED = '/usr/local/bin/autoir';

/** A unit file's [Service] (or other section) keys, each with its values in order; continuation lines joined. */
function readUnit(file: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let section: Map<string, string[]> | undefined;
  const lines = readFileSync(file, 'utf8').replace(/\\\n/g, ' ').split('\n');
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = new Map();
      sections.set(header[1] as string, section);
      continue;
    }
    const at = line.indexOf('=');
    expect(at, `${file}: ${line}`).toBeGreaterThan(0);
    expect(section, `${file}: ${line} before any section`).toBeDefined();
    const key = line.slice(0, at).trim();
    section?.set(key, [...(section.get(key) ?? []), line.slice(at + 1).trim()]);
  }
  return sections;
}

/** Parse `argv` with the CLI's own parser, running nothing: the options the command would get. */
async function parsed(argv: readonly string[]): Promise<Record<string, unknown>> {
  const io = {
    stdout: { write: () => true },
    stderr: { write: () => true },
    stdin: Readable.from([]),
    env: {},
  };
  const program = createProgram(io);
  let options: Record<string, unknown> | undefined;
  for (const command of program.commands)
    command.action((opts: Record<string, unknown>) => {
      options = opts;
    });
  await program.parseAsync([...argv], { from: 'user' });
  expect(options, `${argv.join(' ')} ran no command`).toBeDefined();
  return options ?? {};
}

const files = {
  serve: path.join(units, 'autoir-serve.service'),
  worker: path.join(units, 'autoir-worker@.service'),
};

describe('the systemd units', () => {
  const execStart = (file: string) => {
    const values = readUnit(file).get('Service')?.get('ExecStart') ?? [];
    expect(values, `${file}: one ExecStart`).toHaveLength(1);
    const words = (values[0] as string).split(/\s+/);
    expect(words[0], 'the installed autoir command').toBe(INSTALLED);
    return words.slice(1);
  };

  it('start serve with options the CLI takes', async () => {
    const argv = execStart(files.serve);
    expect(argv[0]).toBe('serve');
    expect(await parsed(argv)).toMatchObject({
      host: '127.0.0.1',
      port: 8700,
      metricsPort: 9464,
      worker: true,
    });
  });

  it('start each worker instance, 1 to 9, with options the CLI takes and a metrics port of its own', async () => {
    const argv = execStart(files.worker);
    expect(argv[0]).toBe('worker');
    const ports = new Set<unknown>();
    for (let instance = 1; instance <= 9; instance++) {
      const options = await parsed(argv.map((word) => word.replaceAll('%i', String(instance))));
      expect(options).toMatchObject({ poll: '500ms', metricsPort: 9470 + instance });
      ports.add(options.metricsPort);
    }
    expect(ports.size).toBe(9);
  });

  it('would refuse an option the CLI does not take (the check can fail)', async () => {
    await expect(parsed(['worker', '--metrics-prot', '9471'])).rejects.toThrow(/unknown option/);
    await expect(parsed(['worker', '--metrics-port', '94710'])).rejects.toThrow(/metrics port/);
  });

  it('are hardened: a user of its own, a read-only system, the state directory, restarts, a stop timeout', () => {
    for (const file of Object.values(files)) {
      const service = readUnit(file).get('Service');
      const one = (key: string) => service?.get(key)?.at(-1);
      expect(one('User'), file).toBe('autoir');
      expect(one('NoNewPrivileges'), file).toBe('yes');
      expect(one('ProtectSystem'), file).toBe('strict');
      expect(one('StateDirectory'), file).toBe('autoir');
      expect(one('ProtectHome'), file).toBe('yes');
      expect(one('PrivateTmp'), file).toBe('yes');
      expect(one('Restart'), file).toBe('on-failure');
      expect(one('RestartSec'), file).toMatch(/^\d+s$/);
      expect(one('TimeoutStopSec'), file).toBe('30s');
      expect(Number(one('LimitNOFILE')), file).toBeGreaterThanOrEqual(65536);
      expect(one('EnvironmentFile'), file).toBe('/etc/autoir/autoir.env');
    }
  });

  it('read an environment file whose every line, commented or not, is a setting autoir takes', () => {
    const config = readFileSync(path.join(root, 'src/app/config.ts'), 'utf8');
    const env: Record<string, string> = {};
    for (const line of readFileSync(path.join(units, 'autoir.env'), 'utf8').split('\n')) {
      const setting = /^#?(AUTOIR_[A-Z_]+)=(.*)$/.exec(line);
      if (!setting) continue;
      const [, name, value] = setting as unknown as [string, string, string];
      expect(new RegExp(`\\b${name}\\b`).test(config), `${name} is read by src/app/config.ts`).toBe(true);
      env[name] = value;
    }
    expect(Object.keys(env)).toEqual(
      expect.arrayContaining([
        'AUTOIR_DATA',
        'AUTOIR_DATABASE_URL',
        'AUTOIR_DATABASE_POOL',
        'AUTOIR_LOG_FORMAT',
      ]),
    );
    const settings = readSettings(env);
    expect(settings.log).toEqual({ level: 'info', format: 'json' });
    expect(settings.store).toMatchObject({ kind: 'postgres', maxConnections: 10 });
  });

  const analyze = spawnSync('sh', ['-c', 'command -v systemd-analyze'], { encoding: 'utf8' });
  const verify = analyze.status === 0 ? it : it.skip;
  if (analyze.status !== 0)
    console.warn('systemd-analyze is not installed: `systemd-analyze verify` of deploy/systemd is skipped');
  verify('pass `systemd-analyze verify` without a warning', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'autoir-units-'));
    try {
      // The installed command is this checkout's (verify wants ExecStart's program to exist).
      for (const file of Object.values(files)) {
        const target = path.join(dir, path.basename(file));
        copyFileSync(file, target);
        writeFileSync(
          target,
          readFileSync(target, 'utf8').replaceAll(INSTALLED, path.join(root, 'bin/autoir.js')),
        );
      }
      const run = spawnSync(
        'systemd-analyze',
        ['verify', path.join(dir, 'autoir-serve.service'), path.join(dir, 'autoir-worker@1.service')],
        { encoding: 'utf8', env: { ...process.env, SYSTEMD_LOG_LEVEL: 'notice' } },
      );
      expect(run.status, run.stderr).toBe(0);
      expect(`${run.stdout}${run.stderr}`.trim()).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
