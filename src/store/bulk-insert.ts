/**
 * Bulk inserts, written once in Kysely and run the fastest way each dialect allows:
 * - PostgreSQL: one statement per chunk taking each column as one array parameter (`insert … select * from
 *   unnest($1::bigint[], $2::text[], …)`), compiled once: a handful of parameters however many rows, where a
 *   multi-row VALUES list binds (and the server parses and plans) one parameter per value.
 * - SQLite: the single-row statement, prepared once and run row after row in-process, which is faster in SQLite
 *   than a multi-row VALUES list and spares an async round trip per row.
 * Rows are arrays of values in column order.
 */
import { CompiledQuery, type Compilable, type Kysely } from 'kysely';
import { AutoirError } from '../domain/errors.js';

export type Values = readonly unknown[];

/** Rows of `width` numbers in one flat array, sorted by their values, first column first. */
export function sortedRows(flat: readonly unknown[], width: number): unknown[] {
  const values = flat as readonly number[];
  const count = flat.length / width;
  const order = Array.from({ length: count }, (_, row) => row * width);
  order.sort((a, b) => {
    for (let column = 0; column < width; column++) {
      const difference = (values[a + column] as number) - (values[b + column] as number);
      if (difference !== 0) return difference;
    }
    return 0;
  });
  const sorted = new Array<unknown>(flat.length);
  let at = 0;
  for (const start of order)
    for (let column = 0; column < width; column++) sorted[at++] = values[start + column];
  return sorted;
}

/**
 * In-process statements run synchronously; between slices of this many rows the thread is given back to the
 * event loop, so that (for example) parse workers are fed while a large batch is written.
 */
const IN_PROCESS_SLICE = 1000;

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Runs one compiled single-row statement for many parameter lists, in the caller's transaction (store/sqlite.ts).
 * With `rowids`, returns for each row the rowid it inserted, or `undefined` where it inserted nothing: `insert`
 * for an insert that may skip a row (`on conflict do nothing`: exact), `upsert` for one that may update instead
 * (an updated row leaves the connection's last rowid as it was, so a row whose rowid did not move is taken as not
 * inserted — which can also be a row inserted with the rowid another table's last insert had: the caller looks
 * those up).
 */
export type RunMany = (
  sqlText: string,
  rows: readonly Values[] | FlatRows,
  rowids: false | 'insert' | 'upsert',
) => (number | undefined)[];

/** Rows as one flat array of values, `width` per row: no array per row to allocate (and collect). */
export interface FlatRows {
  readonly flat: readonly unknown[];
  readonly width: number;
}

/** An insert statement, to which the columns to report can be added. */
export interface Returning extends Compilable {
  returning(columns: readonly string[]): Compilable;
}

export class BulkInsert {
  private singleRowSql: string | undefined;
  private arrayPlainSql: string | undefined;
  private arrayReturningSql: string | undefined;

  constructor(
    private readonly columns: readonly string[],
    /** Builds the statement for these rows (values, conflict handling). */
    private readonly build: (db: Kysely<never>, rows: readonly Record<string, unknown>[]) => Returning,
    private readonly options: {
      readonly runMany?: RunMany;
      readonly chunk: number;
      /** The statement updates a conflicting row instead of inserting (see RunMany). */
      readonly upsert?: boolean;
      /**
       * Columns `runReturning` reports from the statement over arrays (PostgreSQL). In-process statements report rowids
       * instead and are compiled without the clause: SQLite's RETURNING doubled the cost of an insert.
       */
      readonly returning?: readonly string[];
      /** `runFlat` inserts its rows sorted by their values (numbers), first column first. */
      readonly inKeyOrder?: boolean;
    },
  ) {}

  /**
   * Insert rows given as one flat array of values, row after row — in key order with `inKeyOrder` (numbers, first
   * column first): an index without rowid (the entity indexes) is then filled page after page instead of at random
   * places, and concurrent writers (PostgreSQL) take their row locks in one order.
   */
  async runFlat(db: Kysely<never>, given: readonly unknown[]): Promise<void> {
    const width = this.columns.length;
    const flat = this.options.inKeyOrder ? sortedRows(given, width) : given;
    const { runMany } = this.options;
    if (runMany) {
      const step = IN_PROCESS_SLICE * width;
      for (let start = 0; start < flat.length; start += step) {
        if (start > 0) await yieldToEventLoop();
        runMany(this.inProcessSql(db), { flat: flat.slice(start, start + step), width }, false);
      }
      return;
    }
    const sqlText = await this.arraySql(db, false);
    const step = this.options.chunk * width;
    for (let start = 0; start < flat.length; start += step) {
      const end = Math.min(flat.length, start + step);
      await db.executeQuery(
        CompiledQuery.raw(
          sqlText,
          this.columnArrays(
            (row, column) => flat[row * width + column],
            (end - start) / width,
            start / width,
          ),
        ),
      );
    }
  }

  /**
   * Insert and report: on PostgreSQL the rows of the statement's RETURNING clause; on SQLite the rowid inserted
   * for each row (`undefined` where an upsert updated an existing row instead).
   */
  runReturning(
    db: Kysely<never>,
    rows: readonly Values[],
  ): Promise<{ rows: unknown[] } | { rowids: (number | undefined)[] }> {
    return this.execute(db, rows, true);
  }

  private async execute(
    db: Kysely<never>,
    rows: readonly Values[],
    returning: boolean,
  ): Promise<{ rows: unknown[] } | { rowids: (number | undefined)[] }> {
    if (rows.length === 0) return { rows: [] };
    const { runMany } = this.options;
    if (runMany) {
      const rowids: (number | undefined)[] = [];
      for (let start = 0; start < rows.length; start += IN_PROCESS_SLICE) {
        if (start > 0) await yieldToEventLoop();
        rowids.push(
          ...runMany(
            this.inProcessSql(db),
            rows.slice(start, start + IN_PROCESS_SLICE),
            returning && (this.options.upsert ? 'upsert' : 'insert'),
          ),
        );
      }
      return { rowids };
    }
    const sqlText = await this.arraySql(db, returning);
    const results: unknown[] = [];
    for (let start = 0; start < rows.length; start += this.options.chunk) {
      const count = Math.min(this.options.chunk, rows.length - start);
      const parameters = this.columnArrays((row, column) => rows[row]?.[column], count, start);
      const result = await db.executeQuery(CompiledQuery.raw(sqlText, parameters));
      if (returning) for (const row of result.rows) results.push(row);
    }
    return { rows: results };
  }

  /**
   * The PostgreSQL statement: the single-row insert with its VALUES list replaced by the unnested column arrays,
   * each cast to its column's type (read from the catalog once).
   */
  private async arraySql(db: Kysely<never>, returning: boolean): Promise<string> {
    const cached = returning ? this.arrayReturningSql : this.arrayPlainSql;
    if (cached !== undefined) return cached;
    const { returning: columns } = this.options;
    const single = this.build(db, [Object.fromEntries(this.columns.map((column) => [column, null]))]);
    const compiled = (returning && columns ? single.returning(columns) : single).compile();
    const table = /^insert into "([^"]+)"/.exec(compiled.sql)?.[1];
    const values = /values \((\$\d+(?:, \$\d+)*)\)/.exec(compiled.sql);
    if (table === undefined || values === null || compiled.parameters.length !== this.columns.length)
      throw new AutoirError('AUTOIR_E_INTERNAL', `bulk insert: cannot unnest ${compiled.sql.slice(0, 80)}`);
    const types = await columnTypes(db, table, this.columns);
    const casts = this.columns.map((column, position) => {
      const type = types.get(column);
      if (type === undefined)
        throw new AutoirError('AUTOIR_E_INTERNAL', `bulk insert: no column ${column} in ${table}`);
      return `$${position + 1}::${type}[]`;
    });
    const sqlText =
      compiled.sql.slice(0, values.index) +
      `select * from unnest(${casts.join(', ')})` +
      compiled.sql.slice(values.index + values[0].length);
    if (returning) this.arrayReturningSql = sqlText;
    else this.arrayPlainSql = sqlText;
    return sqlText;
  }

  /** One array literal per column for `count` rows from `first`, as PostgreSQL's text form of an array. */
  private columnArrays(
    value: (row: number, column: number) => unknown,
    count: number,
    first: number,
  ): string[] {
    return this.columns.map((_, column) => {
      const parts = new Array<string>(count);
      for (let row = 0; row < count; row++) parts[row] = arrayElement(value(first + row, column));
      return `{${parts.join(',')}}`;
    });
  }

  /**
   * The single-row statement run in-process (SQLite), compiled once with sentinel values, checked to take its
   * parameters column by column.
   */
  private inProcessSql(db: Kysely<never>): string {
    if (this.singleRowSql !== undefined) return this.singleRowSql;
    const sentinel = Object.fromEntries(
      this.columns.map((column, position) => [column, `\u0000${position}`]),
    );
    const compiled = this.build(db, [sentinel]).compile();
    if (
      compiled.parameters.length !== this.columns.length ||
      compiled.parameters.some((value, position) => value !== `\u0000${position}`)
    ) {
      throw new AutoirError(
        'AUTOIR_E_INTERNAL',
        'bulk insert: the compiled query does not take its parameters column by column',
      );
    }
    this.singleRowSql = compiled.sql;
    return compiled.sql;
  }
}

/**
 * One row's statement (an update, say), written once in Kysely and compiled once, run for many rows: in-process on
 * SQLite (`runMany`), row after row; on PostgreSQL as one statement per chunk over the rows' values as arrays —
 * `update t set a = v.p1 … from unnest($1::type[], …) as v(p1, …) where id = v.pN` — so the rows must not depend on
 * one another (each names another row to change). Rows are arrays of values in `parameters` order.
 */
export class RowStatement {
  private sqlText: string | undefined;
  private arraySqlText: string | undefined;

  constructor(
    private readonly parameters: readonly string[],
    private readonly build: (db: Kysely<never>, row: Record<string, unknown>) => Compilable,
    private readonly runMany: RunMany | undefined,
  ) {}

  async run(db: Kysely<never>, rows: readonly Values[]): Promise<void> {
    const sqlText = (this.sqlText ??= this.compile(db));
    const { runMany } = this;
    if (!runMany) {
      if (rows.length === 0) return;
      const arraySql = (this.arraySqlText ??= await unnestedStatement(db, sqlText));
      for (let start = 0; start < rows.length; start += ROW_STATEMENT_CHUNK) {
        const chunk = rows.slice(start, start + ROW_STATEMENT_CHUNK);
        const parameters = this.parameters.map(
          (_, column) => `{${chunk.map((row) => arrayElement(row[column])).join(',')}}`,
        );
        await db.executeQuery(CompiledQuery.raw(arraySql, parameters));
      }
      return;
    }
    for (let start = 0; start < rows.length; start += IN_PROCESS_SLICE) {
      if (start > 0) await yieldToEventLoop();
      runMany(sqlText, rows.slice(start, start + IN_PROCESS_SLICE), false);
    }
  }

  private compile(db: Kysely<never>): string {
    const sentinel = Object.fromEntries(this.parameters.map((name, position) => [name, `\u0000${position}`]));
    const compiled = this.build(db, sentinel).compile();
    if (
      compiled.parameters.length !== this.parameters.length ||
      compiled.parameters.some((value, position) => value !== `\u0000${position}`)
    ) {
      throw new AutoirError(
        'AUTOIR_E_INTERNAL',
        'row statement: the compiled query does not take its parameters in the order given',
      );
    }
    return compiled.sql;
  }
}

/** Rows per set-based statement on PostgreSQL. */
const ROW_STATEMENT_CHUNK = 2000;

/**
 * A single-row `update "t" set "a" = $1 … where "b" = $n` as one statement over arrays: every parameter becomes a
 * column of `unnest(…) as v(p1, …)`, typed as the column it is assigned to or compared with.
 */
async function unnestedStatement(db: Kysely<never>, sqlText: string): Promise<string> {
  const table = /^update "([^"]+)" set /.exec(sqlText)?.[1];
  const where = sqlText.lastIndexOf(' where ');
  const columnOf = new Map<number, string>();
  for (const match of sqlText.matchAll(/"(\w+)" = \$(\d+)/g))
    columnOf.set(Number(match[2]), match[1] as string);
  const count = new Set([...sqlText.matchAll(/\$(\d+)/g)].map((match) => Number(match[1]))).size;
  if (table === undefined || where < 0 || columnOf.size !== count)
    throw new AutoirError(
      'AUTOIR_E_INTERNAL',
      `row statement: cannot run ${sqlText.slice(0, 80)} over arrays`,
    );
  const types = await columnTypes(db, table, [...columnOf.values()]);
  const names = Array.from({ length: count }, (_, index) => `p${index + 1}`);
  const casts = names.map((_, index) => {
    const type = types.get(columnOf.get(index + 1) as string);
    if (type === undefined)
      throw new AutoirError('AUTOIR_E_INTERNAL', `row statement: no column type for $${index + 1}`);
    return `$${index + 1}::${type}[]`;
  });
  const body = sqlText.replace(/\$(\d+)/g, (_, position: string) => `v.p${position}`);
  const at = body.lastIndexOf(' where ');
  return `${body.slice(0, at)} from unnest(${casts.join(', ')}) as v(${names.join(', ')})${body.slice(at)}`;
}

/** An element of an array literal: numbers as they are, text quoted and escaped, bytes in hex, NULL. */
function arrayElement(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (value instanceof Uint8Array)
    return `"\\\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}"`;
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /["\\]/.test(text) ? `"${text.replace(/[\\"]/g, '\\$&')}"` : `"${text}"`;
}

/**
 * Column types by table, read once per process: every store a process opens has its tables from the same
 * migrations (a column not found, added by a later migration, is read again).
 */
const typesByTable = new Map<string, Map<string, string>>();

/** The columns' types of a table on the connection's search path, as `format_type` writes them. */
async function columnTypes(
  db: Kysely<never>,
  table: string,
  columns: readonly string[],
): Promise<Map<string, string>> {
  const known = typesByTable.get(table);
  if (known && columns.every((column) => known.has(column))) return known;
  const result = await db.executeQuery<{ name: string; type: string }>(
    CompiledQuery.raw(
      'select attname as name, format_type(atttypid, atttypmod) as type from pg_attribute ' +
        'where attrelid = to_regclass($1) and attnum > 0 and not attisdropped',
      [`"${table}"`],
    ),
  );
  const types = new Map(result.rows.map((row) => [row.name, row.type]));
  typesByTable.set(table, types);
  return types;
}
