/**
 * PostgreSQL keeps `events` and `event_entities` in partitions by range of event time (`time`, epoch ms), one per
 * UTC day: `events_p20230815` holds [2023-08-15T00:00Z, 2023-08-16T00:00Z), and `event_entities_p20230815` its
 * index rows. Migration 0021 also made a partition per month (`events_p202308`) or per year (`events_p2023`) for
 * older data it moved. The names are part of the schema: the migration and the store (events/partitions.ts) both
 * make them here.
 */

export const DAY_MS = 86_400_000;

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
