/**
 * The dashboard's charts over a time range (`GET /api/v1/dashboard/charts`): alerts per time bucket by severity,
 * investigations by how they ended, the time from an investigation's start (its alert handed over) to its verdict
 * and to its remediation, and actions by who decided them. Each is one aggregate query (or one bounded read for the
 * percentiles) over indexed time columns.
 */
import { sql, type Kysely } from 'kysely';
import { iso } from './query-helpers.js';
import type { Database } from './schema.js';

export interface ChartRange {
  /** Epoch ms, inclusive; `undefined`: from the first alert. */
  readonly since?: number;
  /** Epoch ms, exclusive; `undefined`: after the last alert. */
  readonly until?: number;
}

export interface DashboardCharts {
  /**
   * The alerts' range drawn (from the first or to the last alert where the range asked was open) and its bucket.
   * Investigations and actions are counted by their own times within the range asked.
   */
  readonly since: string | null;
  readonly until: string | null;
  readonly bucketMs: number;
  /** Per bucket start (ISO 8601), alerts by severity. */
  readonly alerts: readonly { readonly at: string; readonly bySeverity: Readonly<Record<string, number>> }[];
  /** Investigations created in the range, by status (outcome for those that ended). */
  readonly investigations: Readonly<Record<string, number>>;
  /**
   * Time from an investigation's first alert stored to its verdict (its first decide step), and to its last
   * remediation action's success.
   */
  readonly timeToVerdictMs: Percentiles;
  readonly timeToRemediationMs: Percentiles;
  /**
   * Actions created in the range (undo actions aside) by decision: `policy` (automation ran it), `approved` (a
   * person did, or asked for it), `rejected`, `expired` (waited past the approval window), `undone`, `waiting`.
   */
  readonly actionsByDecision: Readonly<Record<string, number>>;
}

export interface Percentiles {
  readonly count: number;
  readonly median: number | null;
  readonly p90: number | null;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MINUTE = 60_000;
/** At most this many durations are read for the percentiles (the latest). */
const DURATION_SAMPLE = 100_000;

/**
 * Minutes up to two hours (an attack recorded in minutes is not one bar), ten minutes up to twelve hours, hours up
 * to two days, days up to 90, weeks beyond: at most ~120 buckets a chart.
 */
export function bucketFor(spanMs: number): number {
  if (spanMs <= 2 * HOUR) return MINUTE;
  if (spanMs <= 12 * HOUR) return 10 * MINUTE;
  if (spanMs <= 2 * DAY) return HOUR;
  if (spanMs <= 90 * DAY) return DAY;
  return 7 * DAY;
}

export function percentiles(values: number[]): Percentiles {
  if (values.length === 0) return { count: 0, median: null, p90: null };
  values.sort((a, b) => a - b);
  const at = (q: number) => values[Math.min(values.length - 1, Math.floor(q * values.length))] as number;
  return { count: values.length, median: at(0.5), p90: at(0.9) };
}

export function createChartReader(db: Kysely<Database>) {
  return async (range: ChartRange): Promise<DashboardCharts> => {
    let { since, until } = range;
    if (since === undefined || until === undefined) {
      const span = await db
        .selectFrom('alerts')
        .select((eb) => [eb.fn.min('created_at').as('first'), eb.fn.max('created_at').as('last')])
        .executeTakeFirst();
      if (since === undefined && span?.first !== null && span?.first !== undefined)
        since = Number(span.first);
      if (until === undefined && span?.last !== null && span?.last !== undefined)
        until = Number(span.last) + 1;
    }
    const bucketMs = since !== undefined && until !== undefined ? bucketFor(until - since) : HOUR;

    let alertQuery = db
      .selectFrom('alerts')
      .select((eb) => [
        sql<number>`(created_at / ${sql.lit(bucketMs)}) * ${sql.lit(bucketMs)}`.as('bucket'),
        'severity',
        eb.fn.countAll<number>().as('n'),
      ])
      .groupBy([sql`(created_at / ${sql.lit(bucketMs)}) * ${sql.lit(bucketMs)}`, 'severity']);
    if (since !== undefined) alertQuery = alertQuery.where('created_at', '>=', since);
    if (until !== undefined) alertQuery = alertQuery.where('created_at', '<', until);

    let investigationQuery = db
      .selectFrom('investigations')
      .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
      .groupBy('status');
    // An investigation's verdict: its first decide step's end; its alert's arrival: its first alert stored.
    let verdictQuery = db
      .selectFrom('investigation_log')
      .innerJoin('investigations', 'investigations.id', 'investigation_log.investigation_id')
      .select([
        'investigation_log.investigation_id',
        (eb) => eb.fn.min(sql<number>`investigation_log.started_at + investigation_log.duration_ms`).as('at'),
      ])
      .where('investigation_log.step', '=', 'decide')
      .groupBy('investigation_log.investigation_id')
      .orderBy('investigation_log.investigation_id', 'desc')
      .limit(DURATION_SAMPLE);
    let arrivalQuery = db
      .selectFrom('investigation_alerts')
      .innerJoin('investigations', 'investigations.id', 'investigation_alerts.investigation_id')
      .innerJoin('alerts', 'alerts.id', 'investigation_alerts.alert_id')
      .select(['investigation_alerts.investigation_id', (eb) => eb.fn.min('alerts.ingested_at').as('at')])
      .groupBy('investigation_alerts.investigation_id')
      .orderBy('investigation_alerts.investigation_id', 'desc')
      .limit(DURATION_SAMPLE);
    let remediationQuery = db
      .selectFrom('actions')
      .innerJoin('investigations', 'investigations.id', 'actions.investigation_id')
      .select(['actions.investigation_id', (eb) => eb.fn.max('actions.ended_at').as('at')])
      .where('actions.status', '=', 'succeeded')
      .groupBy('actions.investigation_id')
      .orderBy('actions.investigation_id', 'desc')
      .limit(DURATION_SAMPLE);
    let actionQuery = db
      .selectFrom('actions')
      .select((eb) => [
        'status',
        sql<number>`case when decided_by = 'policy' then 1 else 0 end`.as('by_policy'),
        sql<number>`case when undone_by is not null then 1 else 0 end`.as('undone'),
        eb.fn.countAll<number>().as('n'),
      ])
      .where('source', '!=', 'undo')
      .groupBy([
        'status',
        sql`case when decided_by = 'policy' then 1 else 0 end`,
        sql`case when undone_by is not null then 1 else 0 end`,
      ]);
    // Investigations and actions by their own times, within the range asked only: an open end is open (alerts
    // imported from the past are investigated now).
    if (range.since !== undefined) {
      investigationQuery = investigationQuery.where('created_at', '>=', range.since);
      verdictQuery = verdictQuery.where('investigations.created_at', '>=', range.since);
      arrivalQuery = arrivalQuery.where('investigations.created_at', '>=', range.since);
      remediationQuery = remediationQuery.where('investigations.created_at', '>=', range.since);
      actionQuery = actionQuery.where('created_at', '>=', range.since);
    }
    if (range.until !== undefined) {
      investigationQuery = investigationQuery.where('created_at', '<', range.until);
      verdictQuery = verdictQuery.where('investigations.created_at', '<', range.until);
      arrivalQuery = arrivalQuery.where('investigations.created_at', '<', range.until);
      remediationQuery = remediationQuery.where('investigations.created_at', '<', range.until);
      actionQuery = actionQuery.where('created_at', '<', range.until);
    }
    const [alertRows, investigationRows, verdictRows, arrivalRows, remediationRows, actionRows] =
      await Promise.all([
        alertQuery.execute(),
        investigationQuery.execute(),
        verdictQuery.execute(),
        arrivalQuery.execute(),
        remediationQuery.execute(),
        actionQuery.execute(),
      ]);

    const buckets = new Map<number, Record<string, number>>();
    for (const row of alertRows) {
      const at = Number(row.bucket);
      const counts = buckets.get(at) ?? {};
      counts[row.severity] = (counts[row.severity] ?? 0) + Number(row.n);
      buckets.set(at, counts);
    }
    // Every bucket of the range, empty ones too: a chart's x axis is time.
    const alerts: { at: string; bySeverity: Record<string, number> }[] = [];
    if (since !== undefined && until !== undefined && (until - since) / bucketMs <= 1000) {
      for (let at = Math.floor(since / bucketMs) * bucketMs; at < until; at += bucketMs)
        alerts.push({ at: iso(at), bySeverity: buckets.get(at) ?? {} });
    } else
      for (const at of [...buckets.keys()].sort((a, b) => a - b))
        alerts.push({ at: iso(at), bySeverity: buckets.get(at) ?? {} });

    const arrived = new Map(arrivalRows.map((row) => [Number(row.investigation_id), Number(row.at)]));
    const sinceArrival = (rows: readonly { investigation_id: number | null; at: unknown }[]) =>
      rows
        .map((row) => Number(row.at) - (arrived.get(Number(row.investigation_id)) ?? Number.NaN))
        .filter((ms) => Number.isFinite(ms) && ms >= 0);
    const decisions: Record<string, number> = {};
    for (const row of actionRows) {
      const decision =
        Number(row.undone) === 1 || row.status === 'undone'
          ? 'undone'
          : row.status === 'rejected' || row.status === 'expired'
            ? row.status
            : row.status === 'pendingApproval'
              ? 'waiting'
              : Number(row.by_policy) === 1
                ? 'policy'
                : 'approved';
      decisions[decision] = (decisions[decision] ?? 0) + Number(row.n);
    }
    return {
      since: since === undefined ? null : iso(since),
      until: until === undefined ? null : iso(until),
      bucketMs,
      alerts,
      investigations: Object.fromEntries(investigationRows.map((row) => [row.status, Number(row.n)])),
      timeToVerdictMs: percentiles(sinceArrival(verdictRows)),
      timeToRemediationMs: percentiles(sinceArrival(remediationRows)),
      actionsByDecision: decisions,
    };
  };
}
