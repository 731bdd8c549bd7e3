import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/** Migration 0015_agents: host agents and their one-time enrollment tokens. */
export const migration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('agent_enrollments')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('token_hash', 'text', (column) => column.notNull().unique())
      .addColumn('group_name', 'text')
      .addColumn('created_by', 'text', (column) => column.notNull())
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      .addColumn('expires_at', 'bigint', (column) => column.notNull())
      .addColumn('used_at', 'bigint')
      .addColumn('agent_id', 'text')
      .execute();
    await db.schema
      .createTable('agents')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('device_key', 'text', (column) => column.notNull())
      .addColumn('hostname', 'text', (column) => column.notNull())
      .addColumn('fqdn', 'text')
      .addColumn('os', 'text', (column) => column.notNull())
      .addColumn('version', 'text', (column) => column.notNull())
      .addColumn('machine_id', 'text')
      // JSON array of the host's addresses.
      .addColumn('addresses', 'text', (column) => column.notNull())
      .addColumn('group_name', 'text')
      // SHA-256 of the agent's credential (a 256-bit random secret): never the credential itself.
      .addColumn('credential_hash', 'text', (column) => column.notNull().unique())
      .addColumn('enrolled_at', 'bigint', (column) => column.notNull())
      .addColumn('last_seen_at', 'bigint', (column) => column.notNull())
      .addColumn('revoked_at', 'bigint')
      .addColumn('revoked_by', 'text')
      .execute();
    await db.schema.createIndex('agents_device').on('agents').column('device_key').execute();
    // What an agent is to do: one task per action, delivered until the agent reports its result.
    await db.schema
      .createTable('agent_tasks')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('agent_id', 'text', (column) => column.notNull())
      .addColumn('action_id', 'text', (column) => column.notNull())
      // JSON: the action request (respond/ports.ts ActionRequest).
      .addColumn('request', 'text', (column) => column.notNull())
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      .addColumn('delivered_at', 'bigint')
      .addColumn('deliveries', 'integer', (column) => column.notNull().defaultTo(0))
      .addColumn('completed_at', 'bigint')
      .addUniqueConstraint('agent_tasks_action', ['agent_id', 'action_id'])
      .execute();
    await db.schema
      .createIndex('agent_tasks_open')
      .on('agent_tasks')
      .columns(['agent_id', 'completed_at', 'created_at'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('agent_tasks').execute();
    await db.schema.dropTable('agents').execute();
    await db.schema.dropTable('agent_enrollments').execute();
  },
};
