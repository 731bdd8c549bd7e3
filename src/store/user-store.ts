/**
 * Local accounts and browser sessions (the web UI's sign-in), and the failed-sign-in counts that damp password
 * guessing. Passwords arrive here already hashed (api/passwords.ts) and the hash never leaves except to verify a
 * sign-in; sessions are keyed by the sha256 of their id, so the table alone lets nobody in.
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { isRole, type Role } from '../domain/access.js';
import { AutoirError } from '../domain/errors.js';
import { isStoreUnavailable, isUniqueViolation } from './errors.js';
import { newId } from './ids.js';
import type { Database, SessionsTable, UsersTable } from './schema.js';
import type { Session, SignInDamping, User } from '../domain/access.js';
import type { Atomically } from './query-helpers.js';

export interface UserStore {
  /** A name in use → `AUTOIR_E_CONFLICT`. The name must be normalised and valid already. */
  createUser(input: { username: string; passwordHash: string; role: Role }, now: Date): Promise<User>;
  getUser(username: string): Promise<User | undefined>;
  /** The account with its password hash: for verifying a sign-in, nothing else. */
  getCredentials(username: string): Promise<{ user: User; passwordHash: string } | undefined>;
  /** By name. */
  listUsers(): Promise<User[]>;
  /** Sets the hash and signs the user out everywhere (except the session `keepSession`, when given). */
  setPassword(
    username: string,
    passwordHash: string,
    now: Date,
    keepSession?: string,
  ): Promise<User | undefined>;
  setRole(username: string, role: Role, now: Date): Promise<User | undefined>;
  /** Disabling signs the user out everywhere; enabling lets them sign in again. */
  setDisabled(username: string, disabled: boolean, now: Date): Promise<User | undefined>;
  /** Deletes the account and its sessions; returns what it was. */
  deleteUser(username: string): Promise<User | undefined>;
  recordLogin(username: string, now: Date): Promise<void>;

  createSession(
    input: { idHash: string; principal: string; role: Role; csrfToken: string; expiresAt: Date },
    now: Date,
  ): Promise<Session>;
  /**
   * The session with this id hash, if it is neither expired (absolute, or idle for `idleMs`) nor of a principal
   * that is gone: a deleted or disabled user, a revoked token. Its role is the principal's current one.
   */
  getSession(idHash: string, now: Date, idleMs: number): Promise<Session | undefined>;
  /** Marks the session used now (best effort: a busy store does not refuse the request). */
  touchSession(idHash: string, now: Date): Promise<void>;
  deleteSession(idHash: string): Promise<boolean>;
  /** Signs a principal (`user:<name>`, `token:<name>`) out everywhere; returns how many sessions ended. */
  deleteSessionsOf(principal: string, keepSession?: string): Promise<number>;
  pruneSessions(now: Date, idleMs: number): Promise<number>;

  /** Until when sign-ins for this name are refused, or `undefined` when they are not. */
  signInLockedUntil(username: string, now: Date): Promise<Date | undefined>;
  /** Counts a failed sign-in; returns the end of the lock when this failure started one. */
  recordSignInFailure(username: string, now: Date, damping: SignInDamping): Promise<Date | undefined>;
  clearSignInFailures(username: string): Promise<void>;
}

const userColumns = [
  'id',
  'username',
  'role',
  'created_at',
  'updated_at',
  'disabled_at',
  'last_login_at',
] as const;

const iso = (time: number | null) => (time === null ? null : new Date(Number(time)).toISOString());

function toUser(row: Omit<UsersTable, 'password_hash'>): User {
  if (!isRole(row.role))
    throw new AutoirError('AUTOIR_E_INTERNAL', `user ${row.username} has unknown role ${row.role}`);
  return {
    id: row.id,
    username: row.username,
    role: row.role,
    createdAt: new Date(Number(row.created_at)).toISOString(),
    updatedAt: new Date(Number(row.updated_at)).toISOString(),
    disabledAt: iso(row.disabled_at),
    lastLoginAt: iso(row.last_login_at),
  };
}

function toSession(row: SessionsTable, role: Role): Session {
  return {
    idHash: row.id_hash,
    principal: row.principal,
    role,
    csrfToken: row.csrf_token,
    createdAt: new Date(Number(row.created_at)).toISOString(),
    expiresAt: new Date(Number(row.expires_at)).toISOString(),
    lastSeenAt: new Date(Number(row.last_seen_at)).toISOString(),
  };
}

const userPrincipal = (username: string) => `user:${username}`;

export function createUserStore(db: Kysely<Database>, atomically: Atomically): UserStore {
  const selectUser = (executor: Kysely<Database>, username: string) =>
    executor.selectFrom('users').select(userColumns).where('username', '=', username).executeTakeFirst();

  /** Update one user and return it as it is now; `undefined` when there is no such user. */
  const updateUser = async (
    executor: Kysely<Database>,
    username: string,
    changes: Partial<Pick<UsersTable, 'password_hash' | 'role' | 'disabled_at'>>,
    now: Date,
    signOut: false | { keep?: string },
  ) => {
    const result = await executor
      .updateTable('users')
      .set({ ...changes, updated_at: now.getTime() })
      .where('username', '=', username)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return undefined;
    if (signOut) await deleteSessions(executor, userPrincipal(username), signOut.keep);
    const row = await selectUser(executor, username);
    return row ? toUser(row) : undefined;
  };

  const deleteSessions = async (executor: Kysely<Database>, principal: string, keep?: string) => {
    let query = executor.deleteFrom('sessions').where('principal', '=', principal);
    if (keep !== undefined) query = query.where('id_hash', '!=', keep);
    const result = await query.executeTakeFirst();
    return Number(result.numDeletedRows);
  };

  return {
    async createUser(input, now) {
      const row: UsersTable = {
        id: newId('usr', now.getTime()),
        username: input.username,
        password_hash: input.passwordHash,
        role: input.role,
        created_at: now.getTime(),
        updated_at: now.getTime(),
        disabled_at: null,
        last_login_at: null,
      };
      try {
        await db.insertInto('users').values(row).execute();
      } catch (error) {
        if (isUniqueViolation(error))
          throw new AutoirError('AUTOIR_E_CONFLICT', `a user named ${input.username} exists already`, {
            location: { field: 'username' },
          });
        throw error;
      }
      return toUser(row);
    },

    async getUser(username) {
      const row = await selectUser(db, username);
      return row ? toUser(row) : undefined;
    },

    async getCredentials(username) {
      const row = await db
        .selectFrom('users')
        .select([...userColumns, 'password_hash'])
        .where('username', '=', username)
        .executeTakeFirst();
      return row ? { user: toUser(row), passwordHash: row.password_hash } : undefined;
    },

    async listUsers() {
      const rows = await db.selectFrom('users').select(userColumns).orderBy('username').execute();
      return rows.map(toUser);
    },

    setPassword: (username, passwordHash, now, keepSession) =>
      atomically((executor) =>
        updateUser(
          executor,
          username,
          { password_hash: passwordHash },
          now,
          keepSession === undefined ? {} : { keep: keepSession },
        ),
      ),

    setRole: (username, role, now) =>
      atomically(async (executor) => {
        const user = await updateUser(executor, username, { role }, now, false);
        // The role column of sessions says what the role was at sign-in; requests read the user's current role.
        if (user)
          await executor
            .updateTable('sessions')
            .set({ role })
            .where('principal', '=', userPrincipal(username))
            .execute();
        return user;
      }),

    setDisabled: (username, disabled, now) =>
      atomically(async (executor) => {
        const row = await selectUser(executor, username);
        if (!row) return undefined;
        // Disabling twice keeps the first time.
        if (disabled === (row.disabled_at !== null)) return toUser(row);
        return updateUser(
          executor,
          username,
          { disabled_at: disabled ? now.getTime() : null },
          now,
          disabled && {},
        );
      }),

    deleteUser: (username) =>
      atomically(async (executor) => {
        const row = await selectUser(executor, username);
        if (!row) return undefined;
        await deleteSessions(executor, userPrincipal(username));
        await executor.deleteFrom('users').where('username', '=', username).execute();
        return toUser(row);
      }),

    async recordLogin(username, now) {
      await db
        .updateTable('users')
        .set({ last_login_at: now.getTime() })
        .where('username', '=', username)
        .execute();
    },

    async createSession(input, now) {
      const row: SessionsTable = {
        id_hash: input.idHash,
        principal: input.principal,
        role: input.role,
        csrf_token: input.csrfToken,
        created_at: now.getTime(),
        expires_at: input.expiresAt.getTime(),
        last_seen_at: now.getTime(),
      };
      await db.insertInto('sessions').values(row).execute();
      return toSession(row, input.role);
    },

    async getSession(idHash, now, idleMs) {
      const row = await db
        .selectFrom('sessions')
        .selectAll()
        .where('id_hash', '=', idHash)
        .where('expires_at', '>', now.getTime())
        .where('last_seen_at', '>', now.getTime() - idleMs)
        .executeTakeFirst();
      if (!row) return undefined;
      // The principal as it is now: a disabled or deleted user, or a revoked token, ends its sessions at once,
      // however it was changed (API, CLI, another process).
      const [kind, ...rest] = row.principal.split(':');
      const name = rest.join(':');
      let role: string | undefined;
      if (kind === 'user') {
        const user = await db
          .selectFrom('users')
          .select('role')
          .where('username', '=', name)
          .where('disabled_at', 'is', null)
          .executeTakeFirst();
        role = user?.role;
      } else if (kind === 'token') {
        const token = await db
          .selectFrom('api_tokens')
          .select('role')
          .where('name', '=', name)
          .where('revoked_at', 'is', null)
          // An expired token ends its sessions too.
          .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now.getTime())]))
          .executeTakeFirst();
        role = token?.role;
      } else if (kind === 'sso') {
        // Signed in through the sign-on provider: the role its claims gave, for the session's life.
        role = row.role;
      }
      return isRole(role) ? toSession(row, role) : undefined;
    },

    async touchSession(idHash, now) {
      try {
        await db
          .updateTable('sessions')
          .set({ last_seen_at: now.getTime() })
          .where('id_hash', '=', idHash)
          .execute();
      } catch (error) {
        // Best effort, like a token's last use: a long ingest holding SQLite's write lock must not sign anyone out.
        if (!isStoreUnavailable(error)) throw error;
      }
    },

    async deleteSession(idHash) {
      const result = await db.deleteFrom('sessions').where('id_hash', '=', idHash).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    deleteSessionsOf: (principal, keepSession) => deleteSessions(db, principal, keepSession),

    async pruneSessions(now, idleMs) {
      const sessions = await db
        .deleteFrom('sessions')
        .where((eb) =>
          eb.or([eb('expires_at', '<=', now.getTime()), eb('last_seen_at', '<=', now.getTime() - idleMs)]),
        )
        .executeTakeFirst();
      // Failure counts whose window and lock are both over say nothing any more.
      await db
        .deleteFrom('sign_in_failures')
        .where('window_start', '<=', now.getTime() - 86_400_000)
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now.getTime())]))
        .execute();
      return Number(sessions.numDeletedRows);
    },

    async signInLockedUntil(username, now) {
      const row = await db
        .selectFrom('sign_in_failures')
        .select('locked_until')
        .where('username', '=', username)
        .where('locked_until', '>', now.getTime())
        .executeTakeFirst();
      return row?.locked_until == null ? undefined : new Date(Number(row.locked_until));
    },

    recordSignInFailure: (username, now, damping) =>
      atomically(async (executor) => {
        const time = now.getTime();
        const stale = time - damping.windowMs;
        // One statement, so that concurrent failures (many API processes) are all counted.
        const counted = await executor
          .insertInto('sign_in_failures')
          .values({ username, failures: 1, window_start: time, locked_until: null })
          .onConflict((conflict) =>
            conflict.column('username').doUpdateSet({
              failures: sql<number>`case when sign_in_failures.window_start <= ${stale} then 1 else sign_in_failures.failures + 1 end`,
              window_start: sql<number>`case when sign_in_failures.window_start <= ${stale} then ${time} else sign_in_failures.window_start end`,
            }),
          )
          .returning('failures')
          .executeTakeFirstOrThrow();
        if (Number(counted.failures) < damping.maxFailures) return undefined;
        const until = time + damping.lockMs;
        // The count starts again when the lock starts: after it, the name has its attempts again.
        await executor
          .updateTable('sign_in_failures')
          .set({ failures: 0, window_start: time, locked_until: until })
          .where('username', '=', username)
          .execute();
        return new Date(until);
      }),

    async clearSignInFailures(username) {
      await db.deleteFrom('sign_in_failures').where('username', '=', username).execute();
    },
  };
}
