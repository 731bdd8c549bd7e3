import { describe, expect, it } from 'vitest';
import { createTestStore } from '../../test/helpers/stores.js';

describe('openStore on PostgreSQL', () => {
  it('keeps two autoir schemas in one database apart, each with its own migrations', async () => {
    // Kysely finds its bookkeeping tables in any schema unless told which: the second store must still migrate.
    const first = await createTestStore('postgres');
    const second = await createTestStore('postgres');
    try {
      await first.store.tokens.createToken({ name: 'a', role: 'viewer', tokenHash: 'h1' }, new Date());
      expect(await second.store.tokens.listTokens()).toEqual([]);
      expect(await second.store.alerts.countAlerts()).toBe(0);
    } finally {
      await second.cleanup();
      await first.cleanup();
    }
  });
});
