/**
 * The `autoir` command. It works directly on the local store (no token needed): SQLite in `--data DIR`,
 * `AUTOIR_DATA` or `./autoir-data`, or PostgreSQL when `AUTOIR_DATABASE_URL` is set.
 *
 * Exit codes: 0 ok, 1 failure, 2 bad usage or bad input.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { createServer, DEFAULT_BODY_LIMIT } from '../api/server.js';
import { generateToken, hashToken } from '../api/auth.js';
import { isRole, roleDescriptions, roles } from '../domain/access.js';
import {
  type AlertStatus,
  type Severity,
  alertStatuses,
  normalizeTechnique,
  severities,
} from '../domain/alert.js';
import { normalizeEntityKey } from '../domain/entity.js';
import { AutoirError, exitCodeFor, formatLocation, isAutoirError } from '../domain/errors.js';
import { describeFormats, formatById, inputFormats } from '../ingest/formats/index.js';
import { openDocuments, planInput } from '../ingest/input.js';
import { defaultWorkerCount } from '../ingest/parse-pool.js';
import { ingestDocuments, type IngestError, type IngestSummary } from '../ingest/pipeline.js';
import { openStore, storeConfigFrom } from '../store/open-store.js';
import type { Store } from '../store/ports.js';
import { packageVersion } from '../version.js';
import { collect, table, truncate, type CliIo } from './io.js';
import { detectionConfigFrom } from '../detect/config.js';
import { windowsDetection } from '../detect/matcher.js';
import { parseThreadScript } from '../app/threads.js';
import { registerEventCommands } from './events.js';
import { registerRuleCommands } from './rules.js';
import { registerIncidentCommands } from './incidents.js';
import { registerInvestigationCommands } from './investigations.js';
import { registerActionCommands } from './actions.js';
import { prepareDemo } from './demo.js';
import { connectorSource } from '../app/connectors.js';
import { callbackUrlFrom } from '../respond/callback.js';
import { registerDemoCommand } from './demo.js';
import { registerUserCommands } from './users.js';
import { sessionConfigFrom } from '../api/routes/session.js';
import { investigationConfigFrom } from '../investigate/config.js';
import { runWorker } from '../worker/worker.js';
import { correlationConfigFrom } from '../correlate/config.js';
import { correlatePending } from '../correlate/correlator.js';
import { createProgress } from './progress.js';
import type { AlertFilter } from '../store/alert-store.js';

interface GlobalOptions {
  readonly data?: string;
}

/** Run the CLI with `argv` (without `node` and the script) and return the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode = 0;
  const program = new Command('autoir')
    .description('Automated investigation and response: alerts → incidents → verdicts → remediation actions.')
    .version(packageVersion(), '-V, --version')
    .option(
      '--data <dir>',
      'data directory of the embedded SQLite store (default: $AUTOIR_DATA or ./autoir-data)',
    )
    .showHelpAfterError('(run autoir --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });

  const withStore = async <T>(command: Command, work: (store: Store) => Promise<T>): Promise<T> => {
    const globals = command.optsWithGlobals<GlobalOptions>();
    const store = await openStore(storeConfigFrom(io.env, globals.data));
    try {
      return await work(store);
    } finally {
      await store.close();
    }
  };
  const print = (text: string) => io.stdout.write(text);
  const printJson = (value: unknown) => io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

  // serve ---------------------------------------------------------------------------------------------------------
  program
    .command('serve')
    .description(
      'Run the API and a worker (correlation, investigations, actions) on one port (the web UI comes later)',
    )
    .option('--port <port>', 'port to listen on', parseInteger('port', 0, 65535), 8700)
    .option('--host <host>', 'address to bind (use 0.0.0.0 to listen on every interface)', '127.0.0.1')
    .option(
      '--body-limit <bytes>',
      'largest request body in bytes (default 10 MiB, or $AUTOIR_BODY_LIMIT)',
      parseInteger('body limit', 1024, 2 ** 31),
    )
    .option(
      '--no-worker',
      'serve the API only: correlation and investigations run elsewhere (`autoir worker`)',
    )
    .option(
      '--demo',
      'load the demo scenario into an empty store, add a demo connector, and print an admin sign-in token',
    )
    .action(
      async (
        options: { port: number; host: string; bodyLimit?: number; worker: boolean; demo?: boolean },
        command: Command,
      ) => {
        await withStore(command, async (store) => {
          const demoToken = options.demo
            ? await prepareDemo(store, io.env, (text) => io.stderr.write(text))
            : undefined;
          const bodyLimit =
            options.bodyLimit ??
            (io.env.AUTOIR_BODY_LIMIT ? Number(io.env.AUTOIR_BODY_LIMIT) : DEFAULT_BODY_LIMIT);
          if (!Number.isInteger(bodyLimit) || bodyLimit < 1024)
            throw new AutoirError(
              'AUTOIR_E_BAD_USAGE',
              'AUTOIR_BODY_LIMIT must be a whole number of bytes ≥ 1024',
            );
          const correlation = correlationConfigFrom(io.env);
          const investigation = investigationConfigFrom(io.env);
          const sessions = sessionConfigFrom(io.env);
          const app = createServer({
            sessions,
            correlation,
            playbooks: investigation.playbooks,
            store,
            version: packageVersion(),
            bodyLimit,
            logger: io.env.AUTOIR_LOG_REQUESTS === '1',
          });
          const address = await app.listen({ port: options.port, host: options.host });
          io.stderr.write(`autoir ${packageVersion()} listening on ${address} (store: ${store.location})\n`);
          if (demoToken)
            io.stderr.write(
              `\n  Open ${address} in a browser and sign in with this API token (role admin, shown once):\n\n    ${demoToken}\n\n` +
                '  (create accounts under Settings → Users and tokens, or `autoir users add NAME --role analyst`)\n\n',
            );
          io.stderr.write(`  health:  ${address}/api/v1/health\n  openapi: ${address}/api/v1/openapi.json\n`);
          const tokens = (await store.tokens.listTokens()).filter((token) => token.revokedAt === null);
          if (tokens.length === 0)
            io.stderr.write(
              '  no API tokens yet: create one with `autoir token create --role admin --name me`\n',
            );
          if ((await store.users.listUsers()).length === 0)
            io.stderr.write(
              '  no users yet: add one for the web UI with `autoir users add me --role admin`\n',
            );
          // The worker loop in the same process: alerts posted or ingested are correlated and investigated.
          const stopWorker = new AbortController();
          const worker = options.worker
            ? runWorker(
                store,
                {
                  correlation,
                  playbooks: investigation.playbooks,
                  limits: investigation.limits,
                  ...(investigation.maxRunning !== undefined ? { maxRunning: investigation.maxRunning } : {}),
                  connectors: connectorSource(store, io.env.AUTOIR_CONNECTORS || undefined),
                  callbackUrl: callbackUrlFrom(io.env, address),
                  log: (message) => io.stderr.write(`${message}\n`),
                },
                stopWorker.signal,
              ).catch((error: unknown) => {
                io.stderr.write(`autoir: the worker loop stopped: ${(error as Error).message}\n`);
              })
            : Promise.resolve();
          if (options.worker)
            io.stderr.write(
              '  worker:  correlation, investigations and approved actions run in this process\n',
            );
          await (io.waitForStop?.() ?? new Promise<void>(() => undefined));
          stopWorker.abort();
          await worker;
          await app.close();
        });
      },
    );

  // ingest --------------------------------------------------------------------------------------------------------
  program
    .command('ingest')
    .description(
      'Read alerts from a file, a directory, or - (standard input): JSON, JSON arrays, NDJSON, .gz, .zip',
    )
    .argument('<path>', 'file, directory, or - for standard input')
    .addOption(
      new Option('--format <format>', 'read every record as this format instead of sniffing').choices(
        inputFormats.map((format) => format.id),
      ),
    )
    .option('--strict', 'store nothing if any record is bad')
    .option('--json', 'print a JSON summary { alerts, events, errors: [...] }')
    .option('--no-progress', 'no progress line on a terminal')
    .option('--no-detect', 'do not run detection rules on the events')
    .option('--rules <path>', 'also run the Sigma rules in this file or directory (repeatable)', collect, [])
    .option(
      '--workers <n>',
      `parsing threads besides the writing one (default ${defaultWorkerCount()}: one per spare core, at most 4)`,
      parseInteger('workers', 0, 64),
    )
    .addHelpText('after', `\nFormats: ${describeFormats()}.`)
    .action(
      async (
        target: string,
        options: {
          format?: string;
          strict?: boolean;
          json?: boolean;
          progress: boolean;
          workers?: number;
          detect: boolean;
          rules: string[];
        },
        command: Command,
      ) => {
        const plan = await planInput(target);
        const detection = options.detect ? detectionConfigFrom(io.env, { rules: options.rules }) : undefined;
        const correlation = correlationConfigFrom(io.env);
        const summary = await withStore(command, async (store) => {
          const progress =
            options.progress && io.stderr.isTTY && !options.json
              ? createProgress(io.stderr, plan.totalBytes)
              : undefined;
          try {
            return await ingestDocuments(
              openDocuments(plan, { stdin: io.stdin, onBytes: progress?.addBytes }),
              {
                store,
                format: options.format ? formatById(options.format) : undefined,
                strict: options.strict ?? false,
                workers: options.workers ?? defaultWorkerCount(),
                onProgress: progress?.update,
                parseThread: parseThreadScript,
                ...(detection ? { detection: windowsDetection(detection) } : {}),
              },
            );
          } finally {
            progress?.done();
          }
        });
        // Alerts become incidents as they arrive.
        const incidents =
          summary.stored && summary.alerts > 0
            ? await withStore(command, (store) => correlatePending(store, correlation))
            : undefined;
        if (options.json)
          printJson({
            ...summary,
            ...(incidents ? { correlation: incidents } : {}),
            skippedFiles: plan.skipped,
          });
        else printIngestSummary(summary, plan.skipped, io);
        if (summary.errorCount > 0) exitCode = 2;
      },
    );

  // alerts --------------------------------------------------------------------------------------------------------
  const alerts = program.command('alerts').description('List and show stored alerts');
  alerts
    .command('list')
    .description('List alerts, newest first')
    .option('--severity <list>', `only these severities (comma-separated: ${severities.join(', ')})`)
    .addOption(new Option('--min-severity <severity>', 'only this severity or higher').choices(severities))
    .option('--source <list>', 'only these sources (comma-separated)')
    .option('--category <list>', 'only these categories (comma-separated)')
    .option('--technique <id>', 'only alerts with this ATT&CK technique (or a sub-technique of it)')
    .option('--entity <key>', 'only alerts naming this entity key, e.g. device:mkt01.pandalab.com')
    .option('--text <text>', 'only alerts whose title contains this')
    .option('--since <time>', 'alert time from (ISO 8601)')
    .option('--until <time>', 'alert time until (ISO 8601)')
    .option('--limit <n>', 'how many (1–1000)', parseInteger('limit', 1, 1000), 50)
    .option('--cursor <cursor>', 'continue after a previous page')
    .option('--json', 'print a JSON array of alerts')
    .action(async (options: Record<string, string | number | boolean | undefined>, command: Command) => {
      const filter = alertFilterFrom(options);
      const page = await withStore(command, (store) =>
        store.alerts.listAlerts(filter, {
          limit: options.limit as number,
          cursor: options.cursor as string | undefined,
        }),
      );
      if (options.json) {
        printJson(page.items);
        if (page.nextCursor) io.stderr.write(`more: --cursor ${page.nextCursor}\n`);
        return;
      }
      if (page.items.length === 0) {
        print('no alerts\n');
        return;
      }
      print(
        table(
          ['ID', 'TIME', 'SEVERITY', 'SOURCE', 'ENTITIES', 'TITLE'],
          page.items.map((alert) => [
            alert.id,
            alert.createdAt,
            alert.severity,
            truncate(alert.source, 28),
            String(alert.entities.length),
            truncate(alert.title, 70),
          ]),
        ),
      );
      if (page.nextCursor) print(`more: autoir alerts list --cursor ${page.nextCursor}\n`);
    });
  alerts
    .command('update')
    .description("Set an alert's status (automation never changes a status an analyst set)")
    .argument('<id>', 'alert id')
    .addOption(
      new Option('--status <status>', 'new, inProgress or resolved')
        .choices(alertStatuses)
        .makeOptionMandatory(),
    )
    .option('--author <name>', 'who sets it (default: $USER)')
    .option('--json', 'print the alert as JSON')
    .action(
      async (
        id: string,
        options: { status: AlertStatus; author?: string; json?: boolean },
        command: Command,
      ) => {
        const author = options.author ?? io.env.USER ?? io.env.USERNAME ?? 'analyst';
        const alert = await withStore(command, (store) =>
          store.alerts.setAlertStatus(id, options.status, `analyst:${author}`, new Date()),
        );
        if (options.json) printJson(alert);
        else print(`${alert.id} ${alert.status}\n`);
      },
    );
  alerts
    .command('show')
    .description('Show one alert with its entities')
    .argument('<id>', 'alert id')
    .option('--raw', 'also print the record as it arrived')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { raw?: boolean; json?: boolean }, command: Command) => {
      const [alert, raw] = await withStore(
        command,
        async (store) =>
          [
            await store.alerts.getAlert(id),
            options.raw ? await store.alerts.getAlertRaw(id) : undefined,
          ] as const,
      );
      if (!alert) throw new AutoirError('AUTOIR_E_ALERT_NOT_FOUND', `no alert ${id}`);
      if (options.json) {
        printJson(options.raw ? { ...alert, raw: raw === undefined ? undefined : JSON.parse(raw) } : alert);
        return;
      }
      print(`${alert.title}\n`);
      print(
        `  id          ${alert.id}\n  source      ${alert.source} (${alert.sourceRef}), read as ${alert.format}\n`,
      );
      print(
        `  severity    ${alert.severity}${alert.category ? `, ${alert.category}` : ''}\n  time        ${alert.createdAt}\n`,
      );
      if (alert.detector) print(`  detector    ${alert.detector}\n`);
      if (alert.mitreTechniques.length > 0) print(`  techniques  ${alert.mitreTechniques.join(', ')}\n`);
      print(`  incident    ${alert.incidentId ?? '(none yet)'}\n`);
      if (alert.description) print(`\n  ${alert.description.replace(/\n/g, '\n  ')}\n`);
      print(`\nEntities (${alert.entities.length}):\n`);
      print(
        table(
          ['TYPE', 'KEY', 'ROLES'],
          alert.entities.map((entity) => [entity.type, entity.key, (entity.roles ?? []).join(',')]),
        ).replace(/^/gm, '  '),
      );
      if (raw !== undefined) print(`\nRaw record:\n${JSON.stringify(JSON.parse(raw), null, 2)}\n`);
    });

  // events, incidents, run, rules, detect ---------------------------------------------------------------------------
  const helpers = {
    withStore,
    print,
    printJson,
    printErr: (text: string) => io.stderr.write(text),
    now: () => new Date(),
    env: io.env,
    setExitCode: (code: number) => (exitCode = code),
  };
  registerEventCommands(program, helpers);
  registerIncidentCommands(program, helpers);
  registerInvestigationCommands(program, helpers);
  registerActionCommands(program, helpers);
  // Writes of commands that do not audit themselves (the action center, policy, groups, tags and connectors write
  // their own entries, with before and after, in the write's transaction).
  program.hook('postAction', async (_program, action) => {
    const names: string[] = [];
    for (let command: Command | null = action; command && command !== program; command = command.parent)
      names.unshift(command.name());
    const operation = names.join(' ');
    if (!auditedCommands.has(operation)) return;
    await withStore(action, (store) =>
      store.audit.record(
        {
          actor: `cli:${io.env.USER ?? io.env.USERNAME ?? 'unknown'}`,
          operation: `cli.${names.join('.')}`,
          target: action.args.join(' ') || operation,
          after: action.opts(),
        },
        new Date(),
      ),
    );
  });
  registerDemoCommand(program, helpers);
  registerRuleCommands(program, helpers);
  registerUserCommands(program, { ...helpers, io });

  // token ---------------------------------------------------------------------------------------------------------
  const token = program.command('token').description('API tokens (shown once, stored hashed)');
  token
    .command('create')
    .description('Create an API token and print it (it is not shown again)')
    .addOption(new Option('--role <role>', 'what the token may do').choices([...roles]).makeOptionMandatory())
    .requiredOption('--name <name>', 'a name to recognise it by, unique')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `\nRoles:\n${roles.map((role) => `  ${role.padEnd(10)} ${roleDescriptions[role]}`).join('\n')}`,
    )
    .action(async (options: { role: string; name: string; json?: boolean }, command: Command) => {
      if (!isRole(options.role)) throw new AutoirError('AUTOIR_E_BAD_USAGE', `unknown role ${options.role}`);
      const role = options.role;
      const name = options.name.trim();
      if (!/^[\w.@-]{1,64}$/.test(name) || name.startsWith('tok_'))
        throw new AutoirError(
          'AUTOIR_E_BAD_USAGE',
          'the name must be 1–64 letters, digits, _ . @ or -, not starting with tok_',
        );
      const secret = generateToken();
      const created = await withStore(command, (store) =>
        store.tokens.createToken({ name, role, tokenHash: hashToken(secret) }, new Date()),
      );
      if (options.json) {
        printJson({ ...created, token: secret });
        return;
      }
      print(`${secret}\n`);
      io.stderr.write(
        `token ${created.name} (${created.role}) created; it is shown only now — keep it safe\n`,
      );
    });
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
                  item.revokedAt ? `revoked ${item.revokedAt}` : 'active',
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

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      )
        return 0;
      return error.exitCode === 0 ? 0 : 2;
    }
    if (isAutoirError(error)) {
      const where = formatLocation(error.location);
      io.stderr.write(
        `autoir: ${where && !error.message.startsWith(where) ? `${where}: ` : ''}${error.message}\n`,
      );
      return exitCodeFor(error);
    }
    io.stderr.write(`autoir: internal error: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  }
}

function parseInteger(name: string, min: number, max: number) {
  return (value: string): number => {
    const number = Number(value);
    if (!/^\d+$/.test(value) || number < min || number > max) {
      throw new InvalidArgumentError(
        `${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`,
      );
    }
    return number;
  };
}

function alertFilterFrom(options: Record<string, string | number | boolean | undefined>): AlertFilter {
  const list = (value: unknown) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean)
      : undefined;
  const severityList = list(options.severity);
  for (const severity of severityList ?? []) {
    if (!(severities as readonly string[]).includes(severity))
      throw new AutoirError(
        'AUTOIR_E_BAD_USAGE',
        `--severity: unknown severity ${severity} (one of ${severities.join(', ')})`,
      );
  }
  const technique = typeof options.technique === 'string' ? normalizeTechnique(options.technique) : undefined;
  if (options.technique !== undefined && !technique)
    throw new AutoirError(
      'AUTOIR_E_BAD_USAGE',
      `--technique: ${String(options.technique)} is not an ATT&CK technique id`,
    );
  for (const name of ['since', 'until'] as const) {
    if (options[name] !== undefined && !Number.isFinite(Date.parse(String(options[name])))) {
      throw new AutoirError(
        'AUTOIR_E_BAD_USAGE',
        `--${name}: ${String(options[name])} is not an ISO 8601 date-time`,
      );
    }
  }
  return {
    severities: severityList as Severity[] | undefined,
    minSeverity: options.minSeverity as Severity | undefined,
    sources: list(options.source),
    categories: list(options.category),
    mitreTechnique: technique,
    entityKey: typeof options.entity === 'string' ? normalizeEntityKey(options.entity) : undefined,
    text: options.text as string | undefined,
    since: options.since as string | undefined,
    until: options.until as string | undefined,
  };
}

function printIngestSummary(summary: IngestSummary, skippedFiles: readonly string[], io: CliIo): void {
  const formats = Object.entries(summary.formats)
    .map(([format, count]) => `${count} ${format} record${count === 1 ? '' : 's'}`)
    .join(', ');
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  const parts: string[] = [];
  if (summary.alerts > 0 || summary.events + summary.duplicateEvents === 0)
    parts.push(`${plural(summary.alerts, 'alert')} (${summary.created} new, ${summary.updated} updated)`);
  if (summary.events + summary.duplicateEvents > 0)
    parts.push(
      `${plural(summary.events, 'event')}${summary.duplicateEvents > 0 ? ` (${summary.duplicateEvents} already stored)` : ''}`,
    );
  const stored = summary.stored
    ? `stored ${parts.join(' and ')}`
    : 'stored nothing (--strict, and some records were bad)';
  io.stdout.write(`${stored}${formats ? ` from ${formats}` : ''}`);
  if (summary.skipped > 0)
    io.stdout.write(`; skipped ${summary.skipped} non-alert record${summary.skipped === 1 ? '' : 's'}`);
  io.stdout.write(`; ${summary.errorCount} error${summary.errorCount === 1 ? '' : 's'}\n`);
  if (skippedFiles.length > 0)
    io.stdout.write(
      `skipped ${skippedFiles.length} file${skippedFiles.length === 1 ? '' : 's'} by name: ${skippedFiles.slice(0, 5).join(', ')}${skippedFiles.length > 5 ? ', …' : ''}\n`,
    );
  for (const error of summary.errors.slice(0, 50)) io.stderr.write(`${describeError(error)}\n`);
  if (summary.errorCount > 50)
    io.stderr.write(`… and ${summary.errorCount - 50} more errors (use --json to see up to 1000)\n`);
}

/** CLI commands that write and are audited generically (command path as typed). */
const auditedCommands = new Set([
  'ingest',
  'alerts update',
  'incidents update',
  'investigations start',
  'investigations cancel',
  'investigations approve',
  'indicators add',
  'indicators remove',
  'intel import',
  'token create',
  'token revoke',
  'events prune',
  'demo',
]);

export function describeError(error: IngestError): string {
  const where = formatLocation({ file: error.file, line: error.line });
  return `${where ? `${where}: ` : ''}${error.message}`;
}
