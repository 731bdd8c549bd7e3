/**
 * Reports of suspicious mail from the command line: `reports list` — what employees forwarded to the report
 * mailbox, the alert each became, and whether the reporter was answered (docs/connectors.md, the report mailbox).
 */
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { table } from '../io.js';
import { parseInteger } from '../options.js';

export function registerReportCommands(program: Command, context: CliContext): void {
  const { print, printJson, withStore } = context;
  const reports = program
    .command('reports')
    .description('Suspicious mail reported by employees to the report mailbox');
  reports
    .command('list')
    .description('Reports, newest first: reporter, the reported message, its alert, the reply')
    .option('--limit <n>', 'at most this many', parseInteger('limit', 1, 10_000), 100)
    .option('--json', 'print JSON')
    .action(async (options: { limit: number; json?: boolean }, command: Command) => {
      const items = await withStore(command, (store) => store.mailReports.list(options.limit));
      if (options.json) printJson({ items });
      else
        print(
          items.length === 0
            ? 'no reports\n'
            : table(
                ['REPORT', 'RECEIVED', 'REPORTER', 'SENDER', 'SUBJECT', 'ALERT', 'REPLIED'],
                items.map((report) => [
                  report.id,
                  report.createdAt,
                  report.reporter,
                  report.reportedSender ?? '-',
                  (report.reportedSubject ?? '-').slice(0, 60),
                  report.alertId ?? '(no message in it)',
                  report.repliedAt ?? 'not yet',
                ]),
              ),
        );
    });
}
