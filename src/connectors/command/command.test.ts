import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConnectorConfig } from '../config.js';
import { commandConnector } from './command.js';
import type { ActionRequest, Connector } from '../../respond/ports.js';
import { publicOnly } from '../outbound.js';
import { recordingLog } from '../../../test/helpers/log.js';

const dir = mkdtempSync(path.join(tmpdir(), 'autoir-command-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const request: ActionRequest = {
  id: 'act_42',
  type: 'killProcess',
  targetKey: 'process:ws-0042:4242',
  deviceKey: 'device:ws-0042',
  parameters: { pid: 4242, commandLine: 'evil.exe -c2 203.0.113.9' },
  investigationId: 'inv_7',
  undoOf: null,
  idempotencyKey: 'act_42-3f9c2a',
  attempt: 1,
  decidedBy: 'user:alice',
  callbackUrl: null,
};

let scripts = 0;

/** A real executable in the temp directory. */
function script(text: string, mode = 0o755): string {
  const file = path.join(dir, `script-${++scripts}`);
  writeFileSync(file, text);
  chmodSync(file, mode);
  return file;
}

function command(settings: Record<string, unknown>): Connector {
  return commandConnector.create('local', commandConnector.settings.parse(settings), 5000, {
    outbound: publicOnly,
  });
}

function capabilities(signal: AbortSignal = AbortSignal.timeout(10_000)) {
  const { log, lines: logged } = recordingLog();
  return {
    signal,
    log,
    get lines() {
      return logged.map((line) => line.message);
    },
    logged,
  };
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie has exited: only its parent (init, for an orphan) has not collected it yet.
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
  return !/^\d+ \(.*\) Z/.test(stat);
}

/** The pids still running after `ms` (polling), or none. */
async function stopsWithin(pids: readonly number[], ms: number): Promise<number[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const running = pids.filter(isRunning);
    if (running.length === 0 || Date.now() > deadline) return running;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('command connector', () => {
  it('hands the action to the command on standard input and reads its JSON result line', async () => {
    const record = path.join(dir, 'request.json');
    const file = script(`#!/bin/sh
cat > "$1"
echo "killing the process"
echo '{"status":"succeeded","message":"killed","details":{"pid":4242}}'
`);
    const run = capabilities();
    const outcome = await command({ command: file, args: [record] }).run(request, run);
    expect(outcome).toEqual({ status: 'succeeded', message: 'killed', details: { pid: 4242 } });
    const received = readFileSync(record, 'utf8');
    expect(received.endsWith('\n')).toBe(true);
    expect(JSON.parse(received)).toEqual(request);
    expect(run.lines).toEqual([`running ${file}`, `${file}: succeeded`]);
  });

  it('passes the action id, type and idempotency key in the environment, and nothing of its own', async () => {
    const file = script(`#!/usr/bin/env node
const { AUTOIR_ACTION_ID, AUTOIR_ACTION_TYPE, AUTOIR_IDEMPOTENCY_KEY, PATH, ...rest } = process.env;
console.log(JSON.stringify({
  status: 'succeeded',
  details: { AUTOIR_ACTION_ID, AUTOIR_ACTION_TYPE, AUTOIR_IDEMPOTENCY_KEY, hasPath: PATH !== undefined, rest },
}));
`);
    expect(await command({ command: file }).run(request, capabilities())).toEqual({
      status: 'succeeded',
      details: {
        AUTOIR_ACTION_ID: 'act_42',
        AUTOIR_ACTION_TYPE: 'killProcess',
        AUTOIR_IDEMPOTENCY_KEY: 'act_42-3f9c2a',
        hasPath: true,
        rest: {},
      },
    });
  });

  it('gives the command its secret environment without logging it', async () => {
    const file = script(`#!/bin/sh
cat > /dev/null
printf '{"status":"succeeded","details":{"token":"%s"}}\\n' "$EDR_TOKEN"
`);
    const run = capabilities();
    const outcome = await command({ command: file, env: { EDR_TOKEN: 'tok-5ecret-value' } }).run(
      request,
      run,
    );
    expect(outcome).toEqual({ status: 'succeeded', details: { token: 'tok-5ecret-value' } });
    expect(run.lines.join('\n')).not.toContain('tok-5ecret-value');
  });

  it('reports exit code 0 without a result line as success', async () => {
    const file = script('#!/bin/sh\necho "done, no JSON"\n');
    expect(await command({ command: file }).run(request, capabilities())).toEqual({ status: 'succeeded' });
  });

  it('reports exit code 75 as a retryable failure', async () => {
    const file = script('#!/bin/sh\necho "agent busy" >&2\nexit 75\n');
    expect(await command({ command: file }).run(request, capabilities())).toEqual({
      status: 'failed',
      retryable: true,
      message: `${file} exited with code 75 (EX_TEMPFAIL): agent busy`,
    });
  });

  it('reports exit code 69 as unreachable', async () => {
    const file = script('#!/bin/sh\nexit 69\n');
    expect(await command({ command: file }).run(request, capabilities())).toEqual({
      status: 'unreachable',
      message: `${file} exited with code 69 (EX_UNAVAILABLE)`,
    });
  });

  it('reports another exit code as a failure naming the code and the last line of standard error', async () => {
    const file = script(
      '#!/bin/sh\necho "starting" >&2\necho "no such process 4242" >&2\necho >&2\nexit 3\n',
    );
    expect(await command({ command: file }).run(request, capabilities())).toEqual({
      status: 'failed',
      retryable: false,
      message: `${file} exited with code 3: no such process 4242`,
    });
  });

  it('lets the result line decide over the exit code, including whether to retry', async () => {
    const file = script(`#!/bin/sh
echo '{"status":"failed","message":"EDR API throttled","retryable":true}'
exit 1
`);
    expect(await command({ command: file }).run(request, capabilities())).toEqual({
      status: 'failed',
      retryable: true,
      message: 'EDR API throttled',
    });
    const accepted = script(`#!/bin/sh\necho '{"status":"accepted","message":"job 17"}'\n`);
    expect(await command({ command: accepted }).run(request, capabilities())).toEqual({
      status: 'accepted',
      message: 'job 17',
    });
  });

  it('reads the result line from the end of a long output', async () => {
    const file = script(`#!/usr/bin/env node
process.stdout.write('x'.repeat(3 * 1024 * 1024) + '\\n');
process.stdout.write(JSON.stringify({ status: 'succeeded', message: 'after 3 MiB' }) + '\\n');
`);
    expect(await command({ command: file }).run(request, capabilities())).toEqual({
      status: 'succeeded',
      message: 'after 3 MiB',
    });
  });

  it('reports a missing executable as a failure naming its path', async () => {
    const missing = path.join(dir, 'no-such-script');
    expect(await command({ command: missing }).run(request, capabilities())).toEqual({
      status: 'failed',
      retryable: false,
      message: `cannot run ${missing}: ENOENT`,
    });
  });

  it('reports a file that is not executable as a failure naming its path', async () => {
    const file = script('#!/bin/sh\nexit 0\n', 0o644);
    expect(await command({ command: file }).run(request, capabilities())).toEqual({
      status: 'failed',
      retryable: false,
      message: `cannot run ${file}: EACCES`,
    });
  });

  it('stops the command and what it started when the signal aborts, and rejects', async () => {
    const pids = path.join(dir, 'abort.pids');
    const file = script(`#!/bin/sh
sleep 30 &
echo "$$ $!" > "${pids}"
wait
`);
    const started = Date.now();
    await expect(
      command({ command: file }).run(request, capabilities(AbortSignal.timeout(200))),
    ).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(Date.now() - started).toBeLessThan(2000);
    const [shell, sleep] = readFileSync(pids, 'utf8').trim().split(' ').map(Number) as [number, number];
    // The group was signalled before the call rejected; the kernel ends its processes a moment later.
    expect(await stopsWithin([shell, sleep], 2000)).toEqual([]);
  });

  it('kills a command that ignores SIGTERM 2 seconds later', async () => {
    const pids = path.join(dir, 'stubborn.pids');
    const file = script(`#!/bin/sh
trap '' TERM
echo "$$" > "${pids}"
sleep 30
`);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const started = Date.now();
    await expect(
      command({ command: file }).run(request, capabilities(controller.signal)),
    ).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    expect(await stopsWithin([Number(readFileSync(pids, 'utf8'))], 2000)).toEqual([]);
  });

  it('does not start the command when the signal has already aborted', async () => {
    const marker = path.join(dir, 'never');
    const file = script(`#!/bin/sh\ntouch "${marker}"\n`);
    const controller = new AbortController();
    controller.abort();
    await expect(
      command({ command: file }).run(request, capabilities(controller.signal)),
    ).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(existsSync(marker)).toBe(false);
  });

  it('needs an absolute path to the executable', () => {
    expect(() =>
      parseConnectorConfig(
        { name: 'local', kind: 'command', settings: { command: 'isolate.sh' } },
        'connector local',
      ),
    ).toThrow(/^connector local: settings\.command: an absolute path to an executable$/);
  });
});
