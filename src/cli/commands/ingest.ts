/**
 * `autoir ingest`: alerts and telemetry from files, directories, archives or standard input.
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import { AutoirError, formatLocation } from '../../domain/errors.js';
import { followFiles } from '../../ingest/follow.js';
import { describeFormats, formatById, inputFormats } from '../../ingest/formats/index.js';
import { openDocuments, planInput } from '../../ingest/input.js';
import { defaultWorkerCount } from '../../ingest/parse-pool.js';
import { ingestDocuments, type IngestError, type IngestSummary } from '../../ingest/pipeline.js';
import { collect, type CliIo } from '../io.js';
import { parseThreadScript } from '../../app/threads.js';
import { plainLog } from '../../app/log.js';

import { correlatePending, type CorrelationSummary } from '../../correlate/correlator.js';
import { createProgress } from '../progress.js';
import { parseInteger } from '../options.js';
import type { CliContext } from '../context.js';

/** ` (inc_1, inc_2 and 3 more)`: the incidents created, by id. */
export function listed(summary: CorrelationSummary): string {
  if (summary.created.length === 0) return '';
  const more = summary.incidentsCreated - summary.created.length;
  return ` (${summary.created.join(', ')}${more > 0 ? ` and ${more} more` : ''})`;
}

function printIngestSummary(
  summary: IngestSummary,
  skippedFiles: readonly string[],
  io: CliIo,
  incidents: CorrelationSummary | undefined,
  self: string,
): void {
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
  if (incidents && incidents.alerts > 0)
    io.stdout.write(
      `put ${incidents.alerts} alert${incidents.alerts === 1 ? '' : 's'} in incidents: ${incidents.incidentsCreated} new${listed(incidents)}, ${incidents.incidentsMerged} merged; ` +
        `next: \`${self} run --until-idle\` investigates them (a running \`${self} serve\` or worker does it by itself)\n`,
    );
  for (const error of summary.errors.slice(0, 50)) io.stderr.write(`${describeError(error)}\n`);
  if (summary.errorCount > 50)
    io.stderr.write(`… and ${summary.errorCount - 50} more errors (use --json to see up to 1000)\n`);
}

export function describeError(error: IngestError): string {
  const where = formatLocation({ file: error.file, line: error.line });
  return `${where ? `${where}: ` : ''}${error.message}`;
}

export function registerIngestCommand(program: Command, context: CliContext): void {
  const { io, printJson, withServices } = context;

  /** `ingest --follow`: follow the files until SIGINT/SIGTERM, printing a line per stored batch (JSON with --json). */
  const follow = async (
    patterns: string[],
    options: { format?: string; json?: boolean; detect: boolean; rules: string[] },
    command: Command,
  ) => {
    if (patterns.includes('-'))
      throw new AutoirError('AUTOIR_E_BAD_USAGE', '--follow reads files, not standard input');
    await withServices(command, async (services) => {
      const { store } = services;
      const detection = options.detect ? services.detection({ rules: options.rules }) : undefined;
      const stop = new AbortController();
      void (io.waitForStop?.() ?? new Promise<void>(() => undefined)).then(() => stop.abort());
      io.stderr.write(`following ${patterns.join(', ')} (stop with Ctrl-C)\n`);
      await followFiles(store, {
        input: 'cli:follow',
        patterns,
        signal: stop.signal,
        ingest: {
          format: options.format ? formatById(options.format) : undefined,
          ...(detection ? { detection: services.ingestDetection(detection) } : {}),
        },
        log: plainLog(io.stderr),
        async onBatch(summary, file) {
          const incidents =
            summary.alerts > 0 ? await correlatePending(store, services.correlation()) : undefined;
          if (options.json)
            printJson({
              file,
              events: summary.events,
              duplicateEvents: summary.duplicateEvents,
              alerts: summary.alerts,
              errors: summary.errorCount,
              ...(incidents ? { correlation: incidents } : {}),
            });
          else
            io.stdout.write(
              `${file}: ${summary.events} events, ${summary.alerts} alerts, ${summary.errorCount} errors\n`,
            );
          for (const error of summary.errors.slice(0, 20)) io.stderr.write(`${describeError(error)}\n`);
        },
      });
    });
  };
  program
    .command('ingest')
    .description(
      'Read alerts from a file, a directory, or - (standard input): JSON, JSON arrays, NDJSON, .gz, .zip',
    )
    .argument(
      '<path...>',
      'file, directory, or - for standard input; with --follow, files, directories or globs',
    )
    .addOption(
      new Option('--format <format>', 'read every record as this format instead of sniffing').choices(
        inputFormats.map((format) => format.id),
      ),
    )
    .option(
      '--follow',
      'keep reading the files as lines are appended (rotation followed), until stopped; resumes where it stopped',
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
        targets: string[],
        options: {
          follow?: boolean;
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
        if (options.follow) return follow(targets, options, command);
        if (targets.length !== 1)
          throw new AutoirError('AUTOIR_E_BAD_USAGE', 'ingest reads one path (several only with --follow)');
        const plan = await planInput(targets[0] as string);
        const { summary, incidents } = await withServices(command, async (services) => {
          const { store } = services;
          const detection = options.detect ? services.detection({ rules: options.rules }) : undefined;
          const progress =
            options.progress && io.stderr.isTTY && !options.json
              ? createProgress(io.stderr, plan.totalBytes)
              : undefined;
          let summary: IngestSummary;
          try {
            summary = await ingestDocuments(
              openDocuments(plan, {
                stdin: io.stdin,
                ...(progress
                  ? {
                      onBytes: progress.addBytes,
                      onDocumentBytes: progress.onDocumentBytes,
                      onArchive: progress.onArchive,
                      onArchiveEntry: progress.onArchiveEntry,
                    }
                  : {}),
                ...(services.settings.maxSpoolBytes
                  ? { maxSpoolBytes: services.settings.maxSpoolBytes }
                  : {}),
              }),
              {
                store,
                format: options.format ? formatById(options.format) : undefined,
                strict: options.strict ?? false,
                workers: options.workers ?? defaultWorkerCount(),
                onProgress: progress?.update,
                parseThread: parseThreadScript,
                ...(detection ? { detection: services.ingestDetection(detection) } : {}),
              },
            );
          } finally {
            progress?.done();
          }
          // Alerts become incidents as they arrive.
          const incidents =
            summary.stored && summary.alerts > 0
              ? await correlatePending(store, services.correlation())
              : undefined;
          return { summary, incidents };
        });
        if (options.json)
          printJson({
            ...summary,
            ...(incidents ? { correlation: incidents } : {}),
            skippedFiles: plan.skipped,
          });
        else printIngestSummary(summary, plan.skipped, io, incidents, context.self);
        if (summary.errorCount > 0) context.setExitCode(2);
      },
    );
}
