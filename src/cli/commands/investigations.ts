/**
 * Investigations from the command line: `investigations list|show|start|cancel|approve`.
 */
import { type Command } from 'commander';
import { durationMs } from '../../domain/duration.js';
import { giveFeedback } from '../../investigate/feedback.js';
import { AutoirError } from '../../domain/errors.js';
import { investigationStatuses, type InvestigationStatus } from '../../domain/investigation.js';
import { investigationView as investigationJson } from '../../investigate/view.js';
import { startManualInvestigation } from '../../investigate/manual.js';
import { limitParser, table, truncate } from '../io.js';
import type { InvestigationDetail } from '../../domain/investigation.js';
import type { CliContext } from '../context.js';
import { entityName, targetName } from '../../domain/entity-name.js';

const parseLimit = limitParser(1000);

const VERDICT_ORDER = ['malicious', 'suspicious', 'noThreatsFound', 'unknown'];

/**
 * An investigation for a person: evidence by name (`winx64_payload.exe (pid 1988) on MKT01`, its key under it),
 * lines cut to the terminal's width (`columns`; 120 when not a terminal).
 */
function printInvestigation(
  detail: InvestigationDetail,
  print: (text: string) => void,
  all: boolean,
  columns = 120,
): void {
  const width = Math.max(60, columns);
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
    const head = `  ${row.verdict.padEnd(15)} ${row.type} ${entityName(row.entity)}${row.roles.length ? `  [${row.roles.join(', ')}]` : ''}`;
    print(`${truncate(head, width)}\n${truncate(`${' '.repeat(18)}${row.key}`, width)}\n`);
    for (const finding of row.findings) {
      const line = `      ${finding.weight >= 0 ? '+' : ''}${finding.weight}  ${finding.analyzer}: ${finding.text}`;
      print(`${truncate(line, width)}\n`);
    }
  }
  if (detail.actions.length > 0) {
    print(`\nProposed actions (${detail.actions.length}):\n`);
    print(
      table(
        ['ID', 'TYPE', 'TARGET', 'STATUS'],
        detail.actions.map((action) => [
          action.id,
          action.type,
          truncate(
            targetName(action.targetKey, detail.evidence.find((row) => row.key === action.targetKey)?.entity),
            Math.max(20, width - 60),
          ),
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
        truncate(entry.result, Math.max(30, width - 70)),
      ]),
    ).replace(/^/gm, '  '),
  );
}

export function registerInvestigationCommands(program: Command, context: CliContext): void {
  const { print, printJson, withStore } = context;
  const author = () => context.env.USER ?? context.env.USERNAME ?? 'analyst';

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
        if (page.nextCursor) context.printErr(`more: --cursor ${page.nextCursor}\n`);
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
      else
        printInvestigation(
          detail,
          print,
          options.all ?? false,
          (context.io.stdout as { columns?: number }).columns ?? 120,
        );
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
        const id = await context.withServices(command, (services) =>
          startManualInvestigation(
            services.store,
            {
              target,
              by: typeof options.author === 'string' ? options.author : author(),
              ...(typeof options.comment === 'string' ? { comment: options.comment } : {}),
              ...(typeof options.playbook === 'string' ? { playbook: options.playbook } : {}),
            },
            services.investigation().playbooks,
            context.now(),
          ),
        );
        if (options.json) printJson({ id, status: 'queued' });
        else print(`${id} queued: \`${context.self} run --until-idle\` (or a worker) runs it\n`);
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
          context.now(),
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
          context.now(),
        ),
      );
      if (options.json) printJson(investigationJson(detail));
      else
        print(
          `${detail.id} ${detail.status}: the expansion runs on the next \`${context.self} run --until-idle\`\n`,
        );
    });

  investigations
    .command('feedback')
    .description(
      'Mark an evidence verdict wrong, with why (audited); --lesson 30d also allows the same thing in later investigations until then',
    )
    .argument('<id>', 'investigation id')
    .argument('<evidence>', 'the evidence key, as `investigations show` lists it')
    .requiredOption('--reason <text>', 'why the verdict is wrong')
    .option(
      '--lesson <duration>',
      'a dated lesson: 30d, 12h… (at most 365 days); lessons are indicators of source lesson',
    )
    .option('--author <name>', 'who says so (default: $USER)')
    .option('--json', 'print JSON')
    .action(
      async (
        id: string,
        evidenceKey: string,
        options: { reason: string; lesson?: string; author?: string; json?: boolean },
        command: Command,
      ) => {
        const lessonForMs = options.lesson === undefined ? undefined : durationMs(options.lesson);
        if (options.lesson !== undefined && lessonForMs === undefined)
          throw new AutoirError('AUTOIR_E_BAD_USAGE', `--lesson: not a duration: ${options.lesson}`);
        const result = await withStore(command, (store) =>
          giveFeedback(
            store,
            {
              investigationId: id,
              evidenceKey,
              verdict: 'wrong',
              reason: options.reason,
              ...(lessonForMs !== undefined ? { lessonForMs } : {}),
            },
            `cli:${options.author ?? author()}`,
            context.now(),
          ),
        );
        if (options.json) printJson(result);
        else
          print(
            result.lesson
              ? `recorded; lesson ${result.lesson.id} allows ${result.lesson.entityKey} until ${result.lesson.expiresAt} (\`${context.self} indicators remove ${result.lesson.id}\` undoes it)\n`
              : `recorded: ${result.evidenceKey} in ${result.investigationId} marked wrong\n`,
          );
      },
    );
}
