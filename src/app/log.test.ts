/**
 * The process log of `serve` and `worker`: JSON lines with time, level, role, pid, message and fields; levels that
 * filter; errors as type, message and code; credentials censored; the text form readable on one line.
 */
import { describe, expect, it } from 'vitest';
import { capturedProcessLog } from '../../test/helpers/log.js';
import { AutoirError } from '../domain/errors.js';
import { defaultLogFormat, plainLog, serializeError, textLine } from './log.js';

describe('the process log', () => {
  it('writes JSON lines with time, level, role, pid, hostname, message and the fields of the line and its log', () => {
    const captured = capturedProcessLog({ role: 'worker' });
    const input = captured.log.child({ input: 'firewalls', kind: 'syslog' });
    input.info('listening on tcp://0.0.0.0:6514', { detail: 'tcp://0.0.0.0:6514' });
    const [line, ...rest] = captured.json();
    expect(rest).toEqual([]);
    expect(line).toEqual({
      level: 'info',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      role: 'worker',
      pid: process.pid,
      hostname: expect.any(String),
      input: 'firewalls',
      kind: 'syslog',
      detail: 'tcp://0.0.0.0:6514',
      msg: 'listening on tcp://0.0.0.0:6514',
    });
  });

  it('writes the lines at or above its level only', () => {
    const levels = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
    const at = (level: (typeof levels)[number]) => {
      const captured = capturedProcessLog({ level });
      for (const each of levels) captured.log[each](`a ${each} line`);
      return captured.json().map((line) => line.level);
    };
    expect(at('info')).toEqual(['info', 'warn', 'error', 'fatal']);
    expect(at('debug')).toEqual(['debug', 'info', 'warn', 'error', 'fatal']);
    expect(at('trace')).toEqual(levels);
    expect(at('error')).toEqual(['error', 'fatal']);
  });

  it('gives an error as its type, message and code, and a message given as text as a message', () => {
    const captured = capturedProcessLog();
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    captured.log.error('worker pass failed', { err: refused });
    captured.log.warn('digest not sent', { err: 'notification webhook: answered 502' });
    captured.log.error('bad', { err: new AutoirError('AUTOIR_E_BAD_INPUT', 'inputs.fw.listen: host:port') });
    const [first, second, third] = captured.json();
    expect(first?.err).toEqual({
      type: 'Error',
      message: 'connect ECONNREFUSED 127.0.0.1:5432',
      code: 'ECONNREFUSED',
      stack: expect.stringContaining('connect ECONNREFUSED'),
    });
    expect(second?.err).toEqual({ message: 'notification webhook: answered 502' });
    expect(third?.err).toMatchObject({ type: 'AutoirError', code: 'AUTOIR_E_BAD_INPUT' });
  });

  it('names the addresses of a connection refused on each of them (an AggregateError with no message)', () => {
    const error = Object.assign(
      new AggregateError([
        new Error('connect ECONNREFUSED ::1:5432'),
        new Error('connect ECONNREFUSED 127.0.0.1:5432'),
      ]),
      { code: 'ECONNREFUSED' },
    );
    expect(serializeError(error)).toMatchObject({
      message: 'connect ECONNREFUSED ::1:5432; connect ECONNREFUSED 127.0.0.1:5432',
      code: 'ECONNREFUSED',
    });
  });

  it('censors fields named like credentials', () => {
    const captured = capturedProcessLog();
    captured.log.warn('careless', { password: 'hunter2-hunter2', token: 'autoir_abc', secret: 's3cret' });
    expect(captured.text()).not.toMatch(/hunter2|autoir_abc|s3cret/);
    expect(captured.json()[0]).toMatchObject({ password: '***', token: '***', secret: '***' });
  });

  it('writes text as one readable line: time, level, message, then key=value fields', () => {
    const captured = capturedProcessLog({ format: 'text', role: 'serve' });
    const refused = Object.assign(new Error('listen EADDRINUSE: address already in use 0.0.0.0:6514'), {
      code: 'EADDRINUSE',
    });
    captured.log
      .child({ input: 'firewalls' })
      .error('input failed: starting it again in 1 s', { err: refused, retryInMs: 1000, peer: { port: 9 } });
    const lines = captured.text().split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines[0]).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z ERROR input failed: starting it again in 1 s input=firewalls err="listen EADDRINUSE: address already in use 0\.0\.0\.0:6514" err\.code=EADDRINUSE retryInMs=1000 peer\.port=9$/,
    );
    expect(lines).toHaveLength(2);
  });

  it('renders the levels padded, and values with spaces or quotes quoted', () => {
    expect(
      textLine({
        time: '2026-01-01T00:00:00.000Z',
        level: 'info',
        msg: 'hello',
        pid: 1,
        role: 'worker',
        a: 'x y',
        b: true,
      }),
    ).toBe('2026-01-01T00:00:00.000Z INFO  hello a="x y" b=true');
  });

  it('is text on a terminal and JSON otherwise by default', () => {
    expect(defaultLogFormat({ isTTY: true })).toBe('text');
    expect(defaultLogFormat({})).toBe('json');
  });

  it('for the other commands, prints warnings and errors as autoir: lines and nothing else', () => {
    let text = '';
    const log = plainLog({ write: (chunk: string) => (text += chunk) });
    log.info('not shown');
    log.debug('not shown');
    log.child({ connector: 'x' }).warn('stored connector x: does not run');
    log.error('failed');
    expect(text).toBe('autoir: stored connector x: does not run\nautoir: failed\n');
  });
});
