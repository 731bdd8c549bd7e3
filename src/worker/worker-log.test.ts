/**
 * What a worker logs, on both stores, as the process writes it (JSON): its start and stop; a pass that fails as an
 * error with the error's message and code and the back-off, then the pass that succeeds again; each pass that did
 * work at debug only.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { draftAlert } from '../../test/helpers/alerts.js';
import { capturedProcessLog } from '../../test/helpers/log.js';
import { backends, createTestStore, type TestStore } from '../../test/helpers/stores.js';
import { until } from '../../test/helpers/until.js';
import { createDevice } from '../domain/entity-builders.js';
import type { Entity } from '../domain/entity.js';
import type { LogLevel } from '../domain/log.js';
import { writeAlerts } from '../ingest/prepare-alert.js';
import { loadPlaybooks } from '../investigate/playbooks.js';
import type { Store } from '../store/ports.js';
import { runWorker } from './worker.js';

describe.each(backends)('the worker log (%s)', (dialect) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await createTestStore(dialect);
    await writeAlerts(
      t.store.alerts,
      [
        {
          draft: draftAlert({
            sourceRef: 'logged',
            category: 'malware',
            entities: [createDevice({ hostname: 'ws7.corp.example' }) as Entity],
          }),
          format: 'autoir',
        },
      ],
      new Date(),
    );
  });
  afterEach(async () => t?.cleanup());

  /** A store whose first claim of an investigation fails as a database going away would. */
  const failingOnce = (): Store => {
    let failed = false;
    const investigations = new Proxy(t.store.investigations, {
      get: (target, key) =>
        key === 'claim' && !failed
          ? () => {
              failed = true;
              return Promise.reject(
                Object.assign(new Error('terminating connection due to administrator command'), {
                  code: '57P01',
                }),
              );
            }
          : (target as unknown as Record<string | symbol, unknown>)[key],
    });
    return { ...t.store, investigations } as Store;
  };

  const work = async (level: LogLevel) => {
    const captured = capturedProcessLog({ level, role: 'worker' });
    const stop = new AbortController();
    const running = runWorker(
      failingOnce(),
      { correlation: {}, playbooks: loadPlaybooks(), log: captured.log, worker: 'test-worker' },
      stop.signal,
      50,
    );
    try {
      await until('the pass after the failure', () =>
        captured.json().some((line) => line.msg === 'worker pass succeeded again') ? true : undefined,
      );
      await until('the investigation', async () =>
        (await t.store.investigations.list({}, { limit: 5 })).items.length > 0 ? true : undefined,
      );
    } finally {
      stop.abort();
      await running;
    }
    return captured.json();
  };

  it('logs a failed pass as an error with the error and the back-off, and the pass that succeeds again', async () => {
    const lines = await work('info');
    for (const line of lines)
      expect(line).toMatchObject({
        time: expect.any(String),
        level: expect.any(String),
        msg: expect.any(String),
        role: 'worker',
        pid: process.pid,
        worker: 'test-worker',
      });
    expect(lines[0]).toMatchObject({ level: 'info', msg: 'worker started', pollMs: 50 });
    const failed = lines.find((line) => line.level === 'error');
    expect(failed).toMatchObject({
      msg: 'worker pass failed: trying again in 0.5 s',
      err: {
        type: 'Error',
        message: 'terminating connection due to administrator command',
        code: '57P01',
      },
      failures: 1,
      retryInMs: 500,
    });
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 'info', msg: 'worker pass succeeded again', failures: 1 }),
    );
    expect(lines.at(-1)).toMatchObject({ level: 'info', msg: 'worker stopped', runs: 1 });
    // Info: no line about each pass.
    expect(lines.filter((line) => line.level === 'debug' || line.level === 'trace')).toEqual([]);
  });

  it('logs each pass that did work at debug, with what it did', async () => {
    const lines = await work('debug');
    // The failed pass correlated the alert and started its investigation; the next one ran its steps.
    const passes = lines.filter((line) => line.level === 'debug' && line.msg === 'worker pass');
    expect(passes.length).toBeGreaterThan(0);
    expect(passes[0]).toMatchObject({ correlated: 0, investigationsStarted: 0, ms: expect.any(Number) });
    expect(passes.reduce((steps, line) => steps + (line.steps as number), 0)).toBeGreaterThan(0);
    // Idle polls are trace lines: not at debug.
    expect(lines.filter((line) => line.level === 'trace')).toEqual([]);
  });
});
