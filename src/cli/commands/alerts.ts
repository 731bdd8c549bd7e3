/**
 * Alerts from the command line: `alerts list|show|update`.
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import {
  type AlertStatus,
  type Severity,
  alertStatuses,
  normalizeTechnique,
  severities,
} from '../../domain/alert.js';
import { normalizeEntityKey } from '../../domain/entity.js';
import { AutoirError } from '../../domain/errors.js';
import { table, truncate } from '../io.js';

import type { AlertFilter } from '../../store/alert-store.js';
import { parseInteger } from '../options.js';
import type { CliContext } from '../context.js';

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

export function registerAlertCommands(program: Command, context: CliContext): void {
  const { io, print, printJson, withStore } = context;
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
}
