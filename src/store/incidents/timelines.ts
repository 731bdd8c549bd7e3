/**
 * Correlation's questions of the entity index: each key's timeline around a span (prevalence within the window, the
 * alerts next to and inside the span), and the neighbours found there, confirmed against their stored entities.
 */
import { sql, SqliteAdapter, type Kysely, type RawBuilder } from 'kysely';
import { keyMarker } from '../entity-index.js';
import { type RowTable } from '../row-table.js';
import type { Database } from '../schema.js';
import { parseIncidentId } from '../../domain/ids.js';
import { entityHash } from '../../domain/entity-hash.js';
import type { CorrelationIncidents } from '../../correlate/ports.js';
import { CHUNK, NEIGHBOUR_CHUNK, PAIR_COLUMNS, SPAN_COLUMNS, TIMELINE_CHUNK } from './rows.js';

export function timelineOperations(
  db: Kysely<Database>,
  rowTable: RowTable,
): Pick<CorrelationIncidents, 'keyTimelines' | 'neighbourAlerts'> {
  return {
    async keyTimelines(requests, limits) {
      const { windowMs, maxAlerts, maxDevices } = limits;
      // Spans are known by their position in the request, in SQL and back: no maps keyed by hashes. Two keys of
      // one hash (a collision) are each read with the other's rows: counts can only err upwards (weaker), and the
      // caller confirms every neighbour against its entities.
      const spans = requests.map((request) => ({
        hash: entityHash(request.key),
        from: request.from,
        to: request.to,
        mentions: request.mentions,
        prevalence: request.prevalence,
        alerts: request.mentions,
        devices: 0,
        neighbours: [] as { alertId: number; time: number }[],
      }));
      // Spans as a table `k(i, h, lo, hi, n, p)` (store/row-table.ts).
      const withSpans = <T>(indexes: readonly number[], use: (table: RawBuilder<unknown>) => Promise<T>) =>
        rowTable.withRows(
          SPAN_COLUMNS,
          indexes.map((index) => {
            const span = spans[index] as (typeof spans)[number];
            return [index, span.hash, span.from, span.to, span.mentions, span.prevalence ? 1 : 0];
          }),
          use,
        );
      // At most maxAlerts + 1 rows of a key are read to count it: a busy key costs no more than that.
      const windowRows = (columns: ReturnType<typeof sql>) =>
        sql`select ${columns} from alert_entities e where e.entity_hash = k.h and e.at >= k.lo - ${windowMs} and e.at <= k.hi + ${windowMs} limit ${maxAlerts + 1}`;
      const parseTimed = (text: string | null) => {
        if (text === null) return undefined;
        const comma = text.indexOf(',');
        return { alertId: Number(text.slice(comma + 1)), time: Number(text.slice(0, comma)) };
      };
      // Keys in the order of their hash: the seeks of a chunk walk the index forwards (pages once in cache). Sorted
      // as numbers, without a comparator: each key's hash with its low bits replaced by its position (still below
      // 2^53, so exact), the order of the high bits being order enough.
      const scale = 2 ** Math.ceil(Math.log2(spans.length + 1));
      const sorted = Float64Array.from(
        spans,
        (span, index) => Math.floor(span.hash / scale) * scale + index,
      ).sort();
      const all = Array.from(sorted, (value) => value % scale);
      for (let start = 0; start < all.length; start += TIMELINE_CHUNK) {
        const chunk = all.slice(start, start + TIMELINE_CHUNK);
        const most = Math.max(...chunk.map((index) => spans[index]?.mentions ?? 0));
        // Most keys of a batch are named by nobody else in the window (a process, a rare file): a probe per key
        // — more alerts in the window than the caller's own? (counting stops there) — and only those that pass are
        // read further. The keys' table is built once (materialized): each of its columns is read by several
        // subqueries.
        const summary = await withSpans(chunk, (table) =>
          sql<{
            i: number | string;
            alerts: number | string;
            inside: number | string;
            before_row: string | null;
            after_row: string | null;
          }>`with k as materialized (${table})
          select k.i as i,
            case when k.p = 1 then (select count(*) from (${windowRows(sql`1`)}) w) else k.n end as alerts,
            (select count(*) from alert_entities e where e.entity_hash = k.h and e.at >= k.lo and e.at <= k.hi) as inside,
            (select e.at || ',' || e.alert_id from alert_entities e where e.entity_hash = k.h and e.at < k.lo
              and e.at >= k.lo - ${windowMs} order by e.at desc, e.alert_id desc limit 1) as before_row,
            (select e.at || ',' || e.alert_id from alert_entities e where e.entity_hash = k.h and e.at > k.hi
              and e.at <= k.hi + ${windowMs} order by e.at, e.alert_id limit 1) as after_row
          from k
          where (select count(*) from (select 1 from alert_entities e where e.entity_hash = k.h
            and e.at >= k.lo - ${windowMs} and e.at <= k.hi + ${windowMs} limit ${most + 1}) w) > k.n`.execute(
            db,
          ),
        );
        // Alerts inside a span other than the caller's (late ones): read only where there are some.
        const crowded: number[] = [];
        for (const row of summary.rows) {
          const index = Number(row.i);
          const span = spans[index] as (typeof spans)[number];
          span.alerts = Number(row.alerts);
          const before = parseTimed(row.before_row);
          if (before) span.neighbours.push(before);
          const after = parseTimed(row.after_row);
          if (after) span.neighbours.push(after);
          if (Number(row.inside) > span.mentions) crowded.push(index);
        }
        if (crowded.length > 0) {
          const inside = await withSpans(crowded, (table) =>
            sql<{ i: number | string; at: number | string; alert_id: number | string }>`
              with k as (${table})
              select k.i as i, e.at as at, e.alert_id as alert_id
              from k join alert_entities e on e.entity_hash = k.h and e.at >= k.lo and e.at <= k.hi`.execute(
              db,
            ),
          );
          for (const row of inside.rows)
            spans[Number(row.i)]?.neighbours.push({ alertId: Number(row.alert_id), time: Number(row.at) });
        }
        // Devices only where there could be too many (more alerts than devices allowed), and only until there
        // are too many: the count stops at maxDevices + 1.
        const busy = chunk.filter((index) => {
          const span = spans[index] as (typeof spans)[number];
          return span.prevalence && span.alerts > maxDevices && span.alerts <= maxAlerts;
        });
        if (busy.length > 0) {
          const devices = await withSpans(busy, (table) =>
            sql<{ i: number | string; devices: number | string }>`
              with k as (${table})
              select k.i as i, (select count(*) from (select distinct w.device_hash from (${windowRows(
                sql`e.device_hash`,
              )}) w limit ${maxDevices + 1}) d) as devices from k`.execute(db),
          );
          for (const row of devices.rows) {
            const span = spans[Number(row.i)];
            if (span) span.devices = Number(row.devices);
          }
        }
      }
      return spans.map(({ alerts, devices, neighbours }) => ({ alerts, devices, neighbours }));
    },

    async neighbourAlerts(found) {
      const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
      // In the order of the alerts' ids: the lookups walk the table forwards.
      const pairs = [...found]
        .sort((a, b) => a[0] - b[0])
        .flatMap(([id, keys]) => keys.map((key) => [id, key, keyMarker(key)] as const));
      const byId = new Map<number, { time: number; incident: string; keys: string[] }>();
      for (let start = 0; start < pairs.length; start += NEIGHBOUR_CHUNK) {
        const chunk = pairs.slice(start, start + NEIGHBOUR_CHUNK);
        // Each (alert, key) pair confirmed where it is stored: the alert's entities hold the key's marker.
        const rows = await rowTable.withRows(
          PAIR_COLUMNS,
          chunk.map(([id, , marker], index) => [id, index, marker]),
          (table) =>
            sql<{
              id: number | string;
              i: number | string;
              created_at: number | string;
              incident_id: string;
            }>`with n as (${table})
              select n.id as id, n.i as i, a.created_at as created_at, a.incident_id as incident_id
              from n join alerts a on a.id = n.id
              where a.incident_id is not null and ${sqlite ? sql`instr(a.entities, n.m)` : sql`strpos(a.entities, n.m)`} > 0`.execute(
              db,
            ),
        );
        for (const row of rows.rows) {
          const id = Number(row.id);
          const key = chunk[Number(row.i)]?.[1] as string;
          const entry = byId.get(id);
          if (entry) entry.keys.push(key);
          else byId.set(id, { time: Number(row.created_at), incident: row.incident_id, keys: [key] });
        }
      }
      const incidents = [
        ...new Set([...byId.values()].flatMap(({ incident }) => parseIncidentId(incident) ?? [])),
      ];
      const sizes = new Map<number, number>();
      for (let start = 0; start < incidents.length; start += CHUNK)
        for (const row of await db
          .selectFrom('incidents')
          .select(['id', 'alert_count'])
          .where('id', 'in', incidents.slice(start, start + CHUNK))
          .execute())
          sizes.set(Number(row.id), Number(row.alert_count));
      return [...byId].flatMap(([id, { time, incident, keys }]) => {
        const incidentId = parseIncidentId(incident);
        return incidentId === undefined
          ? []
          : [{ id, time, incidentId, incidentAlerts: sizes.get(incidentId) ?? 0, keys }];
      });
    },
  };
}
