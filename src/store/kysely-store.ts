/**
 * The store, written once against Kysely and run on SQLite and PostgreSQL alike. Dialect files (sqlite.ts,
 * postgres.ts) only open connections.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { isRole } from '../domain/access.js';
import { severityRank, type Severity } from '../domain/alert.js';
import { entityAliases, resolveEntity, uniqueEntities, type Entity } from '../domain/entity.js';
import { AutoirError, badInput } from '../domain/errors.js';
import { newId } from './ids.js';
import type {
  AlertFilter,
  AlertInput,
  AlertRecord,
  AlertStore,
  AlertWriteResult,
  ApiToken,
  Page,
  Store,
  StoreDialect,
  TokenStore,
} from './ports.js';
import { BulkInsert, type RunMany } from './bulk-insert.js';
import type { AlertEntitiesTable, AlertsTable, Database } from './schema.js';

/** Rows per multi-row insert: well under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters. */
const ALERT_CHUNK = 500;
const ENTITY_CHUNK = 5000;
const LOOKUP_CHUNK = 500;

export interface KyselyStoreOptions {
  readonly dialect: StoreDialect;
  readonly location: string;
  /** An embedded dialect's way to run one statement for many rows in-process (SQLite). */
  readonly runMany?: RunMany;
}

export function createKyselyStore(db: Kysely<Database>, options: KyselyStoreOptions): Store {
  return bind(db, options, false, createStatements(options.runMany));
}

/** The bulk statements of a store, compiled once and shared by its transactions. */
interface Statements {
  readonly upsertAlerts: BulkInsert<AlertsTable>;
  readonly insertAlertEntities: BulkInsert<AlertEntitiesTable>;
}

const alertTableColumns = [
  'id',
  'source',
  'source_ref',
  'title',
  'description',
  'severity',
  'severity_rank',
  'category',
  'detector',
  'mitre_techniques',
  'created_at',
  'first_activity_at',
  'last_activity_at',
  'ingested_at',
  'updated_at',
  'incident_id',
  'entities',
  'raw',
  'format',
] as const satisfies readonly (keyof AlertsTable)[];

function createStatements(runMany: RunMany | undefined): Statements {
  return {
    upsertAlerts: new BulkInsert<AlertsTable>(
      alertTableColumns,
      (db, rows) =>
        (db as unknown as Kysely<Database>)
          .insertInto('alerts')
          .values(rows as AlertsTable[])
          .onConflict((conflict) =>
            conflict.columns(['source', 'source_ref']).doUpdateSet((eb) => ({
              title: eb.ref('excluded.title'),
              description: eb.ref('excluded.description'),
              severity: eb.ref('excluded.severity'),
              severity_rank: eb.ref('excluded.severity_rank'),
              category: eb.ref('excluded.category'),
              detector: eb.ref('excluded.detector'),
              mitre_techniques: eb.ref('excluded.mitre_techniques'),
              created_at: eb.ref('excluded.created_at'),
              first_activity_at: eb.ref('excluded.first_activity_at'),
              last_activity_at: eb.ref('excluded.last_activity_at'),
              updated_at: eb.ref('excluded.updated_at'),
              entities: eb.ref('excluded.entities'),
              raw: eb.ref('excluded.raw'),
              format: eb.ref('excluded.format'),
            })),
          )
          .returning(['id', 'source', 'source_ref']),
      { runMany, chunk: ALERT_CHUNK, returning: true },
    ),
    insertAlertEntities: new BulkInsert<AlertEntitiesTable>(
      ['entity_key', 'alert_id'],
      (db, rows) =>
        (db as unknown as Kysely<Database>)
          .insertInto('alert_entities')
          .values(rows as AlertEntitiesTable[])
          .onConflict((conflict) => conflict.doNothing()),
      { runMany, chunk: ENTITY_CHUNK, returning: false },
    ),
  };
}

function bind(
  db: Kysely<Database>,
  options: KyselyStoreOptions,
  inTransaction: boolean,
  statements: Statements,
): Store {
  /** Run `work` in the current transaction, or in a new one when there is none. */
  const atomically = <T>(work: (executor: Kysely<Database>) => Promise<T>): Promise<T> =>
    inTransaction ? work(db) : db.transaction().execute((trx: Transaction<Database>) => work(trx));

  const store: Store = {
    dialect: options.dialect,
    location: options.location,
    alerts: createAlertStore(db, atomically, statements),
    tokens: createTokenStore(db),
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    transaction: <T>(work: (inner: Store) => Promise<T>) =>
      inTransaction
        ? work(store)
        : db.transaction().execute((trx) => work(bind(trx, options, true, statements))),
    close: () => (inTransaction ? Promise.resolve() : db.destroy()),
  };
  return store;
}

type Atomically = <T>(work: (executor: Kysely<Database>) => Promise<T>) => Promise<T>;

// -----------------------------------------------------------------------------------------------------------------
// Alerts
// -----------------------------------------------------------------------------------------------------------------

function createAlertStore(db: Kysely<Database>, atomically: Atomically, statements: Statements): AlertStore {
  return {
    upsertAlerts: (inputs, now) =>
      inputs.length === 0
        ? Promise.resolve([])
        : atomically((executor) => upsertAlerts(executor, statements, inputs, now)),

    async getAlert(id) {
      const row = await db.selectFrom('alerts').select(alertColumns).where('id', '=', id).executeTakeFirst();
      return row ? toAlertRecord(row) : undefined;
    },

    async getAlertRaw(id) {
      const row = await db.selectFrom('alerts').select('raw').where('id', '=', id).executeTakeFirst();
      return row?.raw ?? undefined;
    },

    async listAlerts(filter, page) {
      const limit = Math.max(1, Math.min(page.limit, 1000));
      let query = applyAlertFilter(db.selectFrom('alerts').select(alertColumns), filter);
      if (page.cursor !== undefined) {
        const [time, id] = decodeCursor(page.cursor);
        query = query.where((eb) =>
          eb.or([eb('created_at', '<', time), eb.and([eb('created_at', '=', time), eb('id', '<', id)])]),
        );
      }
      const rows = await query
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit + 1)
        .execute();
      const items = rows.slice(0, limit).map(toAlertRecord);
      const last = rows.length > limit ? rows[limit - 1] : undefined;
      return {
        items,
        nextCursor: last ? encodeCursor(last.created_at, last.id) : null,
      } satisfies Page<AlertRecord>;
    },

    async countAlerts(filter = {}) {
      const row = await applyAlertFilter(
        db.selectFrom('alerts').select((eb) => eb.fn.countAll<number>().as('count')),
        filter,
      ).executeTakeFirstOrThrow();
      return Number(row.count);
    },
  };
}

const alertColumns = [
  'id',
  'source',
  'source_ref',
  'title',
  'description',
  'severity',
  'category',
  'detector',
  'mitre_techniques',
  'created_at',
  'first_activity_at',
  'last_activity_at',
  'ingested_at',
  'updated_at',
  'incident_id',
  'entities',
  'format',
] as const;

type AlertRow = Pick<AlertsTable, (typeof alertColumns)[number]>;

function toAlertRecord(row: AlertRow): AlertRecord {
  const record: Record<string, unknown> = {
    id: row.id,
    source: row.source,
    sourceRef: row.source_ref,
    title: row.title,
    description: row.description ?? undefined,
    severity: row.severity as Severity,
    category: row.category ?? undefined,
    detector: row.detector ?? undefined,
    mitreTechniques: JSON.parse(row.mitre_techniques) as string[],
    createdAt: iso(row.created_at),
    firstActivityAt: row.first_activity_at === null ? undefined : iso(row.first_activity_at),
    lastActivityAt: row.last_activity_at === null ? undefined : iso(row.last_activity_at),
    incidentId: row.incident_id,
    entities: JSON.parse(row.entities) as Entity[],
    ingestedAt: iso(row.ingested_at),
    updatedAt: iso(row.updated_at),
    format: row.format,
  };
  for (const key of Object.keys(record)) if (record[key] === undefined) delete record[key];
  return record as unknown as AlertRecord;
}

// The filter is applied to differently-shaped select builders; `any` keeps that one helper generic.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function applyAlertFilter<Q extends { where: (...args: any[]) => any }>(query: Q, filter: AlertFilter): Q {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let q: any = query;
  if (filter.severities && filter.severities.length > 0) q = q.where('severity', 'in', filter.severities);
  if (filter.minSeverity !== undefined) q = q.where('severity_rank', '>=', severityRank(filter.minSeverity));
  if (filter.sources && filter.sources.length > 0) q = q.where('source', 'in', filter.sources);
  if (filter.categories && filter.categories.length > 0) q = q.where('category', 'in', filter.categories);
  if (filter.detector !== undefined) q = q.where('detector', '=', filter.detector);
  if (filter.mitreTechnique !== undefined) {
    // Stored as a JSON array of normalised ids: `"T1003` also matches `"T1003.001"`.
    q = q.where('mitre_techniques', 'like', sql`${`%"${escapeLike(filter.mitreTechnique)}%`} escape '\\'`);
  }
  if (filter.incidentId === null) q = q.where('incident_id', 'is', null);
  else if (filter.incidentId !== undefined) q = q.where('incident_id', '=', filter.incidentId);
  if (filter.since !== undefined) q = q.where('created_at', '>=', epoch(filter.since, 'since'));
  if (filter.until !== undefined) q = q.where('created_at', '<', epoch(filter.until, 'until'));
  if (filter.text !== undefined && filter.text !== '') {
    q = q.where(sql`lower(title)`, 'like', sql`${`%${escapeLike(filter.text.toLowerCase())}%`} escape '\\'`);
  }
  if (filter.entityKey !== undefined) {
    q = q.where('id', 'in', (eb: Kysely<Database>) =>
      eb
        .selectFrom('alert_entities')
        .select('alert_id')
        .where('entity_key', '=', filter.entityKey as string),
    );
  }
  return q as Q;
}

async function upsertAlerts(
  db: Kysely<Database>,
  statements: Statements,
  inputs: readonly AlertInput[],
  now: Date,
): Promise<AlertWriteResult[]> {
  const nowMs = now.getTime();

  // 1. One row per (source, sourceRef): a batch that repeats an alert keeps its last version.
  const lastIndexByRef = new Map<string, number>();
  inputs.forEach((input, index) =>
    lastIndexByRef.set(refKey(input.draft.source, input.draft.sourceRef), index),
  );

  // 2. Learn aliases from this batch (an FQDN names its short host name; an account its UPN and SID), then
  //    resolve every entity through all aliases known so far.
  const entityLists = inputs.map((input) => input.draft.entities);
  await registerAliases(db, entityLists.flat(), nowMs);
  const lookup = await loadAliases(db, aliasCandidates(entityLists.flat()));
  const resolve = (entities: readonly Entity[]): Entity[] =>
    uniqueEntities(entities.map((entity) => resolveEntity(entity, (key) => lookup.get(key) ?? undefined)));

  // 3. Upsert the alerts; RETURNING tells which rows already existed (their id is not the one we proposed).
  const proposed = new Map<string, string>();
  const rows: AlertsTable[] = [];
  const resolvedEntities = new Map<string, Entity[]>();
  for (const index of lastIndexByRef.values()) {
    const { draft, raw, format } = inputs[index] as AlertInput;
    const id = newId('alr', nowMs);
    const entities = resolve(draft.entities);
    proposed.set(refKey(draft.source, draft.sourceRef), id);
    resolvedEntities.set(id, entities);
    rows.push({
      id,
      source: draft.source,
      source_ref: draft.sourceRef,
      title: draft.title,
      description: draft.description ?? null,
      severity: draft.severity,
      severity_rank: severityRank(draft.severity),
      category: draft.category ?? null,
      detector: draft.detector ?? null,
      mitre_techniques: JSON.stringify(draft.mitreTechniques),
      created_at: epoch(draft.createdAt, 'createdAt'),
      first_activity_at:
        draft.firstActivityAt === undefined ? null : epoch(draft.firstActivityAt, 'firstActivityAt'),
      last_activity_at:
        draft.lastActivityAt === undefined ? null : epoch(draft.lastActivityAt, 'lastActivityAt'),
      ingested_at: nowMs,
      updated_at: nowMs,
      incident_id: null,
      entities: JSON.stringify(entities),
      raw: raw ?? null,
      format,
    });
  }

  // The entity index of alerts stored before must be replaced: find them and their entity keys first.
  const previous = await existingAlerts(db, rows);

  const stored = new Map<string, string>();
  const returned = await statements.upsertAlerts.run<{ id: string; source: string; source_ref: string }>(
    db as unknown as Kysely<never>,
    rows,
  );
  for (const row of returned) stored.set(refKey(row.source, row.source_ref), row.id);

  // 4. Replace the entity index of updated alerts; index the new ones.
  for (const { id, entityKeys } of previous) {
    for (const chunk of chunks(entityKeys, LOOKUP_CHUNK)) {
      await db
        .deleteFrom('alert_entities')
        .where('entity_key', 'in', chunk)
        .where('alert_id', '=', id)
        .execute();
    }
  }
  const entityRows: AlertEntitiesTable[] = [];
  for (const [ref, proposedId] of proposed) {
    const id = stored.get(ref);
    if (id === undefined)
      throw new AutoirError('AUTOIR_E_INTERNAL', `alert ${ref} was not returned by the upsert`);
    for (const entity of resolvedEntities.get(proposedId) ?? [])
      entityRows.push({ entity_key: entity.key, alert_id: id });
  }
  await statements.insertAlertEntities.run(db as unknown as Kysely<never>, entityRows);

  // 5. Per input, in input order: a repeat inside the batch counts as an update of the first.
  const seen = new Set<string>();
  return inputs.map((input) => {
    const ref = refKey(input.draft.source, input.draft.sourceRef);
    const id = stored.get(ref) as string;
    const created = id === proposed.get(ref) && !seen.has(ref);
    seen.add(ref);
    return { id, status: created ? 'created' : 'updated' };
  });
}

/** The stored alerts among these rows' (source, sourceRef), with the keys of the entities they were indexed by. */
async function existingAlerts(
  db: Kysely<Database>,
  rows: readonly Pick<AlertsTable, 'source' | 'source_ref'>[],
): Promise<{ id: string; entityKeys: string[] }[]> {
  const refsBySource = new Map<string, string[]>();
  for (const row of rows) {
    const refs = refsBySource.get(row.source);
    if (refs) refs.push(row.source_ref);
    else refsBySource.set(row.source, [row.source_ref]);
  }
  const found: { id: string; entityKeys: string[] }[] = [];
  for (const [source, refs] of refsBySource) {
    for (const chunk of chunks(refs, LOOKUP_CHUNK)) {
      const existing = await db
        .selectFrom('alerts')
        .select(['id', 'entities'])
        .where('source', '=', source)
        .where('source_ref', 'in', chunk)
        .execute();
      for (const row of existing) {
        found.push({
          id: row.id,
          entityKeys: (JSON.parse(row.entities) as Entity[]).map((entity) => entity.key),
        });
      }
    }
  }
  return found;
}

function refKey(source: string, sourceRef: string): string {
  return `${source}\u0000${sourceRef}`;
}

/** Record the aliases these entities imply. An alias claimed by two different entities becomes ambiguous (null). */
async function registerAliases(
  db: Kysely<Database>,
  entities: readonly Entity[],
  nowMs: number,
): Promise<void> {
  const targets = new Map<string, string | null>();
  for (const entity of entities) {
    for (const alias of entityAliases(entity)) {
      const existing = targets.get(alias);
      targets.set(alias, existing === undefined || existing === entity.key ? entity.key : null);
    }
  }
  if (targets.size === 0) return;
  const rows = [...targets].map(([alias_key, entity_key]) => ({ alias_key, entity_key, updated_at: nowMs }));
  for (const chunk of chunks(rows, LOOKUP_CHUNK)) {
    await db
      .insertInto('entity_aliases')
      .values(chunk)
      .onConflict((conflict) =>
        conflict.column('alias_key').doUpdateSet({
          // Same target: keep it. A different one: nobody can tell which is meant any more.
          entity_key: sql<
            string | null
          >`case when entity_aliases.entity_key = excluded.entity_key then excluded.entity_key else null end`,
          updated_at: (eb) => eb.ref('excluded.updated_at'),
        }),
      )
      .execute();
  }
}

/** The alias keys worth looking up for these entities: bare host names, UPNs and SIDs. */
function aliasCandidates(entities: readonly Entity[]): string[] {
  const keys = new Set<string>();
  for (const entity of entities) {
    switch (entity.type) {
      case 'device':
        if (!entity.fqdn) keys.add(entity.key);
        break;
      case 'user':
        if (!(entity.name && entity.domain)) keys.add(entity.key);
        break;
      case 'process':
        if (!entity.device.includes('.')) keys.add(`device:${entity.device}`);
        if (entity.userKey) keys.add(entity.userKey);
        break;
      case 'file':
      case 'registryKey':
      case 'registryValue':
      case 'service':
      case 'scheduledTask':
        if (entity.device && !entity.device.includes('.')) keys.add(`device:${entity.device}`);
        break;
      default:
        break;
    }
  }
  return [...keys];
}

async function loadAliases(
  db: Kysely<Database>,
  keys: readonly string[],
): Promise<Map<string, string | null>> {
  const found = new Map<string, string | null>();
  for (const chunk of chunks(keys, LOOKUP_CHUNK)) {
    const rows = await db
      .selectFrom('entity_aliases')
      .select(['alias_key', 'entity_key'])
      .where('alias_key', 'in', chunk)
      .execute();
    for (const row of rows) found.set(row.alias_key, row.entity_key);
  }
  return found;
}

// -----------------------------------------------------------------------------------------------------------------
// API tokens
// -----------------------------------------------------------------------------------------------------------------

function createTokenStore(db: Kysely<Database>): TokenStore {
  const columns = ['id', 'name', 'role', 'created_at', 'last_used_at', 'revoked_at'] as const;
  const toToken = (row: {
    id: string;
    name: string;
    role: string;
    created_at: number;
    last_used_at: number | null;
    revoked_at: number | null;
  }): ApiToken => {
    if (!isRole(row.role))
      throw new AutoirError('AUTOIR_E_INTERNAL', `token ${row.name} has unknown role ${row.role}`);
    return {
      id: row.id,
      name: row.name,
      role: row.role,
      createdAt: iso(row.created_at),
      lastUsedAt: row.last_used_at === null ? null : iso(row.last_used_at),
      revokedAt: row.revoked_at === null ? null : iso(row.revoked_at),
    };
  };
  return {
    async createToken(input, now) {
      const existing = await db
        .selectFrom('api_tokens')
        .select('id')
        .where('name', '=', input.name)
        .executeTakeFirst();
      if (existing)
        throw new AutoirError(
          'AUTOIR_E_CONFLICT',
          `a token named ${JSON.stringify(input.name)} exists already`,
        );
      const row = {
        id: newId('tok', now.getTime()),
        name: input.name,
        role: input.role,
        token_hash: input.tokenHash,
        created_at: now.getTime(),
        last_used_at: null,
        revoked_at: null,
      };
      await db.insertInto('api_tokens').values(row).execute();
      return toToken(row);
    },
    async useToken(tokenHash, now) {
      const row = await db
        .selectFrom('api_tokens')
        .select(columns)
        .where('token_hash', '=', tokenHash)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      if (!row) return undefined;
      // Last use at minute precision: enough for an audit, and it spares a write per request.
      if (row.last_used_at === null || now.getTime() - row.last_used_at > 60_000) {
        await db
          .updateTable('api_tokens')
          .set({ last_used_at: now.getTime() })
          .where('id', '=', row.id)
          .execute();
        row.last_used_at = now.getTime();
      }
      return toToken(row);
    },
    async listTokens() {
      const rows = await db
        .selectFrom('api_tokens')
        .select(columns)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toToken);
    },
    async revokeToken(idOrName, now) {
      const row = await db
        .selectFrom('api_tokens')
        .select(columns)
        .where((eb) => eb.or([eb('id', '=', idOrName), eb('name', '=', idOrName)]))
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      if (!row) return undefined;
      await db
        .updateTable('api_tokens')
        .set({ revoked_at: now.getTime() })
        .where('id', '=', row.id)
        .execute();
      return toToken({ ...row, revoked_at: now.getTime() });
    },
  };
}

// -----------------------------------------------------------------------------------------------------------------

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function epoch(value: string, field: string): number {
  const ms = Date.parse(value);
  if (!Number.isFinite(ms))
    throw badInput(`${field} is not a date-time: ${JSON.stringify(value)}`, { field });
  return ms;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

function encodeCursor(time: number, id: string): string {
  return Buffer.from(JSON.stringify([time, id])).toString('base64url');
}

function decodeCursor(cursor: string): [number, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && typeof value[0] === 'number' && typeof value[1] === 'string')
      return [value[0], value[1]];
  } catch {
    // fall through to the error below
  }
  throw badInput('cursor is not one this server handed out', { field: 'cursor' });
}

function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}
