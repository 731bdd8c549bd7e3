/**
 * PostgreSQL keeps `events` and `event_entities` in partitions by range of event time (`time`, epoch ms), one per
 * UTC week, Monday 00:00Z to Monday: `events_p20230814` holds [2023-08-14T00:00Z, 2023-08-21T00:00Z), and
 * `event_entities_p20230814` its index rows. A week, not a day: every query without a time window is planned over
 * each partition (about 0.1 ms apiece on PostgreSQL 15), and a 30-day retention is then 5 or 6 partitions, not 31;
 * the retention drops whole weeks (events/partitions.ts), so events stay up to a week beyond it.
 * A partition is named by its first day. Earlier versions made a partition per day, and migration 0021 a partition
 * per month (`events_p202308`) or per year (`events_p2023`) for the older data it moved; they stay as they are, and
 * a new week's partition leaves out the days they hold.
 */

export const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;

/** The Monday (days since 1970-01-01, a Thursday) of the UTC week holding this day. */
export function weekOf(day: number): number {
  return day - ((((day + 3) % 7) + 7) % 7);
}

/** The partitioned tables; each partition of `events` has a twin of the same range in `event_entities`. */
export const partitionedTables = ['events', 'event_entities'] as const;
export type PartitionedTable = (typeof partitionedTables)[number];

/** The UTC day (days since 1970-01-01) of an epoch-ms time. */
export function dayOf(time: number): number {
  return Math.floor(time / DAY_MS);
}

export type Span = 'day' | 'month' | 'year';

/**
 * `events_pYYYYMMDD` for the day starting at `from` (`events_pYYYYMM` for a month, `events_pYYYY` for a year; a
 * year before 0 as `m` and the year: `events_pm00440315`).
 */
export function partitionName(table: PartitionedTable, from: number, span: Span = 'day'): string {
  const date = new Date(from);
  const year = date.getUTCFullYear();
  const two = (value: number) => String(value).padStart(2, '0');
  let name = `${table}_p${year < 0 ? 'm' : ''}${String(Math.abs(year)).padStart(4, '0')}`;
  if (span !== 'year') name += two(date.getUTCMonth() + 1);
  if (span === 'day') name += two(date.getUTCDate());
  return name;
}

/** The `event_entities` partition of the same range as this `events` partition. */
export function twinOf(eventsPartition: string): string {
  return `event_entities${eventsPartition.slice('events'.length)}`;
}
