/**
 * PostgreSQL keeps `events` and `event_entities` in one partition per UTC day of event time (`time`, epoch ms):
 * `events_p20230815` holds [2023-08-15T00:00Z, 2023-08-16T00:00Z). The names are part of the schema: migration
 * 0021 and the store (events/partitions.ts) both make them here.
 */

export const DAY_MS = 86_400_000;

/** The partitioned tables; each day has a partition of both. */
export const partitionedTables = ['events', 'event_entities'] as const;
export type PartitionedTable = (typeof partitionedTables)[number];

/** The UTC day (days since 1970-01-01) of an epoch-ms time. */
export function dayOf(time: number): number {
  return Math.floor(time / DAY_MS);
}

/** `events_pYYYYMMDD` (years before 0 as `m` and the year: `events_pm00440315`). */
export function partitionName(table: PartitionedTable, day: number): string {
  const date = new Date(day * DAY_MS);
  const year = date.getUTCFullYear();
  const two = (value: number) => String(value).padStart(2, '0');
  const yyyy = `${year < 0 ? 'm' : ''}${String(Math.abs(year)).padStart(4, '0')}`;
  return `${table}_p${yyyy}${two(date.getUTCMonth() + 1)}${two(date.getUTCDate())}`;
}
