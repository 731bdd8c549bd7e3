/**
 * `autoir users`: local accounts for the web UI, on the local store. Passwords come from standard input
 * (`--password-stdin`, for scripts) or are asked for twice on a terminal, without echo; never from an argument,
 * which other users of the machine could read in the process list. Writes are audited as `cli:<user>`.
 */
import { Argument, Option, type Command } from 'commander';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { isUsername, normalizeUsername, roles, type Role } from '../../domain/access.js';
import { AutoirError } from '../../domain/errors.js';
import { checkPassword, hashPassword } from '../../api/passwords.js';
import type { Store } from '../../store/ports.js';
import type { CliContext } from '../context.js';
import { table, type CliIo } from '../io.js';
import type { User } from '../../domain/access.js';

type Helpers = CliContext;

/** Standard input is read up to this many bytes: a password is at most 1024 characters. */
const STDIN_LIMIT = 64 * 1024;

function usernameArgument(text: string): string {
  const name = normalizeUsername(text);
  if (!isUsername(name))
    throw new AutoirError(
      'AUTOIR_E_BAD_USAGE',
      `bad user name ${JSON.stringify(text)}: 1–64 lower-case letters, digits, . _ @ or -, starting with a letter or digit`,
    );
  return name;
}

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > STDIN_LIMIT)
      throw new AutoirError('AUTOIR_E_BAD_INPUT', 'standard input is too long for a password');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

interface RawInput extends Readable {
  readonly isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

/** Ask for a line on a terminal without echoing it. */
function promptHidden(io: CliIo, prompt: string): Promise<string> {
  const input = io.stdin as RawInput;
  const decoder = new StringDecoder('utf8');
  io.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (rest: string, error?: AutoirError) => {
      input.off('data', onData);
      // What was typed after the line belongs to the next question.
      if (rest) input.unshift(Buffer.from(rest));
      input.setRawMode?.(false);
      input.pause();
      io.stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: Buffer | string) => {
      const chars = [...(typeof chunk === 'string' ? chunk : decoder.write(chunk))];
      for (const [index, char] of chars.entries()) {
        const rest = () => chars.slice(index + 1).join('');
        if (char === '\r' || char === '\n' || char === '\u0004') return finish(rest());
        if (char === '\u0003') return finish('', new AutoirError('AUTOIR_E_BAD_USAGE', 'cancelled'));
        if (char === '\u007f' || char === '\b') value = [...value].slice(0, -1).join('');
        else value += char;
      }
    };
    input.setRawMode?.(true);
    input.on('data', onData);
    input.resume();
  });
}

/** The new password: from standard input with `--password-stdin`, else asked twice on a terminal. */
async function readNewPassword(io: CliIo, fromStdin: boolean | undefined): Promise<string> {
  if (fromStdin) {
    // One trailing line break is the end of the line, not part of the password (`echo … |`).
    const text = (await readAll(io.stdin)).replace(/\r?\n$/, '');
    return checkPassword(text);
  }
  if (!(io.stdin as RawInput).isTTY)
    throw new AutoirError(
      'AUTOIR_E_BAD_USAGE',
      'give the password on standard input with --password-stdin, or run this on a terminal to be asked for it',
    );
  const first = checkPassword(await promptHidden(io, 'Password: '));
  const second = await promptHidden(io, 'Again: ');
  if (first !== second) throw new AutoirError('AUTOIR_E_BAD_INPUT', 'the two passwords differ');
  return first;
}

const notFound = (name: string) => new AutoirError('AUTOIR_E_USER_NOT_FOUND', `no user ${name}`);

export function registerUserCommands(program: Command, helpers: Helpers): void {
  const { withStore, print, printJson, io } = helpers;
  const actor = () => `cli:${io.env.USER ?? io.env.USERNAME ?? 'unknown'}`;
  const show = (user: User, json: boolean | undefined, verb: string) => {
    if (json) printJson(user);
    else print(`${verb} ${user.username} (${user.role}${user.disabledAt ? ', disabled' : ''})\n`);
  };

  /** One change to one user, with its audit entry, in one transaction. */
  const change = (
    command: Command,
    name: string,
    operation: string,
    work: (store: Store) => Promise<User | undefined>,
    extra: Record<string, unknown> = {},
  ) =>
    withStore(command, (store) =>
      store.transaction(async (inner) => {
        const before = await inner.users.getUser(name);
        if (!before) throw notFound(name);
        const after = await work(inner);
        if (!after) throw notFound(name);
        await inner.audit.record(
          { actor: actor(), operation, target: `user:${name}`, before, after: { ...after, ...extra } },
          helpers.now(),
        );
        return after;
      }),
    );

  const users = program
    .command('users')
    .description('Local accounts for the web UI (passwords stored as argon2id hashes)');

  users
    .command('add')
    .description('Add a user; the password comes from standard input or is asked for twice')
    .argument('<name>', 'user name: lower-case letters, digits, . _ @ -')
    .addOption(new Option('--role <role>', 'what the user may do').choices([...roles]).makeOptionMandatory())
    .option('--password-stdin', 'read the password from standard input (for scripts)')
    .option('--json', 'print the user as JSON')
    .action(
      async (
        text: string,
        options: { role: Role; passwordStdin?: boolean; json?: boolean },
        command: Command,
      ) => {
        const name = usernameArgument(text);
        const passwordHash = await hashPassword(await readNewPassword(io, options.passwordStdin));
        const user = await withStore(command, (store) =>
          store.transaction(async (inner) => {
            const created = await inner.users.createUser(
              { username: name, passwordHash, role: options.role },
              helpers.now(),
            );
            await inner.audit.record(
              { actor: actor(), operation: 'user.create', target: `user:${name}`, after: created },
              helpers.now(),
            );
            return created;
          }),
        );
        show(user, options.json, 'added');
      },
    );

  users
    .command('list')
    .description('List users (never their passwords)')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const list = await withStore(command, (store) => store.users.listUsers());
      if (options.json) printJson(list);
      else
        print(
          list.length === 0
            ? 'no users\n'
            : table(
                ['NAME', 'ROLE', 'CREATED', 'LAST LOGIN', 'STATUS'],
                list.map((user) => [
                  user.username,
                  user.role,
                  user.createdAt,
                  user.lastLoginAt ?? '-',
                  user.disabledAt ? `disabled ${user.disabledAt}` : 'active',
                ]),
              ),
        );
    });

  users
    .command('set-role')
    .description("Change a user's role (their sessions get it at once)")
    .argument('<name>', 'user name')
    .addArgument(new Argument('<role>', 'the new role').choices([...roles]))
    .option('--json', 'print the user as JSON')
    .action(async (text: string, role: Role, options: { json?: boolean }, command: Command) => {
      const name = usernameArgument(text);
      const user = await change(command, name, 'user.update', (store) =>
        store.users.setRole(name, role, helpers.now()),
      );
      show(user, options.json, 'changed');
    });

  users
    .command('passwd')
    .description("Set a user's password (signs them out everywhere, lifts a sign-in lock)")
    .argument('<name>', 'user name')
    .option('--password-stdin', 'read the password from standard input (for scripts)')
    .option('--json', 'print the user as JSON')
    .action(async (text: string, options: { passwordStdin?: boolean; json?: boolean }, command: Command) => {
      const name = usernameArgument(text);
      // Known before asking: no one types a password for a name that does not exist.
      if (!(await withStore(command, (store) => store.users.getUser(name)))) throw notFound(name);
      const passwordHash = await hashPassword(await readNewPassword(io, options.passwordStdin));
      const user = await change(
        command,
        name,
        'user.update',
        async (store) => {
          const changed = await store.users.setPassword(name, passwordHash, helpers.now());
          await store.users.clearSignInFailures(name);
          return changed;
        },
        { passwordChanged: true },
      );
      show(user, options.json, 'changed the password of');
    });

  for (const [verb, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const)
    users
      .command(verb)
      .description(
        disabled ? 'Disable a user: they are signed out and cannot sign in' : 'Enable a disabled user again',
      )
      .argument('<name>', 'user name')
      .option('--json', 'print the user as JSON')
      .action(async (text: string, options: { json?: boolean }, command: Command) => {
        const name = usernameArgument(text);
        const user = await change(command, name, 'user.update', (store) =>
          store.users.setDisabled(name, disabled, helpers.now()),
        );
        show(user, options.json, `${verb}d`);
      });

  users
    .command('remove')
    .description('Delete a user and end their sessions')
    .argument('<name>', 'user name')
    .option('--json', 'print the deleted user as JSON')
    .action(async (text: string, options: { json?: boolean }, command: Command) => {
      const name = usernameArgument(text);
      const user = await withStore(command, (store) =>
        store.transaction(async (inner) => {
          const deleted = await inner.users.deleteUser(name);
          if (!deleted) throw notFound(name);
          await inner.audit.record(
            { actor: actor(), operation: 'user.delete', target: `user:${name}`, before: deleted },
            helpers.now(),
          );
          return deleted;
        }),
      );
      show(user, options.json, 'removed');
    });
}
