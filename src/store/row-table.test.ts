import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createPostgresKysely } from './postgres.js';
import { unnestRowTable, type RowColumns, type RowTable } from './row-table.js';
import type { Database } from './schema.js';
import { createSqliteKysely } from './sqlite.js';

const COLUMNS: RowColumns = [
  ['i', 'int'],
  ['h', 'bigint'],
  ['m', 'text'],
];
// A 53-bit hash (the entity index's keys), a negative number, text with quotes and a backslash, a null.
const ROWS = [
  [0, 2 ** 53 - 1, 'a "quoted" \\ value'],
  [1, -42, null],
  [2, 7, ''],
];

describe.each(['sqlite', 'postgres'] as const)('row tables on %s', (dialect) => {
  let db: Kysely<Database>;
  let rowTable: RowTable;

  beforeAll(async () => {
    if (dialect === 'sqlite') {
      const opened = createSqliteKysely({ dataDir: ':memory:' });
      db = opened.db;
      rowTable = opened.rowTable;
    } else {
      db = await createPostgresKysely({ url: inject('postgresUrl') });
      rowTable = unnestRowTable;
    }
    await sql`create temporary table hashes (h bigint primary key, name text not null)`.execute(db);
    await sql`insert into hashes (h, name) values (${2 ** 53 - 1}, 'largest'), (${7}, 'seven')`.execute(db);
  });
  afterAll(() => db.destroy());

  it('reads the rows back in order, values as given', async () => {
    const read = await rowTable.withRows(COLUMNS, ROWS, (table) =>
      sql<{ i: number; h: number | string; m: string | null }>`select * from (${table}) t order by i`.execute(
        db,
      ),
    );
    expect(read.rows.map((row) => [Number(row.i), Number(row.h), row.m])).toEqual(ROWS);
  });

  it('joins on an integer key exactly, up to 53 bits', async () => {
    const joined = await rowTable.withRows(COLUMNS, ROWS, (table) =>
      sql<{ i: number; name: string }>`with k as (${table})
        select k.i as i, hashes.name as name from k join hashes on hashes.h = k.h order by k.i`.execute(db),
    );
    expect(joined.rows.map((row) => [Number(row.i), row.name])).toEqual([
      [0, 'largest'],
      [2, 'seven'],
    ]);
  });

  it('holds no rows once the work is done, and no rows of one call show in another', async () => {
    let compiled: ReturnType<ReturnType<typeof sql>['compile']> | undefined;
    const inner = await rowTable.withRows(COLUMNS, ROWS, async (outer) => {
      compiled = sql`select count(*) as n from (${outer}) t`.compile(db);
      return rowTable.withRows(COLUMNS, ROWS.slice(0, 1), (table) =>
        sql<{ n: number | string }>`select count(*) as n from (${table}) t`.execute(db),
      );
    });
    expect(Number(inner.rows[0]?.n)).toBe(1);
    if (dialect === 'sqlite') {
      // The same statement after the call reads an empty table: the rows were let go.
      const after = await db.executeQuery<{ n: number }>(compiled!);
      expect(Number(after.rows[0]?.n)).toBe(0);
    }
  });
});

describe('row tables on sqlite', () => {
  it('refuses rows wider than its table functions take', async () => {
    const { db, rowTable } = createSqliteKysely({ dataDir: ':memory:' });
    try {
      const wide: RowColumns = Array.from({ length: 9 }, (_, index) => [`c${index}`, 'int'] as const);
      await expect(rowTable.withRows(wide, [], async () => 0)).rejects.toThrow(/1 to 8 columns, not 9/);
    } finally {
      await db.destroy();
    }
  });
});
