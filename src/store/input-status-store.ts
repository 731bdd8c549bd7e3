/** The configured inputs' state and holders (ingest/ports.ts `InputStatuses`), on SQLite and PostgreSQL. */
import type { Kysely } from 'kysely';
import type { InputStatuses } from '../ingest/ports.js';
import type { Database } from './schema.js';

export function createInputStatusStore(db: Kysely<Database>): InputStatuses {
  return {
    async claim(name, kind, owner, now, leaseMs, takeOver) {
      const at = now.getTime();
      await db
        .insertInto('inputs')
        .values({
          name,
          kind,
          owner: null,
          state: 'stopped',
          detail: null,
          stats: '{}',
          started_at: null,
          heartbeat_at: at,
        })
        .onConflict((conflict) => conflict.column('name').doNothing())
        .execute();
      const current = await db
        .selectFrom('inputs')
        .select(['owner', 'heartbeat_at'])
        .where('name', '=', name)
        .executeTakeFirst();
      const holder = current?.owner ?? null;
      const free =
        holder === null ||
        holder === owner ||
        Number(current?.heartbeat_at) < at - leaseMs ||
        (takeOver?.(holder) ?? false);
      if (!free) return false;
      // Taken only if nobody else took it in between.
      const result = await db
        .updateTable('inputs')
        .set({ owner, kind, state: 'starting', detail: null, heartbeat_at: at, started_at: at })
        .where('name', '=', name)
        .where((eb) => (holder === null ? eb('owner', 'is', null) : eb('owner', '=', holder)))
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async report(name, owner, status, now) {
      const result = await db
        .updateTable('inputs')
        .set({
          state: status.state,
          detail: status.detail,
          stats: JSON.stringify(status.stats),
          started_at: status.startedAt?.getTime() ?? null,
          heartbeat_at: now.getTime(),
        })
        .where('name', '=', name)
        .where('owner', '=', owner)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async release(name, owner, now) {
      await db
        .updateTable('inputs')
        .set({ owner: null, state: 'stopped', heartbeat_at: now.getTime() })
        .where('name', '=', name)
        .where('owner', '=', owner)
        .execute();
    },
    async list() {
      const rows = await db.selectFrom('inputs').selectAll().orderBy('name').execute();
      return rows.map((row) => ({
        name: row.name,
        kind: row.kind,
        owner: row.owner,
        state: row.state,
        detail: row.detail,
        stats: JSON.parse(row.stats) as Record<string, unknown>,
        startedAt: row.started_at === null ? null : new Date(Number(row.started_at)).toISOString(),
        heartbeatAt: new Date(Number(row.heartbeat_at)).toISOString(),
      }));
    },
  };
}
