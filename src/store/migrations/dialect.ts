/** What migrations need to know of the dialect they run on. */
import { SqliteAdapter, sql, type Kysely } from 'kysely';

export function isSqlite(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}

/** SQLite only: a table clustered on its primary key saves one b-tree per row written. */
export function withoutRowid(db: Kysely<unknown>) {
  return isSqlite(db) ? sql`without rowid` : sql``;
}
