/**
 * Threat intelligence from the command line: `intel import` (STIX 2.1 bundles, MISP events).
 */
import { readFileSync } from 'node:fs';
import { type Command } from 'commander';
import { AutoirError } from '../../domain/errors.js';
import { parseIntelDocument } from '../../intel/import.js';
import type { CliContext } from '../context.js';

export function registerIntelCommands(program: Command, context: CliContext): void {
  const { print, printJson, withStore } = context;
  const author = () => context.env.USER ?? context.env.USERNAME ?? 'analyst';

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
          context.now(),
        ),
      );
      const summary = { format: parsed.format, imported: stored.length, skipped: parsed.skipped };
      if (options.json) return printJson(summary);
      print(`${file}: ${stored.length} indicators imported (${parsed.format})\n`);
      for (const skip of parsed.skipped) print(`  skipped ${skip.ref}: ${skip.reason}\n`);
    });
}
