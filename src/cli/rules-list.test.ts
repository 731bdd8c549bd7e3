/**
 * `autoir rules list` on both stores: the rules that run, and those an admin switched off on the store (from the
 * UI or the API), with who, when and why.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backends, createTestStore, type TestStore } from '../../test/helpers/stores.js';
import { runCliWith } from '../../test/helpers/cli.js';

describe.each(backends)('autoir rules list on %s', (dialect) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await createTestStore(dialect);
  });
  afterEach(async () => {
    await t.cleanup();
  });

  const cli = (args: string[]) => runCliWith(t.env, args);

  it('lists the rules that run, and says which an admin switched off on the store, by whom and why', async () => {
    const before = await cli(['rules', 'list', '--json']);
    expect(before.code, before.stderr).toBe(0);
    const rules = before.json() as { id: string; state: string }[];
    expect(rules.length).toBeGreaterThan(100);
    expect(rules.every((rule) => rule.state === 'runs')).toBe(true);
    const id = rules[0]!.id;
    await t.store.rules.set(
      id,
      false,
      'user:ada',
      new Date('2026-12-07T10:00:00Z'),
      'noisy on build servers',
    );
    const after = (await cli(['rules', 'list', '--json'])).json() as { id: string; state: string }[];
    expect(after.find((rule) => rule.id === id)?.state).toBe(
      'switched off by user:ada 2026-12-07: noisy on build servers',
    );
    expect((await cli(['rules', 'list'])).stdout).toMatch(/STATE\n[\s\S]*switched off by user:ada/);
  });
});
