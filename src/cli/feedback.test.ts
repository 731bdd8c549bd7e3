/**
 * `autoir investigations feedback` on both stores, on OTRF LSASS_campaign_01: a verdict marked wrong is audited with
 * its reason; `--lesson` adds a dated lesson (an allow indicator of source lesson) and says how to undo it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backends, createTestStore, type TestStore } from '../../test/helpers/stores.js';
import { runCliWith } from '../../test/helpers/cli.js';
import { lsassCampaign01 } from '../../test/helpers/shared-data.js';

const PAYLOAD = 'file:sha256:e9196b871670af6307902fc4ca09f7cf3c309ae54b28e10d052ed8741090f928';

describe.each(backends)('autoir investigations feedback on %s', (dialect) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await createTestStore(dialect);
  });
  afterEach(async () => {
    await t.cleanup();
  });
  const cli = (args: string[]) => runCliWith({ ...t.env, USER: 'alice' }, args);

  it('records the feedback, and with --lesson a dated lesson it says how to undo', async () => {
    expect((await cli(['ingest', lsassCampaign01])).code).toBe(0);
    expect((await cli(['run', '--until-idle'])).code).toBe(0);
    const taught = await cli([
      'investigations',
      'feedback',
      'inv_1',
      PAYLOAD,
      '--reason',
      'red team build',
      '--lesson',
      '14d',
    ]);
    expect(taught.code, taught.stderr).toBe(0);
    expect(taught.stdout).toMatch(
      /^recorded; lesson ind_1 allows file:sha256:e9196b.* until \d{4}-\d\d-\d\dT.*indicators remove ind_1/,
    );
    const plain = await cli([
      'investigations',
      'feedback',
      'inv_1',
      'ip:10.0.5.13',
      '--reason',
      'lab',
      '--json',
    ]);
    expect(plain.json()).toEqual({ investigationId: 'inv_1', evidenceKey: 'ip:10.0.5.13', lesson: null });
    expect(
      (await cli(['investigations', 'feedback', 'inv_1', PAYLOAD, '--reason', 'x', '--lesson', 'soon'])).code,
    ).toBe(2);
    expect(
      (await cli(['investigations', 'feedback', 'inv_1', 'ip:192.0.2.1', '--reason', 'x'])).stderr,
    ).toMatch(/no evidence ip:192.0.2.1 in inv_1/);
    const lessons = await cli(['indicators', 'list', '--json']);
    expect(lessons.stdout).toContain('"source": "lesson"');
    const audit = await t.store.audit.list({}, { limit: 10 });
    expect(
      audit.items.filter((entry) => entry.operation === 'evidence.feedback').map((entry) => entry.actor),
    ).toEqual(['cli:alice', 'cli:alice']);
  }, 120_000);
});
