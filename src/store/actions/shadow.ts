/** Shadow automation's counts: actions a group in shadow sent to an analyst, by what it would have done and status. */
import { type Kysely } from 'kysely';
import type { ActionStatus } from '../../domain/action.js';
import { shadowAgreement, type ShadowAgreement } from '../../domain/shadow.js';
import type { Database } from '../schema.js';
import { undoneFlag } from './precision.js';

/** Agreement per group and action type, for actions created in [since, until). */
export async function readShadowAgreement(
  db: Kysely<Database>,
  since: Date,
  until: Date,
): Promise<ShadowAgreement[]> {
  const rows = await db
    .selectFrom('actions')
    .select((eb) => [
      'group_kind',
      'group_name',
      'type',
      'shadow_outcome',
      'status',
      eb.fn.max('shadow_level').as('level'),
      // Undone, or an undo asked for (it may still be queued): what the analyst decided.
      undoneFlag(eb).as('undone'),
      eb.fn.countAll<number>().as('n'),
    ])
    .where('shadow_outcome', 'is not', null)
    .where('created_at', '>=', since.getTime())
    .where('created_at', '<', until.getTime())
    .groupBy(['group_kind', 'group_name', 'type', 'shadow_outcome', 'status', 'undone'])
    .execute();
  return shadowAgreement(
    rows.map((row) => ({
      groupKind: row.group_kind ?? '',
      groupName: row.group_name ?? '',
      type: row.type,
      level: String(row.level ?? ''),
      outcome: row.shadow_outcome === 'approve' ? 'approve' : 'wait',
      status: row.status as ActionStatus,
      undone: Number(row.undone) === 1,
      count: Number(row.n),
    })),
  );
}
