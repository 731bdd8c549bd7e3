/** Offsets of followed files (ingest/ports.ts `InputOffsets`), on SQLite and PostgreSQL. */
import type { Kysely } from 'kysely';
import type { InputOffsets } from '../ingest/ports.js';
import type { Database } from './schema.js';

export function createInputOffsetStore(db: Kysely<Database>): InputOffsets {
  return {
    async list(input) {
      const rows = await db
        .selectFrom('input_offsets')
        .selectAll()
        .where('input', '=', input)
        .orderBy('updated_at')
        .execute();
      return rows.map((row) => ({
        fileKey: row.file_key,
        path: row.path,
        offset: Number(row.offset),
        updatedAt: new Date(Number(row.updated_at)).toISOString(),
      }));
    },
    async set(input, fileKey, path, offset, now) {
      await db
        .insertInto('input_offsets')
        .values({ input, file_key: fileKey, path, offset, updated_at: now.getTime() })
        .onConflict((conflict) =>
          conflict.columns(['input', 'file_key']).doUpdateSet({ path, offset, updated_at: now.getTime() }),
        )
        .execute();
    },
  };
}
