/** `autoir incidents list|show|update|comment` and `autoir run --until-idle`. */
import { Option, type Command } from 'commander';
import { severities, type Severity } from '../../domain/alert.js';
import { normalizeEntityKey } from '../../domain/entity.js';
import { AutoirError } from '../../domain/errors.js';
import {
  incidentClassifications,
  type IncidentClassification,
  type IncidentStatus,
} from '../../domain/incident.js';
import type { CliContext } from '../context.js';
import { limitParser, table, truncate } from '../io.js';
import type { IncidentDetail, IncidentPatch } from '../../domain/incident.js';

const parseLimit = limitParser(1000);

function printIncident(incident: IncidentDetail, print: (text: string) => void): void {
  print(`${incident.title}\n`);
  print(
    `  id              ${incident.id}\n  severity        ${incident.severity}\n  status          ${incident.status}${incident.redirectedTo ? ` → ${incident.redirectedTo}` : ''}\n`,
  );
  print(
    `  classification  ${incident.classification}${incident.determination ? ` (${incident.determination})` : ''}\n`,
  );
  print(
    `  assigned to     ${incident.assignedTo ?? '-'}\n  tags            ${incident.tags.join(', ') || '-'}\n`,
  );
  print(
    `  activity        ${incident.firstActivityAt} … ${incident.lastActivityAt}\n  alerts          ${incident.alertCount}: ${incident.alertIds.join(', ')}\n`,
  );
  print(
    `\nMain entities:\n${incident.entities.map((entity) => `  ${entity.key}  (${entity.alerts} alert${entity.alerts === 1 ? '' : 's'})`).join('\n')}\n`,
  );
  if (incident.links.length > 0)
    print(
      `\nWhy these alerts are one incident:\n${incident.links.map((link) => `  ${link.alertId} joined ${link.otherAlertId} through ${link.entityKey}`).join('\n')}\n`,
    );
  if (incident.merges.length > 0)
    print(
      `\nMerged:\n${incident.merges.map((merge) => `  ${merge.from} at ${merge.at}${merge.entityKey ? ` through ${merge.entityKey} (${merge.alertId})` : ''}`).join('\n')}\n`,
    );
  if (incident.comments.length > 0)
    print(
      `\nComments:\n${incident.comments.map((comment) => `  ${comment.createdAt} ${comment.author}: ${comment.text}`).join('\n')}\n`,
    );
}

export function registerIncidentCommands(program: Command, helpers: CliContext): void {
  const { print, printJson, withStore } = helpers;
  const incidents = program
    .command('incidents')
    .description('Incidents: groups of alerts that tell one story');

  incidents
    .command('list')
    .description('Incidents, most recent activity first (redirected ones left out unless asked for)')
    .option('--status <list>', 'active, resolved, redirected (comma-separated; default active,resolved)')
    .addOption(new Option('--min-severity <severity>', 'this severity or higher').choices(severities))
    .option('--assigned-to <name>', 'assigned to this analyst')
    .option('--tag <tag>', 'with this tag')
    .option('--entity <key>', 'naming this entity key among its main entities')
    .option('--since <time>', 'active since (ISO 8601)')
    .option('--until <time>', 'active before (ISO 8601)')
    .option('--limit <n>', 'how many (1–1000)', parseLimit, 50)
    .option('--cursor <cursor>', 'continue after a previous page')
    .option('--json', 'print a JSON array of incidents')
    .action(async (options: Record<string, string | number | boolean | undefined>, command: Command) => {
      const statuses =
        typeof options.status === 'string' ? options.status.split(',').map((item) => item.trim()) : undefined;
      for (const status of statuses ?? [])
        if (!['active', 'resolved', 'redirected'].includes(status))
          throw new AutoirError(
            'AUTOIR_E_BAD_USAGE',
            `--status: unknown status ${status} (active, resolved, redirected)`,
          );
      for (const name of ['since', 'until'] as const)
        if (options[name] !== undefined && !Number.isFinite(Date.parse(String(options[name]))))
          throw new AutoirError(
            'AUTOIR_E_BAD_USAGE',
            `--${name}: ${String(options[name])} is not an ISO 8601 date-time`,
          );
      const page = await withStore(command, (store) =>
        store.incidents.listIncidents(
          {
            ...(statuses ? { statuses: statuses as IncidentStatus[] } : {}),
            ...(options.minSeverity ? { minSeverity: options.minSeverity as Severity } : {}),
            ...(typeof options.assignedTo === 'string' ? { assignee: options.assignedTo } : {}),
            ...(typeof options.tag === 'string' ? { tag: options.tag } : {}),
            ...(typeof options.entity === 'string' ? { entityKey: normalizeEntityKey(options.entity) } : {}),
            ...(typeof options.since === 'string' ? { since: options.since } : {}),
            ...(typeof options.until === 'string' ? { until: options.until } : {}),
          },
          {
            limit: options.limit as number,
            ...(typeof options.cursor === 'string' ? { cursor: options.cursor } : {}),
          },
        ),
      );
      if (options.json) {
        printJson(page.items);
        if (page.nextCursor) helpers.printErr(`more: --cursor ${page.nextCursor}\n`);
        return;
      }
      if (page.items.length === 0) {
        print('no incidents\n');
        return;
      }
      print(
        table(
          ['ID', 'LAST ACTIVITY', 'SEVERITY', 'STATUS', 'ALERTS', 'TITLE'],
          page.items.map((incident) => [
            incident.id,
            incident.lastActivityAt,
            incident.severity,
            incident.status,
            String(incident.alertCount),
            truncate(incident.title, 80),
          ]),
        ),
      );
      if (page.nextCursor) print(`more: autoir incidents list --cursor ${page.nextCursor}\n`);
    });

  incidents
    .command('show')
    .description('One incident: its alerts, main entities, the links that made it, merges and comments')
    .argument('<id>', 'incident id (inc_…)')
    .option('--json', 'print JSON')
    .action(async (id: string, options: { json?: boolean }, command: Command) => {
      const incident = await withStore(command, (store) => store.incidents.getIncident(id));
      if (!incident) throw new AutoirError('AUTOIR_E_NOT_FOUND', `no incident ${id}`);
      if (options.json) printJson(incident);
      else printIncident(incident, print);
    });

  incidents
    .command('update')
    .description("Set an incident's analyst fields (automation never changes them)")
    .argument('<id>', 'incident id (inc_…)')
    .addOption(new Option('--status <status>').choices(['active', 'resolved']))
    .addOption(new Option('--classification <classification>').choices(incidentClassifications))
    .option('--determination <text>', 'what it was (free text, e.g. malware, apt, securityTesting)')
    .option('--assign <name>', 'assign to this analyst ("" to unassign)')
    .option('--tags <list>', 'replace the tags (comma-separated)')
    .option('--comment <text>', 'add a comment as well')
    .option('--author <name>', 'who comments (default $USER)')
    .option('--json', 'print JSON')
    .action(async (id: string, options: Record<string, string | boolean | undefined>, command: Command) => {
      const patch: IncidentPatch = {
        ...(typeof options.status === 'string' ? { status: options.status as 'active' | 'resolved' } : {}),
        ...(typeof options.classification === 'string'
          ? { classification: options.classification as IncidentClassification }
          : {}),
        ...(typeof options.determination === 'string' ? { determination: options.determination } : {}),
        ...(typeof options.assign === 'string'
          ? { assignedTo: options.assign === '' ? null : options.assign }
          : {}),
        ...(typeof options.tags === 'string'
          ? {
              tags: options.tags
                .split(',')
                .map((tag) => tag.trim())
                .filter(Boolean),
            }
          : {}),
      };
      const comment = typeof options.comment === 'string' ? options.comment : undefined;
      if (Object.keys(patch).length === 0 && comment === undefined)
        throw new AutoirError(
          'AUTOIR_E_BAD_USAGE',
          'nothing to change: give --status, --classification, --determination, --assign, --tags or --comment',
        );
      const incident = await withStore(command, async (store) => {
        let result =
          Object.keys(patch).length > 0
            ? await store.incidents.updateIncident(id, patch, helpers.now())
            : undefined;
        if (comment !== undefined)
          result = await store.incidents.addComment(
            id,
            typeof options.author === 'string' ? options.author : authorOf(helpers.env),
            comment,
            helpers.now(),
          );
        return result as IncidentDetail;
      });
      if (options.json) printJson(incident);
      else printIncident(incident, print);
    });
}

function authorOf(env: Readonly<Record<string, string | undefined>>): string {
  return env.USER ?? env.USERNAME ?? 'analyst';
}
