/** `autoir demo`: load a real attack and a phishing campaign (app/demo.ts), investigate them, and say what came of it. */
import type { Command } from 'commander';
import { loadDemo } from '../../app/demo.js';
import type { CliContext } from '../context.js';
import { table } from '../io.js';

export function registerDemoCommand(program: Command, context: CliContext): void {
  program
    .command('demo')
    .description('Load a real attack (OTRF LSASS_campaign_01) and a phishing campaign, and investigate them')
    .option('--json', 'print a JSON summary')
    .action(async (options: { json?: boolean }, command: Command) => {
      const summary = await context.withServices(command, (services) =>
        loadDemo(services, (text) => !options.json && context.printErr(text), context.now),
      );
      if (options.json) return context.printJson(summary);
      context.print(
        `loaded ${summary.otrf.events} OTRF events (${summary.otrf.alerts} Sigma rule matches) and ${summary.phishing.events} phishing events\n\n`,
      );
      context.print(
        table(
          [
            'INVESTIGATION',
            'PLAYBOOK',
            'STATUS',
            'INCIDENT',
            'MALICIOUS',
            'SUSPICIOUS',
            'EVIDENCE',
            'PROPOSED',
          ],
          summary.investigations.map((row) => [
            row.id,
            row.playbook,
            row.status,
            row.incidentId ?? '-',
            String(row.malicious),
            String(row.suspicious),
            String(row.evidence),
            String(row.actions),
          ]),
        ),
      );
      context.print('\n');
      for (const row of summary.investigations.filter((item) => item.playbook !== 'none'))
        context.print(
          `next: autoir investigations show ${row.id}   (${row.playbook}: why each verdict; --json for all)\n`,
        );
    });
}
