/**
 * Incidents as the API and CLI read and change them: lists with filters and sorts, one with its alerts, links,
 * merges and comments, an analyst's changes (checked by the domain's rules) and comments.
 */
import type { Kysely, SelectQueryBuilder } from 'kysely';
import { type Severity } from '../../domain/alert.js';
import { AutoirError } from '../../domain/errors.js';
import { type IncidentStatus } from '../../domain/incident.js';
import { iso } from '../query-helpers.js';
import type { Database } from '../schema.js';
import { parseIncidentId, publicAlertId, publicIncidentId } from '../../domain/ids.js';
import type { Page, PageRequest } from '../../domain/page.js';
import type { IncidentDetail, IncidentPatch, IncidentSummary } from '../../domain/incident.js';
import { checkComment, checkIncidentPatch } from '../../domain/incident.js';
import type { Atomically } from '../query-helpers.js';
import { CHUNK, toSummary } from './rows.js';
import type { IncidentRow } from './rows.js';
import type { IncidentsTable } from '../schema.js';
import { badInput } from '../../domain/errors.js';
import { severityRank } from '../../domain/alert.js';

/** `lastActivity` (the default), `firstActivity`, `created`, `severity`, `alerts` — each descending. */
export type IncidentSort = 'lastActivity' | 'firstActivity' | 'created' | 'severity' | 'alerts';

export interface IncidentFilter {
  readonly statuses?: readonly IncidentStatus[];
  readonly minSeverity?: Severity;
  readonly severities?: readonly Severity[];
  readonly sort?: IncidentSort;
  readonly assignee?: string;
  readonly tag?: string;
  readonly since?: string;
  readonly until?: string;
  /** Incidents naming this entity key among their main entities. */
  readonly entityKey?: string;
}

/** What the API and CLI read and change of incidents. */
export interface IncidentQueries {
  listIncidents(filter: IncidentFilter, page: PageRequest): Promise<Page<IncidentSummary>>;
  /** How many incidents match, in all and per severity. */
  countIncidents(
    filter: IncidentFilter,
  ): Promise<{ total: number; bySeverity: Partial<Record<Severity, number>> }>;
  getIncident(id: string): Promise<IncidentDetail | undefined>;
  updateIncident(id: string, patch: IncidentPatch, now: Date): Promise<IncidentDetail>;
  addComment(id: string, author: string, text: string, now: Date): Promise<IncidentDetail>;
}
/** How incident lists sort (newest or most severe first); the last key is the id, so the order is total. */
const sortKeys = {
  lastActivity: ['last_activity_at', 'id'],
  firstActivity: ['first_activity_at', 'id'],
  created: ['created_at', 'id'],
  severity: ['severity_rank', 'last_activity_at', 'id'],
  alerts: ['alert_count', 'last_activity_at', 'id'],
} as const satisfies Record<IncidentSort, readonly (keyof IncidentsTable)[]>;

function decodeSortCursor(cursor: string, length: number): number[] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === length && value.every((item) => typeof item === 'number'))
      return value as number[];
  } catch {
    // fall through to the error below
  }
  throw badInput('cursor is not one this server handed out (for this sort)', { field: 'cursor' });
}

/** The filter's conditions on an incidents query. */
function filtered<O>(
  query: SelectQueryBuilder<Database, 'incidents', O>,
  filter: IncidentFilter,
): SelectQueryBuilder<Database, 'incidents', O> {
  let q = query.where('status', 'in', [...(filter.statuses ?? ['active', 'resolved'])]);
  if (filter.minSeverity !== undefined) q = q.where('severity_rank', '>=', severityRank(filter.minSeverity));
  if (filter.severities?.length) q = q.where('severity', 'in', [...filter.severities]);
  if (filter.assignee !== undefined) q = q.where('assignee', '=', filter.assignee);
  if (filter.tag !== undefined)
    q = q.where('tags', 'like', `%${JSON.stringify(filter.tag).replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (filter.since !== undefined) q = q.where('last_activity_at', '>=', Date.parse(filter.since));
  if (filter.until !== undefined) q = q.where('first_activity_at', '<', Date.parse(filter.until));
  if (filter.entityKey !== undefined)
    q = q.where('entities', 'like', `%"key":${JSON.stringify(filter.entityKey)}%`);
  return q;
}

export function analystOperations(db: Kysely<Database>, atomically: Atomically): IncidentQueries {
  const detail = async (executor: Kysely<Database>, id: number): Promise<IncidentDetail | undefined> => {
    const row = await executor.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    const alertRows = await executor
      .selectFrom('alerts')
      .select(['id'])
      .where('incident_id', '=', publicIncidentId(id))
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    const alertIds = alertRows.map((alert) => Number(alert.id));
    const links: { alert_id: number; other_alert_id: number; entity_key: string }[] = [];
    for (let start = 0; start < alertIds.length; start += CHUNK)
      links.push(
        ...(await executor
          .selectFrom('incident_links')
          .select(['alert_id', 'other_alert_id', 'entity_key'])
          .where('alert_id', 'in', alertIds.slice(start, start + CHUNK))
          .execute()),
      );
    const merges = await executor
      .selectFrom('incident_merges')
      .selectAll()
      .where('to_id', '=', id)
      .orderBy('merged_at')
      .execute();
    const comments = await executor
      .selectFrom('incident_comments')
      .selectAll()
      .where('incident_id', '=', id)
      .orderBy('id')
      .execute();
    return {
      ...toSummary(row as IncidentRow),
      alertIds: alertIds.map(publicAlertId),
      links: links
        .sort(
          (a, b) =>
            Number(a.alert_id) - Number(b.alert_id) || Number(a.other_alert_id) - Number(b.other_alert_id),
        )
        .map((link) => ({
          alertId: publicAlertId(Number(link.alert_id)),
          otherAlertId: publicAlertId(Number(link.other_alert_id)),
          entityKey: link.entity_key,
        })),
      merges: merges.map((merge) => ({
        from: publicIncidentId(Number(merge.from_id)),
        at: iso(Number(merge.merged_at)),
        alertId: merge.alert_id === null ? null : publicAlertId(Number(merge.alert_id)),
        entityKey: merge.entity_key,
      })),
      comments: comments.map((comment) => ({
        author: comment.author,
        text: comment.text,
        createdAt: iso(Number(comment.created_at)),
      })),
    };
  };

  const requireId = (id: string) => {
    const key = parseIncidentId(id);
    if (key === undefined) throw new AutoirError('AUTOIR_E_NOT_FOUND', `no incident ${id}`);
    return key;
  };

  return {
    async listIncidents(filter, page) {
      const limit = Math.max(1, Math.min(page.limit, 1000));
      const sort = filter.sort ?? 'lastActivity';
      const keys = sortKeys[sort];
      let query = filtered(db.selectFrom('incidents').selectAll(), filter);
      if (page.cursor !== undefined) {
        const values = decodeSortCursor(page.cursor, keys.length);
        // Rows after the cursor in (k1 desc, k2 desc, …): k1 < v1, or k1 = v1 and k2 < v2, and so on.
        query = query.where((eb) =>
          eb.or(
            keys.map((key, index) =>
              eb.and([
                ...keys.slice(0, index).map((before, j) => eb(before, '=', values[j] as number)),
                eb(key, '<', values[index] as number),
              ]),
            ),
          ),
        );
      }
      for (const key of keys) query = query.orderBy(key, 'desc');
      const rows = await query.limit(limit + 1).execute();
      const last = rows.length > limit ? rows[limit - 1] : undefined;
      return {
        items: rows.slice(0, limit).map((row) => toSummary(row as IncidentRow)),
        nextCursor: last
          ? Buffer.from(JSON.stringify(keys.map((key) => Number(last[key])))).toString('base64url')
          : null,
      };
    },

    async countIncidents(filter) {
      const counted = await filtered(db.selectFrom('incidents'), filter)
        .select(['severity', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('severity')
        .execute();
      const bySeverity: Partial<Record<Severity, number>> = {};
      let total = 0;
      for (const row of counted) {
        bySeverity[row.severity as Severity] = Number(row.n);
        total += Number(row.n);
      }
      return { total, bySeverity };
    },

    async getIncident(id) {
      const key = parseIncidentId(id);
      return key === undefined ? undefined : detail(db, key);
    },

    updateIncident: (id, patch, now) =>
      atomically(async (executor) => {
        const key = requireId(id);
        const row = await executor
          .selectFrom('incidents')
          .select(['status'])
          .where('id', '=', key)
          .executeTakeFirst();
        if (!row) throw new AutoirError('AUTOIR_E_NOT_FOUND', `no incident ${id}`);
        const change = checkIncidentPatch(id, row.status as IncidentStatus, patch);
        const set: Record<string, unknown> = { analyst_updated_at: now.getTime(), updated_at: now.getTime() };
        if (change.status !== undefined) set.status = change.status;
        if (change.classification !== undefined) set.classification = change.classification;
        if (change.determination !== undefined) set.determination = change.determination;
        if (change.assignedTo !== undefined) set.assignee = change.assignedTo;
        if (change.tags !== undefined) set.tags = JSON.stringify(change.tags);
        await executor.updateTable('incidents').set(set).where('id', '=', key).execute();
        return (await detail(executor, key)) as IncidentDetail;
      }),

    addComment: (id, author, text, now) =>
      atomically(async (executor) => {
        const key = requireId(id);
        checkComment(text);
        const exists = await executor
          .selectFrom('incidents')
          .select('id')
          .where('id', '=', key)
          .executeTakeFirst();
        if (!exists) throw new AutoirError('AUTOIR_E_NOT_FOUND', `no incident ${id}`);
        await executor
          .insertInto('incident_comments')
          .values({ incident_id: key, author, text, created_at: now.getTime() })
          .execute();
        return (await detail(executor, key)) as IncidentDetail;
      }),
  };
}
