/**
 * API tokens from the command line: `token create|list|revoke` (shown once, stored hashed).
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import { isRole, roleDescriptions, tokenRoles } from '../../domain/access.js';
import { AutoirError } from '../../domain/errors.js';
import { durationMs } from '../../domain/duration.js';
import { table } from '../io.js';

import type { CliContext } from '../context.js';
import { generateToken, hashToken } from '../../app/tokens.js';

export function registerTokenCommands(program: Command, context: CliContext): void {
  const { io, print, printJson, withStore } = context;
  const token = program.command('token').description('API tokens (shown once, stored hashed)');
  token
    .command('create')
    .description('Create an API token and print it (it is not shown again)')
    .addOption(
      new Option('--role <role>', 'what the token may do').choices([...tokenRoles]).makeOptionMandatory(),
    )
    .requiredOption('--name <name>', 'a name to recognise it by, unique')
    .option('--expires <duration>', 'how long it works (90d, 12h); left out, until revoked')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `\nRoles:\n${tokenRoles.map((role) => `  ${role.padEnd(10)} ${roleDescriptions[role]}`).join('\n')}`,
    )
    .action(
      async (options: { role: string; name: string; expires?: string; json?: boolean }, command: Command) => {
        const lifetime = options.expires === undefined ? undefined : durationMs(options.expires);
        if (options.expires !== undefined && (lifetime === undefined || lifetime < 60_000))
          throw new AutoirError(
            'AUTOIR_E_BAD_USAGE',
            `--expires: a duration of at least 1m, like 90d, got ${options.expires}`,
          );
        if (!isRole(options.role))
          throw new AutoirError('AUTOIR_E_BAD_USAGE', `unknown role ${options.role}`);
        const role = options.role;
        const name = options.name.trim();
        if (!/^[\w.@-]{1,64}$/.test(name) || name.startsWith('tok_'))
          throw new AutoirError(
            'AUTOIR_E_BAD_USAGE',
            'the name must be 1–64 letters, digits, _ . @ or -, not starting with tok_',
          );
        const secret = generateToken();
        const created = await withStore(command, (store) =>
          store.tokens.createToken(
            {
              name,
              role,
              tokenHash: hashToken(secret),
              ...(lifetime ? { expiresAt: new Date(Date.now() + lifetime) } : {}),
            },
            new Date(),
          ),
        );
        if (options.json) {
          printJson({ ...created, token: secret });
          return;
        }
        print(`${secret}\n`);
        io.stderr.write(
          `token ${created.name} (${created.role}) created; it is shown only now — keep it safe\n`,
        );
      },
    );
  token
    .command('list')
    .description('List tokens (never their secrets)')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const tokens = await withStore(command, (store) => store.tokens.listTokens());
      if (options.json) printJson(tokens);
      else
        print(
          tokens.length === 0
            ? 'no tokens\n'
            : table(
                ['ID', 'NAME', 'ROLE', 'CREATED', 'LAST USED', 'STATUS'],
                tokens.map((item) => [
                  item.id,
                  item.name,
                  item.role,
                  item.createdAt,
                  item.lastUsedAt ?? '-',
                  item.revokedAt
                    ? `revoked ${item.revokedAt}`
                    : item.expiresAt && Date.parse(item.expiresAt) <= Date.now()
                      ? `expired ${item.expiresAt}`
                      : item.expiresAt
                        ? `active until ${item.expiresAt}`
                        : 'active',
                ]),
              ),
        );
    });
  token
    .command('revoke')
    .description('Revoke a token by id or name')
    .argument('<token>', 'token id or name')
    .option('--json', 'print JSON')
    .action(async (idOrName: string, options: { json?: boolean }, command: Command) => {
      const revoked = await withStore(command, (store) => store.tokens.revokeToken(idOrName, new Date()));
      if (!revoked) throw new AutoirError('AUTOIR_E_TOKEN_NOT_FOUND', `no active token ${idOrName}`);
      if (options.json) printJson(revoked);
      else print(`revoked ${revoked.name} (${revoked.id})\n`);
    });
}
