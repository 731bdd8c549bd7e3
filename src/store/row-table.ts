/**
 * Rows held in memory, read by a statement as a table: the keys of a correlation batch, say, joined against an
 * index. PostgreSQL receives one array per column (`unnest`); SQLite reads the rows where they are, through a
 * table-valued function over the caller's arrays (store/sqlite.ts) — no JSON to write and take apart again, which
 * cost more than the index seeks the rows were for.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Values } from './bulk-insert.js';

/** A column's SQL type on PostgreSQL (SQLite takes values as they are). */
export type RowColumnType = 'int' | 'bigint' | 'text';

export type RowColumns = readonly (readonly [name: string, type: RowColumnType])[];

export interface RowTable {
  /**
   * Run `use` with `rows` (arrays of values in column order) readable as `table`, a `select` of the named columns
   * to put in a `with` or a `from (…)`. The rows are held until `use` settles.
   */
  withRows<T>(
    columns: RowColumns,
    rows: readonly Values[],
    use: (table: RawBuilder<unknown>) => Promise<T>,
  ): Promise<T>;
}

/** PostgreSQL: one typed array per column, unnested side by side. */
export const unnestRowTable: RowTable = {
  withRows(columns, rows, use) {
    const arrays = columns.map(
      ([, type], column) => sql`${rows.map((row) => row[column])}::${sql.raw(type)}[]`,
    );
    const names = sql.raw(columns.map(([name]) => name).join(', '));
    return use(sql`select * from unnest(${sql.join(arrays)}) as t(${names})`);
  },
};

/** Widest row a SQLite row table takes. */
export const MAX_ROW_WIDTH = 8;

/** The table-valued function reading rows of `width` values. */
export const rowFunctionName = (width: number) => `autoir_rows${width}`;

/**
 * SQLite: rows registered under a number while in use; `autoir_rowsN(number)` (registered on the connection for
 * each width up to MAX_ROW_WIDTH, see store/sqlite.ts) yields them.
 */
export function registryRowTable(): { table: RowTable; rowsOf(source: number): readonly Values[] } {
  const held = new Map<number, readonly Values[]>();
  let next = 0;
  return {
    rowsOf: (source) => held.get(source) ?? [],
    table: {
      async withRows(columns, rows, use) {
        if (columns.length === 0 || columns.length > MAX_ROW_WIDTH)
          throw new RangeError(`a row table has 1 to ${MAX_ROW_WIDTH} columns, not ${columns.length}`);
        const source = ++next;
        held.set(source, rows);
        const names = sql.raw(columns.map(([name], column) => `c${column} as ${name}`).join(', '));
        try {
          return await use(sql`select ${names} from ${sql.raw(rowFunctionName(columns.length))}(${source})`);
        } finally {
          held.delete(source);
        }
      },
    },
  };
}
