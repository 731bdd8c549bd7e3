/**
 * Host agents from the command line (server side): `agents enroll-token create|list|revoke`. The agent itself is
 * `autoir agent` on each host (docs/agent.md).
 */
import type { Command } from 'commander';
import { durationMs } from '../../domain/duration.js';
import { AutoirError } from '../../domain/errors.js';
import { agentView, createEnrollmentToken } from '../../respond/agents.js';
import type { CliContext } from '../context.js';
import { table } from '../io.js';

export function registerAgentCommands(program: Command, context: CliContext): void {
  const { io, print, printJson, withStore } = context;
  const actor = () => `cli:${context.env.USER ?? context.env.USERNAME ?? 'unknown'}`;
  const agents = program.command('agents').description('Host agents: enrollment tokens, list, revoke');
  agents
    .command('enroll-token')
    .description('One-time enrollment tokens for host agents')
    .command('create')
    .description('Create a one-time enrollment token and print it (it is not shown again)')
    .option('--group <name>', 'the device group the agent joins')
    .option('--expires <duration>', 'how long it may be used, 1m to 7d', '24h')
    .option('--json', 'print JSON')
    .action(async (options: { group?: string; expires: string; json?: boolean }, command: Command) => {
      const lifetimeMs = durationMs(options.expires);
      if (lifetimeMs === undefined)
        throw new AutoirError('AUTOIR_E_BAD_USAGE', `--expires: a duration like 24h, got ${options.expires}`);
      const { token, enrollment } = await withStore(command, (store) =>
        createEnrollmentToken(
          store.agents,
          { group: options.group ?? null, lifetimeMs },
          actor(),
          context.now(),
        ),
      );
      if (options.json) {
        printJson({ token, id: enrollment.id, group: enrollment.group, expiresAt: enrollment.expiresAt });
        return;
      }
      print(`${token}\n`);
      io.stderr.write(
        `enrollment token ${enrollment.id} works once, until ${enrollment.expiresAt}; on the host: autoir agent --server URL --enroll TOKEN --state DIR\n`,
      );
    });
  agents
    .command('list')
    .description('List host agents, newest first, with whether each is online')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const now = context.now();
      const list = (await withStore(command, (store) => store.agents.list())).map((agent) =>
        agentView(agent, now),
      );
      if (options.json) printJson(list);
      else
        print(
          list.length === 0
            ? 'no agents\n'
            : table(
                ['ID', 'DEVICE', 'OS', 'VERSION', 'LAST SEEN', 'STATUS'],
                list.map((agent) => [
                  agent.id,
                  agent.deviceKey,
                  agent.os,
                  agent.version,
                  agent.lastSeenAt,
                  agent.revokedAt ? `revoked ${agent.revokedAt}` : agent.online ? 'online' : 'offline',
                ]),
              ),
        );
    });
  agents
    .command('revoke')
    .description("Revoke an agent's credential: it is refused from now on")
    .argument('<id>', 'agent id (agt_…)')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { json?: boolean }, command: Command) => {
      const now = context.now();
      const revoked = await withStore(command, (store) => store.agents.revoke(id, actor(), now));
      if (!revoked) throw new AutoirError('AUTOIR_E_NOT_FOUND', `no agent ${id}`);
      if (options.json) printJson(agentView(revoked, now));
      else print(`revoked ${revoked.id} (${revoked.deviceKey})\n`);
    });
}
