/**
 * What the response stage is configured with: asset groups and their automation levels, asset tags, settings
 * (the response policy), and connector configurations. Every write records an audit entry in its transaction.
 */
import type { Kysely, Selectable } from 'kysely';
import type {
  AssetGroup,
  AutomationLevel,
  GroupKind,
  MembershipRule,
  ShadowSetting,
} from '../domain/policy.js';
import { writeAudit } from './audit-store.js';
import type { Database } from './schema.js';
import type { AssetPolicy, ConnectorSettings, PolicySettings, StoredConnector } from '../respond/ports.js';
import type { Atomically } from './query-helpers.js';
import type { GroupInput } from '../domain/policy.js';
import { checkGroupDeletion, groupChange } from '../domain/policy.js';

export interface AssetGroupRecord extends AssetGroup {
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface AssetTag {
  readonly entityKey: string;
  readonly tag: string;
  readonly createdAt: string;
  readonly createdBy: string;
}

/** The automation policy: what the response stage reads (respond/ports.ts), and what the API and CLI change. */
export interface PolicyStore extends PolicySettings, AssetPolicy, ConnectorSettings {
  /** By kind, then rank (the default group last). */
  listGroups(kind?: GroupKind): Promise<AssetGroupRecord[]>;
  getGroup(kind: GroupKind, name: string): Promise<AssetGroupRecord | undefined>;
  /** Create a group or change one; returns it. The default group keeps its name, rank and (no) rules. */
  putGroup(input: GroupInput, by: string, now: Date): Promise<AssetGroupRecord>;
  /** `AUTOIR_E_CONFLICT` for the default group; `false` when there is no such group. */
  deleteGroup(kind: GroupKind, name: string, by: string, now: Date): Promise<boolean>;

  listTags(entityKey?: string): Promise<AssetTag[]>;
  addTag(entityKey: string, tag: string, by: string, now: Date): Promise<void>;
  removeTag(entityKey: string, tag: string, by: string, now: Date): Promise<boolean>;

  /** `redact` gives what the audit log may show of the value. */
  setSetting(
    key: string,
    value: unknown,
    by: string,
    now: Date,
    redact?: (value: unknown) => unknown,
  ): Promise<void>;

  /** Create or replace a connector; `definedOn` says where its definition came from. */
  putConnector(
    connector: Pick<StoredConnector, 'name' | 'config' | 'definedOn'>,
    by: string,
    now: Date,
    redact: (config: Readonly<Record<string, unknown>>) => unknown,
  ): Promise<void>;
  deleteConnector(name: string, by: string, now: Date): Promise<boolean>;
}

const iso = (ms: number) => new Date(ms).toISOString();

function toGroup(row: Selectable<Database['asset_groups']>): AssetGroupRecord {
  return {
    kind: row.kind as GroupKind,
    name: row.name,
    rank: Number(row.rank),
    rules: JSON.parse(row.rules) as MembershipRule[],
    level: row.level as AutomationLevel,
    automateSuspicious: Number(row.automate_suspicious) === 1,
    shadow: row.shadow === null ? null : (JSON.parse(row.shadow) as ShadowSetting),
    isDefault: Number(row.is_default) === 1,
    description: row.description,
    createdAt: iso(Number(row.created_at)),
    updatedAt: iso(Number(row.updated_at)),
  };
}

export function createPolicyStore(db: Kysely<Database>, atomically: Atomically): PolicyStore {
  const groupRow = (executor: Kysely<Database>, kind: string, name: string) =>
    executor
      .selectFrom('asset_groups')
      .selectAll()
      .where('kind', '=', kind)
      .where('name', '=', name)
      .executeTakeFirst();

  return {
    async listGroups(kind) {
      let query = db.selectFrom('asset_groups').selectAll();
      if (kind) query = query.where('kind', '=', kind);
      const rows = await query
        .orderBy('kind')
        .orderBy('is_default')
        .orderBy('rank')
        .orderBy('name')
        .execute();
      return rows.map(toGroup);
    },

    async getGroup(kind, name) {
      const row = await groupRow(db, kind, name);
      return row ? toGroup(row) : undefined;
    },

    putGroup: (input, by, now) =>
      atomically(async (executor) => {
        const time = now.getTime();
        const existing = await groupRow(executor, input.kind, input.name);
        const before = existing ? toGroup(existing) : undefined;
        let highestRank = 0;
        if (!existing) {
          const ranks = await executor
            .selectFrom('asset_groups')
            .select((eb) => eb.fn.max('rank').as('rank'))
            .where('kind', '=', input.kind)
            .where('is_default', '=', 0)
            .executeTakeFirst();
          highestRank = Number(ranks?.rank ?? 0);
        }
        const change = groupChange(before, input, highestRank);
        if ('update' in change) {
          const { update } = change;
          await executor
            .updateTable('asset_groups')
            .set({
              ...(update.rank !== undefined ? { rank: update.rank } : {}),
              ...(update.rules !== undefined ? { rules: JSON.stringify(update.rules) } : {}),
              ...(update.level !== undefined ? { level: update.level } : {}),
              ...(update.automateSuspicious !== undefined
                ? { automate_suspicious: update.automateSuspicious ? 1 : 0 }
                : {}),
              ...(update.description !== undefined ? { description: update.description } : {}),
              ...(update.shadow !== undefined
                ? { shadow: update.shadow === null ? null : JSON.stringify(update.shadow) }
                : {}),
              updated_at: time,
            })
            .where('id', '=', (existing as { id: number }).id)
            .execute();
        } else {
          const group = change.create;
          await executor
            .insertInto('asset_groups')
            .values({
              kind: group.kind,
              name: group.name,
              rank: group.rank,
              rules: JSON.stringify(group.rules),
              level: group.level,
              automate_suspicious: group.automateSuspicious ? 1 : 0,
              shadow: group.shadow === null ? null : JSON.stringify(group.shadow),
              is_default: 0,
              description: group.description,
              created_at: time,
              updated_at: time,
            })
            .execute();
        }
        const after = toGroup((await groupRow(executor, input.kind, input.name))!);
        await writeAudit(
          executor,
          {
            actor: by,
            operation: existing ? 'group.update' : 'group.create',
            target: `group:${input.kind}:${input.name}`,
            before,
            after,
          },
          now,
        );
        return after;
      }),

    deleteGroup: (kind, name, by, now) =>
      atomically(async (executor) => {
        const existing = await groupRow(executor, kind, name);
        if (!existing) return false;
        checkGroupDeletion(toGroup(existing));
        await executor.deleteFrom('asset_groups').where('id', '=', existing.id).execute();
        await writeAudit(
          executor,
          {
            actor: by,
            operation: 'group.delete',
            target: `group:${kind}:${name}`,
            before: toGroup(existing),
          },
          now,
        );
        return true;
      }),

    async tagsOf(keys) {
      const tags = new Map<string, string[]>();
      for (let start = 0; start < keys.length; start += 500) {
        const rows = await db
          .selectFrom('asset_tags')
          .select(['entity_key', 'tag'])
          .where('entity_key', 'in', keys.slice(start, start + 500))
          .execute();
        for (const row of rows) tags.set(row.entity_key, [...(tags.get(row.entity_key) ?? []), row.tag]);
      }
      return tags;
    },

    async listTags(entityKey) {
      let query = db.selectFrom('asset_tags').selectAll();
      if (entityKey) query = query.where('entity_key', '=', entityKey);
      const rows = await query.orderBy('entity_key').orderBy('tag').execute();
      return rows.map((row) => ({
        entityKey: row.entity_key,
        tag: row.tag,
        createdAt: iso(Number(row.created_at)),
        createdBy: row.created_by,
      }));
    },

    addTag: (entityKey, tag, by, now) =>
      atomically(async (executor) => {
        await executor
          .insertInto('asset_tags')
          .values({ entity_key: entityKey, tag, created_at: now.getTime(), created_by: by })
          .onConflict((conflict) => conflict.doNothing())
          .execute();
        await writeAudit(
          executor,
          { actor: by, operation: 'tag.add', target: entityKey, after: { tag } },
          now,
        );
      }),

    removeTag: (entityKey, tag, by, now) =>
      atomically(async (executor) => {
        const result = await executor
          .deleteFrom('asset_tags')
          .where('entity_key', '=', entityKey)
          .where('tag', '=', tag)
          .executeTakeFirst();
        if (Number(result.numDeletedRows) === 0) return false;
        await writeAudit(
          executor,
          { actor: by, operation: 'tag.remove', target: entityKey, before: { tag } },
          now,
        );
        return true;
      }),

    async getSetting(key) {
      const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
      return row ? (JSON.parse(row.value) as unknown) : undefined;
    },

    setSetting: (key, value, by, now, redact = (v) => v) =>
      atomically(async (executor) => {
        const row = await executor
          .selectFrom('settings')
          .select('value')
          .where('key', '=', key)
          .executeTakeFirst();
        const text = JSON.stringify(value);
        await executor
          .insertInto('settings')
          .values({ key, value: text, updated_at: now.getTime(), updated_by: by })
          .onConflict((conflict) =>
            conflict.column('key').doUpdateSet({ value: text, updated_at: now.getTime(), updated_by: by }),
          )
          .execute();
        await writeAudit(
          executor,
          {
            actor: by,
            operation: `${key}.set`,
            target: key,
            before: row ? redact(JSON.parse(row.value) as unknown) : undefined,
            after: redact(value),
          },
          now,
        );
      }),

    async listConnectors() {
      const rows = await db
        .selectFrom('connectors')
        .selectAll()
        .orderBy('created_at')
        .orderBy('name')
        .execute();
      return rows.map((row) => ({
        name: row.name,
        config: JSON.parse(row.config) as Record<string, unknown>,
        definedOn: row.defined_on === 'host' ? ('host' as const) : ('api' as const),
        createdAt: iso(Number(row.created_at)),
        updatedAt: iso(Number(row.updated_at)),
      }));
    },

    putConnector: ({ name, config, definedOn }, by, now, redact) =>
      atomically(async (executor) => {
        const row = await executor
          .selectFrom('connectors')
          .select('config')
          .where('name', '=', name)
          .executeTakeFirst();
        const text = JSON.stringify(config);
        const time = now.getTime();
        await executor
          .insertInto('connectors')
          .values({ name, config: text, created_at: time, updated_at: time, defined_on: definedOn })
          .onConflict((conflict) =>
            conflict.column('name').doUpdateSet({ config: text, updated_at: time, defined_on: definedOn }),
          )
          .execute();
        await writeAudit(
          executor,
          {
            actor: by,
            operation: row ? 'connector.update' : 'connector.create',
            target: `connector:${name}`,
            before: row ? redact(JSON.parse(row.config) as Record<string, unknown>) : undefined,
            after: redact(config),
          },
          now,
        );
      }),

    deleteConnector: (name, by, now) =>
      atomically(async (executor) => {
        const result = await executor.deleteFrom('connectors').where('name', '=', name).executeTakeFirst();
        if (Number(result.numDeletedRows) === 0) return false;
        await writeAudit(
          executor,
          { actor: by, operation: 'connector.delete', target: `connector:${name}` },
          now,
        );
        return true;
      }),
  };
}
