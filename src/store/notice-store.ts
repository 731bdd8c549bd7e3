/** Announcements made (respond/ports.ts `NoticeLedger`): one row per (kind, subject), on SQLite and PostgreSQL. */
import type { Kysely } from 'kysely';
import type { NoticeLedger } from '../respond/ports.js';
import type { Database } from './schema.js';

export function createNoticeStore(db: Kysely<Database>): NoticeLedger {
  return {
    async claim(kind, subject, now) {
      const result = await db
        .insertInto('notices')
        .values({ kind, subject, sent_at: now.getTime() })
        .onConflict((conflict) => conflict.columns(['kind', 'subject']).doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    },
    async release(kind, subject) {
      await db.deleteFrom('notices').where('kind', '=', kind).where('subject', '=', subject).execute();
    },
  };
}
