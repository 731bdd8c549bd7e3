import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Migration 0024_shadow_automation: a group's shadow setting (JSON: the level it measures and the action types it
 * covers), and on each action what the shadow level would have done (`approve` or `wait`) with the rule that said
 * so — beside the analyst's real decision, the measure of agreement; and an index of undo actions by the action they
 * undo.
 */
export const migration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('asset_groups').addColumn('shadow', 'text').execute();
    await db.schema.alterTable('actions').addColumn('shadow_outcome', 'text').execute();
    await db.schema.alterTable('actions').addColumn('shadow_rule', 'text').execute();
    await db.schema.alterTable('actions').addColumn('shadow_level', 'text').execute();
    // "Did an analyst undo it": the undo actions of an action, found by their original.
    await db.schema.createIndex('actions_undo_of_idx').on('actions').column('undo_of').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('actions_undo_of_idx').execute();
    await db.schema.alterTable('actions').dropColumn('shadow_level').execute();
    await db.schema.alterTable('actions').dropColumn('shadow_rule').execute();
    await db.schema.alterTable('actions').dropColumn('shadow_outcome').execute();
    await db.schema.alterTable('asset_groups').dropColumn('shadow').execute();
  },
};
