/**
 * Local accounts (admin): list, create, change role, password or disabled, delete. Every write is audited with
 * before and after, in its transaction; password hashes and passwords never leave the store or reach the log.
 */
import { z } from 'zod';
import { normalizeUsername, roles, usernamePattern } from '../../domain/access.js';
import { AutoirError } from '../../domain/errors.js';
import type { Store } from '../../store/ports.js';
import { actorOf, type Principal } from '../auth.js';
import { hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../passwords.js';
import { defineRoute, errorSchema, type RouteSpec } from '../route.js';
import type { User } from '../../domain/access.js';

const userSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    role: z.enum(roles),
    createdAt: z.string(),
    updatedAt: z.string(),
    disabledAt: z.string().nullable(),
    lastLoginAt: z.string().nullable(),
  })
  .describe('A local account (never its password or hash).');

const usernameSchema = z
  .string()
  .max(64)
  .transform(normalizeUsername)
  .pipe(
    z
      .string()
      .regex(
        usernamePattern,
        'must be 1–64 lower-case letters, digits, . _ @ or -, starting with a letter or digit',
      ),
  );

const passwordSchema = z
  .string()
  .refine((password) => {
    const length = [...password].length;
    return length >= PASSWORD_MIN_LENGTH && length <= PASSWORD_MAX_LENGTH;
  }, `must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters long`)
  .describe(`${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters; stored as an argon2id hash.`);

const notFound = (name: string) => new AutoirError('AUTOIR_E_USER_NOT_FOUND', `no user ${name}`);

/** Admins cannot lock themselves out through the API; another admin (or the CLI) can. */
function refuseSelf(principal: Principal | undefined, name: string, what: string): void {
  if (principal?.kind === 'user' && principal.name === name)
    throw new AutoirError(
      'AUTOIR_E_CONFLICT',
      `you cannot ${what} your own account; another admin can, or the CLI on the server`,
    );
}

export function userRoutes(store: Store): RouteSpec[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/users',
      operationId: 'listUsers',
      summary: 'Local accounts (never their passwords)',
      tag: 'users',
      role: 'admin',
      responses: { 200: { description: 'The accounts, by name.', schema: z.array(userSchema) } },
      handler: () => store.users.listUsers(),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/users',
      operationId: 'createUser',
      summary: 'Create a local account',
      tag: 'users',
      role: 'admin',
      audited: true,
      body: z.object({ username: usernameSchema, password: passwordSchema, role: z.enum(roles) }).strict(),
      responses: {
        201: { description: 'The account.', schema: userSchema },
        400: { description: 'A bad name, a short password, an unknown role.', schema: errorSchema },
        409: { description: 'The name is taken.', schema: errorSchema },
      },
      async handler({ body, principal, reply }) {
        // Hashed outside the transaction: 70 ms of CPU should not hold the store's write lock.
        const passwordHash = await hashPassword(body.password);
        const now = new Date();
        const user = await store.transaction(async (inner) => {
          const created = await inner.users.createUser(
            { username: body.username, passwordHash, role: body.role },
            now,
          );
          await inner.audit.record(
            {
              actor: actorOf(principal),
              operation: 'user.create',
              target: `user:${created.username}`,
              after: created,
            },
            now,
          );
          return created;
        });
        void reply.code(201);
        return user;
      },
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/v1/users/:name',
      operationId: 'updateUser',
      summary: "Change a local account's role, password or disabled state",
      description:
        'Disabling an account or changing its password signs it out everywhere (a password changed by its own user keeps the session it was changed in). A new role applies to its sessions at once.',
      tag: 'users',
      role: 'admin',
      audited: true,
      params: z.object({ name: z.string() }),
      body: z
        .object({
          role: z.enum(roles).optional(),
          password: passwordSchema.optional(),
          disabled: z.boolean().optional(),
        })
        .strict()
        .refine(
          (body) => body.role !== undefined || body.password !== undefined || body.disabled !== undefined,
          'give role, password or disabled',
        ),
      responses: {
        200: { description: 'The account, changed.', schema: userSchema },
        400: { description: 'Nothing to change, a short password, an unknown role.', schema: errorSchema },
        404: { description: 'No such account.', schema: errorSchema },
        409: { description: 'An admin demoting or disabling their own account.', schema: errorSchema },
      },
      async handler({ params, body, principal }) {
        const name = normalizeUsername(params.name);
        if (body.disabled === true) refuseSelf(principal, name, 'disable');
        if (body.role !== undefined && body.role !== principal?.role) refuseSelf(principal, name, 'demote');
        const passwordHash = body.password === undefined ? undefined : await hashPassword(body.password);
        const ownSession =
          principal?.kind === 'user' && principal.name === name ? principal.session?.idHash : undefined;
        const now = new Date();
        return store.transaction(async (inner) => {
          const before = await inner.users.getUser(name);
          if (!before) throw notFound(name);
          let after: User | undefined = before;
          if (body.role !== undefined) after = await inner.users.setRole(name, body.role, now);
          if (passwordHash !== undefined) {
            after = await inner.users.setPassword(name, passwordHash, now, ownSession);
            // A new password (an admin's reset) also lifts a sign-in lock.
            await inner.users.clearSignInFailures(name);
          }
          if (body.disabled !== undefined) after = await inner.users.setDisabled(name, body.disabled, now);
          if (!after) throw notFound(name);
          await inner.audit.record(
            {
              actor: actorOf(principal),
              operation: 'user.update',
              target: `user:${name}`,
              before,
              after: { ...after, ...(passwordHash === undefined ? {} : { passwordChanged: true }) },
            },
            now,
          );
          return after;
        });
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/users/:name',
      operationId: 'deleteUser',
      summary: 'Delete a local account (and end its sessions)',
      tag: 'users',
      role: 'admin',
      audited: true,
      params: z.object({ name: z.string() }),
      responses: {
        200: { description: 'The account as it was.', schema: userSchema },
        404: { description: 'No such account.', schema: errorSchema },
        409: { description: 'An admin deleting their own account.', schema: errorSchema },
      },
      async handler({ params, principal }) {
        const name = normalizeUsername(params.name);
        refuseSelf(principal, name, 'delete');
        return store.transaction(async (inner) => {
          const deleted = await inner.users.deleteUser(name);
          if (!deleted) throw notFound(name);
          await inner.audit.record(
            { actor: actorOf(principal), operation: 'user.delete', target: `user:${name}`, before: deleted },
            new Date(),
          );
          return deleted;
        });
      },
    }),
  ];
}
