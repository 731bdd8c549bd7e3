/**
 * The audit log: an append-only record of every write, with who, when, and the thing before and after. The
 * database refuses updates and deletes of it (triggers in migration 0006). Entries are written in the same
 * transaction as the change they describe.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';
import { auditIds } from '../domain/ids.js';
import type { Page, PageRequest } from '../domain/page.js';

export interface AuditEntryDraft {
  /** `token:<name>`, `user:<name>`, `cli:<user>`, `policy`, `system`. */
  readonly actor: string;
  /** `action.approve`, `incident.update`, `policy.set`… */
  readonly operation: string;
  /** `action:act_12`, `incident:inc_3`, `policy`. */
  readonly target: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

export interface AuditEntry {
  readonly id: string;
  readonly at: string;
  readonly actor: string;
  readonly operation: string;
  readonly target: string;
  readonly before: unknown;
  readonly after: unknown;
}

export interface AuditFilter {
  readonly actor?: string;
  readonly operation?: string;
  /** Exact target, or a prefix ending in `:` (`action:`). */
  readonly target?: string;
  readonly since?: string;
  readonly until?: string;
}

export interface AuditStore {
  record(entries: AuditEntryDraft | readonly AuditEntryDraft[], now: Date): Promise<void>;
  /** Newest first. */
  list(filter: AuditFilter, page: PageRequest): Promise<Page<AuditEntry>>;
}

export async function writeAudit(
  executor: Kysely<Database>,
  entries: AuditEntryDraft | readonly AuditEntryDraft[],
  now: Date,
): Promise<void> {
  const list = Array.isArray(entries) ? entries : [entries as AuditEntryDraft];
  if (list.length === 0) return;
  const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));
  for (let start = 0; start < list.length; start += 200)
    await executor
      .insertInto('audit_log')
      .values(
        list.slice(start, start + 200).map((entry) => ({
          at: now.getTime(),
          actor: entry.actor,
          operation: entry.operation,
          target: entry.target,
          before: json(entry.before),
          after: json(entry.after),
        })),
      )
      .execute();
}

export function createAuditStore(db: Kysely<Database>): AuditStore {
  return {
    record: (entries, now) => writeAudit(db, entries, now),
    async list(filter, page) {
      let query = db.selectFrom('audit_log').selectAll();
      if (filter.actor) query = query.where('actor', '=', filter.actor);
      if (filter.operation) query = query.where('operation', '=', filter.operation);
      if (filter.target)
        query = filter.target.endsWith(':')
          ? query.where(sql<string>`substr(target, 1, ${filter.target.length})`, '=', filter.target)
          : query.where('target', '=', filter.target);
      if (filter.since) query = query.where('at', '>=', Date.parse(filter.since));
      if (filter.until) query = query.where('at', '<', Date.parse(filter.until));
      const cursor = page.cursor ? auditIds.parse(page.cursor) : undefined;
      if (cursor !== undefined) query = query.where('id', '<', cursor);
      const rows = await query
        .orderBy('id', 'desc')
        .limit(page.limit + 1)
        .execute();
      const items = rows.slice(0, page.limit).map((row) => ({
        id: auditIds.format(Number(row.id)),
        at: new Date(Number(row.at)).toISOString(),
        actor: row.actor,
        operation: row.operation,
        target: row.target,
        before: row.before === null ? null : (JSON.parse(row.before) as unknown),
        after: row.after === null ? null : (JSON.parse(row.after) as unknown),
      }));
      const last = items[items.length - 1];
      return { items, nextCursor: rows.length > page.limit && last ? last.id : null };
    },
  };
}
