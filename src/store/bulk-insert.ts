/**
 * Bulk inserts, written once in Kysely and run the fastest way each dialect allows:
 * - PostgreSQL: multi-row statements, compiled once per row count and reused with fresh parameters (building and
 *   compiling a 500-row insert costs more than the server takes to run it).
 * - SQLite: the single-row statement, prepared once and run row after row in-process, which is faster in SQLite
 *   than a multi-row VALUES list and spares an async round trip per row.
 */
import { CompiledQuery, type Compilable, type Kysely } from 'kysely';
import { AutoirError } from '../domain/errors.js';

/**
 * Runs one compiled single-row statement for many parameter lists, in the caller's transaction, returning the
 * rows each produced (for RETURNING). Provided by an embedded dialect (store/sqlite.ts).
 */
export type RunMany = (sqlText: string, parameterRows: readonly unknown[][], returning: boolean) => unknown[];

export class BulkInsert<Row extends object> {
  private readonly sqlByCount = new Map<number, string>();

  constructor(
    private readonly columns: readonly (keyof Row & string)[],
    /** Builds the statement for these rows (values, conflict handling, returning). */
    private readonly build: (db: Kysely<never>, rows: readonly Row[]) => Compilable,
    private readonly options: {
      readonly runMany?: RunMany;
      readonly chunk: number;
      readonly returning: boolean;
    },
  ) {}

  async run<Result = unknown>(db: Kysely<never>, rows: readonly Row[]): Promise<Result[]> {
    if (rows.length === 0) return [];
    const { runMany } = this.options;
    if (runMany) {
      const sqlText = this.sqlFor(db, 1);
      return runMany(
        sqlText,
        rows.map((row) => this.columns.map((column) => row[column])),
        this.options.returning,
      ) as Result[];
    }
    const results: Result[] = [];
    for (let start = 0; start < rows.length; start += this.options.chunk) {
      const chunk = rows.slice(start, start + this.options.chunk);
      const parameters: unknown[] = new Array(chunk.length * this.columns.length);
      let index = 0;
      for (const row of chunk) for (const column of this.columns) parameters[index++] = row[column];
      const result = await db.executeQuery<Result>(
        CompiledQuery.raw(this.sqlFor(db, chunk.length), parameters),
      );
      results.push(...result.rows);
    }
    return results;
  }

  private sqlFor(db: Kysely<never>, count: number): string {
    let sqlText = this.sqlByCount.get(count);
    if (sqlText === undefined) {
      sqlText = this.compile(db, count);
      if (this.sqlByCount.size > 64) this.sqlByCount.clear();
      this.sqlByCount.set(count, sqlText);
    }
    return sqlText;
  }

  /** Compile with sentinel values and check that parameters come out row by row, column by column. */
  private compile(db: Kysely<never>, count: number): string {
    const sentinels = Array.from({ length: count }, (_, row) =>
      Object.fromEntries(this.columns.map((column, position) => [column, `\u0000${row}:${position}`])),
    ) as unknown as Row[];
    const compiled = this.build(db, sentinels).compile();
    const expected = sentinels.flatMap((row) => this.columns.map((column) => row[column]));
    if (
      compiled.parameters.length !== expected.length ||
      compiled.parameters.some((value, position) => value !== expected[position])
    ) {
      throw new AutoirError(
        'AUTOIR_E_INTERNAL',
        'bulk insert: the compiled query does not take its parameters row by row',
      );
    }
    return compiled.sql;
  }
}
