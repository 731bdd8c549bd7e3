import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { isSqlite, withoutRowid } from './dialect.js';

/** Migration 0002_events. */
export const migration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const text = ['format', 'source', 'code', 'kind'];
    const optionalText = [
      'outcome',
      'device_key',
      'user_key',
      'process_key',
      'parent_process_key',
      'image_path',
      'command_line',
      'sha256',
      'sha1',
      'md5',
      'target_path',
      'target_process_key',
      'target_user_key',
      'registry_path',
      'registry_value',
      'src_ip',
    ];
    let table = db.schema
      .createTable('events')
      .addColumn('id', isSqlite(db) ? 'integer' : 'bigint', (column) =>
        isSqlite(db) ? column.primaryKey() : column.primaryKey().generatedByDefaultAsIdentity(),
      )
      .addColumn('ref', 'bigint', (column) => column.notNull())
      .addColumn('time', 'bigint', (column) => column.notNull())
      .addColumn('ingested_at', 'bigint', (column) => column.notNull());
    for (const name of text) table = table.addColumn(name, 'text', (column) => column.notNull());
    for (const name of optionalText) table = table.addColumn(name, 'text');
    table = table
      .addColumn('src_port', 'integer')
      .addColumn('dst_ip', 'text')
      .addColumn('dst_port', 'integer');
    for (const name of [
      'protocol',
      'domain',
      'url',
      'mail_sender',
      'mail_recipients',
      'mail_message_id',
      'mail_subject',
    ])
      table = table.addColumn(name, 'text');
    await table
      .addColumn('keys', 'text', (column) => column.notNull())
      .addColumn('details', 'text')
      .addColumn('raw', isSqlite(db) ? 'blob' : 'bytea', (column) => column.notNull())
      .execute();
    // (time, ref): an event's identity, and the index for time windows and retention; device + time for a
    // device's timeline. Everything else is looked up through the entity index and confirmed on the row.
    await db.schema
      .createIndex('events_time_ref_unique')
      .on('events')
      .columns(['time', 'ref'])
      .unique()
      .execute();
    await db.schema
      .createIndex('events_device_time_idx')
      .on('events')
      .columns(['device_key', 'time'])
      .execute();
    await db.schema
      .createTable('event_entities')
      .addColumn('entity_hash', 'bigint', (column) => column.notNull())
      .addColumn('event_id', 'bigint', (column) => column.notNull())
      .addPrimaryKeyConstraint('event_entities_pk', ['entity_hash', 'event_id'])
      .modifyEnd(withoutRowid(db))
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of ['event_entities', 'events']) {
      await sql`drop table if exists ${sql.table(table)}`.execute(db);
    }
  },
};
