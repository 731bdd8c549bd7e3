/** Read-only tokens for the blocklist feeds (respond/ports.ts `FeedTokenStore`), on SQLite and PostgreSQL. */
import type { Kysely, Selectable } from 'kysely';
import type { FeedTokenRecord, FeedTokenStore } from '../respond/ports.js';
import { writeAudit } from './audit-store.js';
import { newId } from './ids.js';
import type { Atomically } from './query-helpers.js';
import type { Database, FeedTokensTable } from './schema.js';

const iso = (time: number | null) => (time === null ? null : new Date(Number(time)).toISOString());

function toRecord(row: Selectable<FeedTokensTable>): FeedTokenRecord {
  return {
    id: row.id,
    name: row.name,
    createdBy: row.created_by,
    createdAt: iso(row.created_at) as string,
    lastUsedAt: iso(row.last_used_at),
    revokedAt: iso(row.revoked_at),
  };
}

export function createFeedTokenStore(db: Kysely<Database>, atomically: Atomically): FeedTokenStore {
  return {
    create: (input, by, now) =>
      atomically(async (executor) => {
        const row = {
          id: newId('ftk'),
          name: input.name,
          token_hash: input.tokenHash,
          created_by: by,
          created_at: now.getTime(),
          last_used_at: null,
          revoked_at: null,
        };
        await executor.insertInto('feed_tokens').values(row).execute();
        await writeAudit(
          executor,
          {
            actor: by,
            operation: 'feedToken.create',
            target: `feedToken:${row.id}`,
            after: { name: row.name },
          },
          now,
        );
        return toRecord(row);
      }),

    async use(tokenHash, now) {
      const row = await db
        .selectFrom('feed_tokens')
        .selectAll()
        .where('token_hash', '=', tokenHash)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      if (!row) return undefined;
      // Once a minute at most: a firewall fetching every few seconds does not write every time.
      if (row.last_used_at === null || now.getTime() - Number(row.last_used_at) > 60_000)
        await db
          .updateTable('feed_tokens')
          .set({ last_used_at: now.getTime() })
          .where('id', '=', row.id)
          .execute();
      return toRecord(row);
    },

    async list() {
      const rows = await db.selectFrom('feed_tokens').selectAll().orderBy('created_at', 'desc').execute();
      return rows.map(toRecord);
    },

    revoke: (id, by, now) =>
      atomically(async (executor) => {
        const row = await executor
          .selectFrom('feed_tokens')
          .selectAll()
          .where('id', '=', id)
          .executeTakeFirst();
        if (!row) return undefined;
        if (row.revoked_at === null) {
          await executor
            .updateTable('feed_tokens')
            .set({ revoked_at: now.getTime() })
            .where('id', '=', id)
            .execute();
          await writeAudit(
            executor,
            { actor: by, operation: 'feedToken.revoke', target: `feedToken:${id}` },
            now,
          );
        }
        return toRecord({ ...row, revoked_at: row.revoked_at ?? now.getTime() });
      }),
  };
}
