import type { Kysely } from 'kysely';
import { isRole } from '../domain/access.js';
import { AutoirError } from '../domain/errors.js';
import { isStoreUnavailable, isUniqueViolation } from './errors.js';
import { newId } from './ids.js';
import type { ApiTokensTable, Database } from './schema.js';
import type { ApiToken } from '../domain/access.js';
import type { Role } from '../domain/access.js';

const columns = ['id', 'name', 'role', 'created_at', 'last_used_at', 'revoked_at', 'expires_at'] as const;

function toToken(row: Omit<ApiTokensTable, 'token_hash'>): ApiToken {
  if (!isRole(row.role))
    throw new AutoirError('AUTOIR_E_INTERNAL', `token ${row.name} has unknown role ${row.role}`);
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    createdAt: new Date(row.created_at).toISOString(),
    lastUsedAt: row.last_used_at === null ? null : new Date(row.last_used_at).toISOString(),
    revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at).toISOString(),
    expiresAt: row.expires_at == null ? null : new Date(Number(row.expires_at)).toISOString(),
  };
}

export function createTokenStore(db: Kysely<Database>): TokenStore {
  return {
    async createToken(input, now) {
      const existing = await db
        .selectFrom('api_tokens')
        .select('id')
        .where('name', '=', input.name)
        .executeTakeFirst();
      if (existing)
        throw new AutoirError(
          'AUTOIR_E_CONFLICT',
          `a token named ${JSON.stringify(input.name)} exists already`,
        );
      const row: ApiTokensTable = {
        id: newId('tok', now.getTime()),
        name: input.name,
        role: input.role,
        token_hash: input.tokenHash,
        created_at: now.getTime(),
        last_used_at: null,
        revoked_at: null,
        expires_at: input.expiresAt ? input.expiresAt.getTime() : null,
      };
      try {
        await db.insertInto('api_tokens').values(row).execute();
      } catch (error) {
        // Two creations with one name at the same moment: the second loses here.
        if (isUniqueViolation(error))
          throw new AutoirError(
            'AUTOIR_E_CONFLICT',
            `a token named ${JSON.stringify(input.name)} exists already`,
          );
        throw error;
      }
      return toToken(row);
    },

    async useToken(tokenHash, now) {
      const row = await db
        .selectFrom('api_tokens')
        .select(columns)
        .where('token_hash', '=', tokenHash)
        .where('revoked_at', 'is', null)
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now.getTime())]))
        .executeTakeFirst();
      if (!row) return undefined;
      // Last use at minute precision: enough for an audit, and it spares a write per request.
      if (row.last_used_at === null || now.getTime() - row.last_used_at > 60_000) {
        try {
          await db
            .updateTable('api_tokens')
            .set({ last_used_at: now.getTime() })
            .where('id', '=', row.id)
            .execute();
          row.last_used_at = now.getTime();
        } catch (error) {
          // Best effort: a busy store (a long ingest holding the SQLite write lock) must not refuse a valid token.
          if (!isStoreUnavailable(error)) throw error;
        }
      }
      return toToken(row);
    },

    async listTokens() {
      const rows = await db
        .selectFrom('api_tokens')
        .select(columns)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toToken);
    },

    async revokeToken(idOrName, now) {
      // By id first, then by name (names cannot look like ids: see the CLI).
      const active = db.selectFrom('api_tokens').select(columns).where('revoked_at', 'is', null);
      const row =
        (await active.where('id', '=', idOrName).executeTakeFirst()) ??
        (await active.where('name', '=', idOrName).executeTakeFirst());
      if (!row) return undefined;
      await db
        .updateTable('api_tokens')
        .set({ revoked_at: now.getTime() })
        .where('id', '=', row.id)
        .execute();
      return toToken({ ...row, revoked_at: now.getTime() });
    },
  };
}

export interface TokenStore {
  /** Store a token by its hash. A name already in use → `AUTOIR_E_CONFLICT`. */
  createToken(
    input: { name: string; role: Role; tokenHash: string; expiresAt?: Date },
    now: Date,
  ): Promise<ApiToken>;
  /** The active (not revoked, not expired) token with this hash, marking it used. */
  useToken(tokenHash: string, now: Date): Promise<ApiToken | undefined>;
  listTokens(): Promise<ApiToken[]>;
  /** Revoke by id or name; `undefined` when there is no such active token. */
  revokeToken(idOrName: string, now: Date): Promise<ApiToken | undefined>;
}
