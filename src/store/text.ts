/**
 * Text the database can hold, the same on both backends. PostgreSQL's `text` refuses the NUL character (U+0000)
 * that SQLite accepts: an e-mail subject that decodes to one, or a name sent by an attacker, would fail its whole
 * transaction there — keeping a batch of evidence out. Every string autoir stores or looks up has its NULs
 * replaced by U+FFFD (the Unicode replacement character), on both backends, so a record reads the same whichever
 * stores it. Raw bytes are unaffected: events keep their raw record as bytes; JSON text holds NUL as `\u0000`.
 *
 * Applied in one place per path: every query Kysely runs (`textSafe`, a dialect wrapper), and SQLite's in-process
 * bulk statements (store/sqlite.ts).
 */
import type {
  CompiledQuery,
  DatabaseConnection,
  Dialect,
  Driver,
  Kysely,
  QueryResult,
  TransactionSettings,
} from 'kysely';

/** What a NUL character is stored as. */
export const NUL_REPLACEMENT = '\uFFFD';

/** `text` with every NUL replaced by U+FFFD (the same string when it has none). */
export function storableText(text: string): string {
  return text.includes('\0') ? text.replaceAll('\0', NUL_REPLACEMENT) : text;
}

function storableValue(value: unknown): unknown {
  if (typeof value === 'string') return storableText(value);
  if (Array.isArray(value)) return storableValues(value);
  return value;
}

/** A parameter list with its strings (and arrays of strings) storable; the same array when nothing changes. */
export function storableValues(values: readonly unknown[]): readonly unknown[] {
  for (let index = 0; index < values.length; index++) {
    const value = values[index];
    const changed = storableValue(value);
    if (changed !== value) {
      const copy = values.slice();
      copy[index] = changed;
      for (let rest = index + 1; rest < copy.length; rest++) copy[rest] = storableValue(copy[rest]);
      return copy;
    }
  }
  return values;
}

function storableQuery(query: CompiledQuery): CompiledQuery {
  const parameters = storableValues(query.parameters);
  return parameters === query.parameters ? query : { ...query, parameters };
}

/** A connection whose queries carry storable parameters; the driver it came from gets the original back. */
class TextSafeConnection implements DatabaseConnection {
  constructor(readonly inner: DatabaseConnection) {}

  executeQuery<R>(query: CompiledQuery, options?: Parameters<DatabaseConnection['executeQuery']>[1]) {
    return this.inner.executeQuery<R>(storableQuery(query), options);
  }

  streamQuery<R>(
    query: CompiledQuery,
    chunkSize: number,
    options?: Parameters<DatabaseConnection['streamQuery']>[2],
  ): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(storableQuery(query), chunkSize, options);
  }
}

const innerOf = (connection: DatabaseConnection) =>
  connection instanceof TextSafeConnection ? connection.inner : connection;

class TextSafeDriver implements Driver {
  constructor(private readonly inner: Driver) {}

  init(options?: Parameters<Driver['init']>[0]) {
    return this.inner.init(options);
  }
  async acquireConnection(options?: Parameters<Driver['acquireConnection']>[0]) {
    return new TextSafeConnection(await this.inner.acquireConnection(options));
  }
  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings) {
    return this.inner.beginTransaction(innerOf(connection), settings);
  }
  commitTransaction(connection: DatabaseConnection) {
    return this.inner.commitTransaction(innerOf(connection));
  }
  rollbackTransaction(connection: DatabaseConnection) {
    return this.inner.rollbackTransaction(innerOf(connection));
  }
  savepoint(
    connection: DatabaseConnection,
    ...rest: [string, Parameters<NonNullable<Driver['savepoint']>>[2]]
  ) {
    return this.inner.savepoint!(innerOf(connection), ...rest);
  }
  rollbackToSavepoint(
    connection: DatabaseConnection,
    ...rest: [string, Parameters<NonNullable<Driver['rollbackToSavepoint']>>[2]]
  ) {
    return this.inner.rollbackToSavepoint!(innerOf(connection), ...rest);
  }
  releaseSavepoint(
    connection: DatabaseConnection,
    ...rest: [string, Parameters<NonNullable<Driver['releaseSavepoint']>>[2]]
  ) {
    return this.inner.releaseSavepoint!(innerOf(connection), ...rest);
  }
  releaseConnection(connection: DatabaseConnection, options?: Parameters<Driver['releaseConnection']>[1]) {
    return this.inner.releaseConnection(innerOf(connection), options);
  }
  destroy(options?: Parameters<Driver['destroy']>[0]) {
    return this.inner.destroy(options);
  }
}

/** `dialect`, with every string parameter of every query made storable (NUL → U+FFFD). */
export function textSafe(dialect: Dialect): Dialect {
  return {
    createDriver: () => new TextSafeDriver(dialect.createDriver()),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createAdapter: () => dialect.createAdapter(),
    createIntrospector: (db: Kysely<unknown>) => dialect.createIntrospector(db),
  };
}
