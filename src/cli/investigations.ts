/**
 * `autoir investigations list|show|start|cancel|approve`, `autoir indicators add|list|remove`,
 * `autoir intel import FILE`, and the work loops: `autoir run --until-idle` and `autoir worker`.
 */
import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { correlationConfigFrom } from '../correlate/config.js';
import { severities, type Severity } from '../domain/alert.js';
import { entityTypeOfKey, normalizeEntityKey } from '../domain/entity.js';
import { AutoirError } from '../domain/errors.js';
import { indicatorActions, type IndicatorAction, type IndicatorDraft } from '../domain/indicator.js';
import { investigationStatuses, type InvestigationStatus } from '../domain/investigation.js';
import { durationMs } from '../domain/duration.js';
import { parseIntelDocument } from '../intel/import.js';
import { investigationConfigFrom } from '../investigate/config.js';
import { investigationView as investigationJson } from '../investigate/view.js';
import { startManualInvestigation } from '../investigate/manual.js';
import { connectorSource } from '../app/connectors.js';
import { callbackUrlFrom } from '../respond/callback.js';
import { runUntilIdle, runWorker } from '../worker/worker.js';
import type { CommandHelpers } from './events.js';
import { limitParser, table, truncate } from './io.js';
import type { InvestigationDetail } from '../domain/investigation.js';

const parseLimit = limitParser(1000);

const VERDICT_ORDER = ['malicious', 'suspicious', 'noThreatsFound', 'unknown'];

function printInvestigation(detail: InvestigationDetail, print: (text: string) => void, all: boolean): void {
  print(`Investigation ${detail.id} — ${detail.playbook}\n`);
  print(`  status     ${detail.status}${detail.statusReason ? ` (${detail.statusReason})` : ''}\n`);
  print(`  incident   ${detail.incidentId ?? '-'}\n  alerts     ${detail.alertIds.length}\n`);
  print(`  started    ${detail.startedAt ?? '-'}\n  ended      ${detail.endedAt ?? '-'}\n`);
  const evidence = [...detail.evidence].sort(
    (a, b) => VERDICT_ORDER.indexOf(a.verdict) - VERDICT_ORDER.indexOf(b.verdict) || b.score - a.score,
  );
  const shown = all
    ? evidence
    : evidence.filter((row) => row.verdict === 'malicious' || row.verdict === 'suspicious');
  print(
    `\nEvidence (${detail.evidence.length}${all ? '' : `, ${shown.length} incriminated shown; --all for every one`}):\n`,
  );
  for (const row of shown) {
    print(`  ${row.verdict.padEnd(15)} ${row.key}${row.roles.length ? `  [${row.roles.join(', ')}]` : ''}\n`);
    for (const finding of row.findings)
      print(
        `      ${finding.weight >= 0 ? '+' : ''}${finding.weight}  ${finding.analyzer}: ${truncate(finding.text, 140)}\n`,
      );
  }
  if (detail.actions.length > 0) {
    print(`\nProposed actions (${detail.actions.length}):\n`);
    print(
      table(
        ['ID', 'TYPE', 'TARGET', 'STATUS'],
        detail.actions.map((action) => [
          action.id,
          action.type,
          truncate(action.targetKey, 80),
          action.status,
        ]),
      ).replace(/^/gm, '  '),
    );
  }
  print(`\nLog:\n`);
  print(
    table(
      ['STEP', 'STARTED', 'MS', 'WAITED', 'RESULT'],
      detail.log.map((entry) => [
        entry.step,
        entry.startedAt,
        String(entry.durationMs),
        entry.waitedAs ? `${entry.waitedMs} ms ${entry.waitedAs}` : '',
        truncate(entry.result, 90),
      ]),
    ).replace(/^/gm, '  '),
  );
}

export function registerInvestigationCommands(
  program: Command,
  helpers: CommandHelpers & { env: Readonly<Record<string, string | undefined>> },
): void {
  const { print, printJson, withStore } = helpers;
  const author = () => helpers.env.USER ?? helpers.env.USERNAME ?? 'analyst';

  program
    .command('run')
    .description(
      'Do the waiting work — correlate alerts, start and run investigations — and exit when none is left',
    )
    .option('--until-idle', 'exit when nothing is left to do (the only mode; `autoir worker` keeps running)')
    .option('--json', 'print a JSON summary')
    .action(async (options: { json?: boolean }, command: Command) => {
      const config = investigationConfigFrom(helpers.env);
      const summary = await withStore(command, (store) =>
        runUntilIdle(store, {
          correlation: correlationConfigFrom(helpers.env),
          playbooks: config.playbooks,
          limits: config.limits,
          ...(config.maxRunning !== undefined ? { maxRunning: config.maxRunning } : {}),
          now: helpers.now,
          connectors: connectorSource(store, helpers.env.AUTOIR_CONNECTORS || undefined),
        }),
      );
      if (options.json) printJson(summary);
      else {
        const c = summary.correlation;
        const i = summary.investigations;
        const a = summary.actions;
        print(
          `correlated ${c.alerts} alerts: ${c.incidentsCreated} incidents created, ${c.incidentsMerged} merged\n` +
            `investigations: ${i.created} started, ${i.joined} alerts joined running ones, ${i.unsupported} unsupported; ${i.ran} runs, ${i.steps} steps\n` +
            `actions: ${a.planned} planned (${a.approvedByPolicy} by policy, ${a.pendingApproval} waiting for approval, ${a.skipped} not automated); ${a.attempts} attempts: ${a.succeeded} succeeded, ${a.failed} failed, ${a.retried} to retry; ${a.expired} expired\n`,
        );
      }
    });

  program
    .command('worker')
    .description(
      'Keep doing waiting work (correlation, investigations) until stopped; many workers can share one PostgreSQL',
    )
    .option('--poll <duration>', 'how often to look for work when idle', '500ms')
    .action(async (options: { poll: string }, command: Command) => {
      const pollMs = durationMs(options.poll);
      if (pollMs === undefined)
        throw new AutoirError('AUTOIR_E_BAD_USAGE', `--poll: not a duration: ${options.poll}`);
      const config = investigationConfigFrom(helpers.env);
      const controller = new AbortController();
      const stop = () => controller.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      const summary = await withStore(command, (store) =>
        runWorker(
          store,
          {
            correlation: correlationConfigFrom(helpers.env),
            playbooks: config.playbooks,
            limits: config.limits,
            ...(config.maxRunning !== undefined ? { maxRunning: config.maxRunning } : {}),
            connectors: connectorSource(store, helpers.env.AUTOIR_CONNECTORS || undefined),
            callbackUrl: callbackUrlFrom(helpers.env),
            log: (message) => helpers.printErr(`${message}\n`),
          },
          controller.signal,
          pollMs,
        ),
      );
      helpers.printErr(
        `worker stopped: ${summary.investigations.steps} steps in ${summary.investigations.ran} runs\n`,
      );
    });

  const investigations = program
    .command('investigations')
    .description('Automated investigations: evidence, verdicts with their findings, proposed actions, log');

  investigations
    .command('list')
    .description('Investigations, newest first')
    .option('--status <list>', `only these statuses (comma-separated: ${investigationStatuses.join(', ')})`)
    .option('--incident <id>', 'of this incident')
    .option('--playbook <id>', 'run with this playbook')
    .option('--limit <n>', 'how many (1–1000)', parseLimit, 50)
    .option('--cursor <cursor>', 'continue after a previous page')
    .option('--json', 'print a JSON array')
    .action(async (options: Record<string, string | number | boolean | undefined>, command: Command) => {
      const statuses =
        typeof options.status === 'string' ? options.status.split(',').map((s) => s.trim()) : undefined;
      for (const status of statuses ?? [])
        if (!(investigationStatuses as readonly string[]).includes(status))
          throw new AutoirError('AUTOIR_E_BAD_USAGE', `--status: unknown status ${status}`);
      const page = await withStore(command, (store) =>
        store.investigations.list(
          {
            ...(statuses ? { statuses: statuses as InvestigationStatus[] } : {}),
            ...(typeof options.incident === 'string' ? { incidentId: options.incident } : {}),
            ...(typeof options.playbook === 'string' ? { playbook: options.playbook } : {}),
          },
          {
            limit: options.limit as number,
            ...(typeof options.cursor === 'string' ? { cursor: options.cursor } : {}),
          },
        ),
      );
      if (options.json) {
        printJson(page.items.map(({ key: _key, state: _state, ...rest }) => rest));
        if (page.nextCursor) helpers.printErr(`more: --cursor ${page.nextCursor}\n`);
        return;
      }
      if (page.items.length === 0) return print('no investigations\n');
      print(
        table(
          ['ID', 'STATUS', 'PLAYBOOK', 'INCIDENT', 'ALERTS', 'CREATED'],
          page.items.map((item) => [
            item.id,
            item.status,
            item.playbook,
            item.incidentId ?? '-',
            String(item.alertCount),
            item.createdAt,
          ]),
        ),
      );
      if (page.nextCursor) print(`more: --cursor ${page.nextCursor}\n`);
    });

  investigations
    .command('show')
    .description('One investigation: evidence with verdicts and findings, proposed actions, log')
    .argument('<id>', 'investigation id (inv_…)')
    .option('--all', 'show every piece of evidence, not only the incriminated')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { json?: boolean; all?: boolean }, command: Command) => {
      const detail = await withStore(command, (store) => store.investigations.get(id));
      if (!detail) throw new AutoirError('AUTOIR_E_NOT_FOUND', `no investigation ${id}`);
      if (options.json) printJson(investigationJson(detail));
      else printInvestigation(detail, print, options.all ?? false);
    });

  investigations
    .command('start')
    .description('Start an investigation by hand of an incident, a device, a user or a mailbox')
    .argument('<target>', 'inc_…, device:host, user:domain\\name or mailbox:address')
    .option('--comment <text>', 'why')
    .option('--playbook <id>', 'run this playbook (default: chosen from the alerts, or the general one)')
    .option('--author <name>', 'who starts it (default: $USER)')
    .option('--json', 'print JSON')
    .action(
      async (target: string, options: Record<string, string | boolean | undefined>, command: Command) => {
        const config = investigationConfigFrom(helpers.env);
        const id = await withStore(command, (store) =>
          startManualInvestigation(
            store,
            {
              target,
              by: typeof options.author === 'string' ? options.author : author(),
              ...(typeof options.comment === 'string' ? { comment: options.comment } : {}),
              ...(typeof options.playbook === 'string' ? { playbook: options.playbook } : {}),
            },
            config.playbooks,
            helpers.now(),
          ),
        );
        if (options.json) printJson({ id, status: 'queued' });
        else print(`${id} queued: \`autoir run --until-idle\` (or a worker) runs it\n`);
      },
    );

  investigations
    .command('cancel')
    .description('Cancel an investigation (terminatedByUser)')
    .argument('<id>', 'investigation id')
    .option('--comment <text>', 'why')
    .option('--author <name>', 'who cancels it (default: $USER)')
    .option('--json', 'print JSON')
    .action(async (id: string, options: Record<string, string | boolean | undefined>, command: Command) => {
      const detail = await withStore(command, (store) =>
        store.investigations.cancel(
          id,
          typeof options.author === 'string' ? options.author : author(),
          typeof options.comment === 'string' ? options.comment : undefined,
          helpers.now(),
        ),
      );
      if (options.json) printJson(investigationJson(detail));
      else print(`${detail.id} ${detail.status}\n`);
    });

  investigations
    .command('approve')
    .description('Approve the scope expansion an investigation waits for')
    .argument('<id>', 'investigation id')
    .option('--author <name>', 'who approves (default: $USER)')
    .option('--json', 'print JSON')
    .action(async (id: string, options: Record<string, string | boolean | undefined>, command: Command) => {
      const detail = await withStore(command, (store) =>
        store.investigations.approveExpansions(
          id,
          typeof options.author === 'string' ? options.author : author(),
          helpers.now(),
        ),
      );
      if (options.json) printJson(investigationJson(detail));
      else
        print(`${detail.id} ${detail.status}: the expansion runs on the next \`autoir run --until-idle\`\n`);
    });

  const indicators = program
    .command('indicators')
    .description('Allow and block indicators (file hashes, IPs, domains, URLs, senders)');

  indicators
    .command('add')
    .description('Add an allow or block indicator')
    .argument('<action>', 'allow or block')
    .argument('<key>', 'entity key: file:sha256:…, ip:…, domain:…, url:…, mailbox:…')
    .option('--title <text>', 'a short title')
    .option('--description <text>', 'why')
    .addOption(new Option('--severity <severity>', 'severity').choices(severities))
    .option('--expires <duration>', 'expire after this long (e.g. 30d)')
    .option('--author <name>', 'who adds it (default: $USER)')
    .option('--json', 'print JSON')
    .action(
      async (
        action: string,
        key: string,
        options: Record<string, string | boolean | undefined>,
        command: Command,
      ) => {
        if (!(indicatorActions as readonly string[]).includes(action))
          throw new AutoirError('AUTOIR_E_BAD_USAGE', `action must be allow or block, got ${action}`);
        const entityKey = normalizeEntityKey(key);
        const type = entityTypeOfKey(entityKey);
        if (!type || !['file', 'ip', 'domain', 'url', 'mailbox'].includes(type))
          throw new AutoirError(
            'AUTOIR_E_BAD_USAGE',
            `${key} is not a file hash, IP, domain, URL or mailbox key`,
          );
        const expiresIn = typeof options.expires === 'string' ? durationMs(options.expires) : undefined;
        if (typeof options.expires === 'string' && expiresIn === undefined)
          throw new AutoirError('AUTOIR_E_BAD_USAGE', `--expires: not a duration: ${options.expires}`);
        const draft: IndicatorDraft = {
          entityKey,
          action: action as IndicatorAction,
          source: 'manual',
          ...(typeof options.title === 'string' ? { title: options.title } : {}),
          ...(typeof options.description === 'string' ? { description: options.description } : {}),
          ...(typeof options.severity === 'string' ? { severity: options.severity as Severity } : {}),
          ...(expiresIn !== undefined ? { expiresAt: helpers.now().getTime() + expiresIn } : {}),
        };
        const [stored] = await withStore(command, (store) =>
          store.investigations.addIndicators(
            [draft],
            typeof options.author === 'string' ? options.author : author(),
            helpers.now(),
          ),
        );
        if (options.json) printJson(stored);
        else print(`${stored?.id} ${action} ${entityKey}\n`);
      },
    );

  indicators
    .command('list')
    .description('Indicators, newest first')
    .addOption(new Option('--action <action>', 'only allow or block').choices(indicatorActions))
    .option('--key <key>', 'on this entity key')
    .option('--source <source>', 'from this source (manual, stix, misp)')
    .option('--limit <n>', 'how many (1–1000)', parseLimit, 50)
    .option('--cursor <cursor>', 'continue after a previous page')
    .option('--json', 'print a JSON array')
    .action(async (options: Record<string, string | number | boolean | undefined>, command: Command) => {
      const page = await withStore(command, (store) =>
        store.investigations.listIndicators(
          {
            ...(typeof options.action === 'string' ? { action: options.action as IndicatorAction } : {}),
            ...(typeof options.key === 'string' ? { entityKey: normalizeEntityKey(options.key) } : {}),
            ...(typeof options.source === 'string' ? { source: options.source } : {}),
          },
          {
            limit: options.limit as number,
            ...(typeof options.cursor === 'string' ? { cursor: options.cursor } : {}),
          },
        ),
      );
      if (options.json) return printJson(page.items);
      if (page.items.length === 0) return print('no indicators\n');
      print(
        table(
          ['ID', 'ACTION', 'KEY', 'SOURCE', 'EXPIRES', 'TITLE'],
          page.items.map((item) => [
            item.id,
            item.action,
            truncate(item.entityKey, 80),
            item.source,
            item.expiresAt ?? '-',
            truncate(item.title ?? '', 40),
          ]),
        ),
      );
    });

  indicators
    .command('remove')
    .description('Remove an indicator')
    .argument('<id>', 'indicator id (ind_…)')
    .action(async (id: string, _options: unknown, command: Command) => {
      const removed = await withStore(command, (store) => store.investigations.removeIndicator(id));
      if (!removed) throw new AutoirError('AUTOIR_E_NOT_FOUND', `no indicator ${id}`);
      print(`removed ${id}\n`);
    });

  program
    .command('intel')
    .description('Threat intelligence')
    .command('import')
    .description('Import indicators from a STIX 2.1 bundle or a MISP event (JSON)')
    .argument('<file>', 'the file')
    .option('--author <name>', 'who imports it (default: $USER)')
    .option('--json', 'print a JSON summary')
    .action(async (file: string, options: Record<string, string | boolean | undefined>, command: Command) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        throw new AutoirError('AUTOIR_E_BAD_INPUT', `${file}: ${(error as Error).message}`, {
          location: { file },
        });
      }
      const parsed = parseIntelDocument(text, file);
      const stored = await withStore(command, (store) =>
        store.investigations.addIndicators(
          parsed.drafts,
          typeof options.author === 'string' ? options.author : author(),
          helpers.now(),
        ),
      );
      const summary = { format: parsed.format, imported: stored.length, skipped: parsed.skipped };
      if (options.json) return printJson(summary);
      print(`${file}: ${stored.length} indicators imported (${parsed.format})\n`);
      for (const skip of parsed.skipped) print(`  skipped ${skip.ref}: ${skip.reason}\n`);
    });
}
