/**
 * Doing the waiting work from the command line: `run --until-idle` (then exit) and `worker` (until stopped).
 */
import { parseInteger } from '../options.js';
import { createMetrics } from '../../app/metrics.js';
import { listenMetrics } from '../../app/metrics-server.js';
import { packageVersion } from '../../version.js';
import { type Command } from 'commander';
import { AutoirError } from '../../domain/errors.js';
import { durationMs } from '../../domain/duration.js';
import { runUntilIdle, runWorker } from '../../worker/worker.js';
import { describeInput } from '../../ingest/inputs.js';
import type { CliContext } from '../context.js';
import { listed } from './ingest.js';
import { addLogOptions, openProcessLog, runLogged, type LogCommandOptions } from '../log.js';

/**
 * What `run --until-idle` did, in words: only what happened (ingest already puts alerts in incidents, so "0
 * incidents created" would mislead), and the command to go on with.
 */
export function describeRun(summary: Awaited<ReturnType<typeof runUntilIdle>>, self: string): string {
  const c = summary.correlation;
  const i = summary.investigations;
  const a = summary.actions;
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  const lines = [
    c.alerts > 0
      ? `correlated ${plural(c.alerts, 'alert')}: ${plural(c.incidentsCreated, 'incident')} created${listed(c)}, ${c.incidentsMerged} merged`
      : 'correlation: no alert was waiting (ingest and the API put alerts in incidents as they store them)',
    i.created + i.joined + i.ran > 0
      ? `investigations: ${i.created} started, ${plural(i.joined, 'alert')} joined running ones, ${i.unsupported} unsupported; ${plural(i.ran, 'run')}, ${plural(i.steps, 'step')}`
      : 'investigations: none to start or run',
    a.planned + a.attempts + a.expired > 0
      ? `actions: ${a.planned} planned (${a.approvedByPolicy} by policy, ${a.pendingApproval} waiting for approval, ${a.skipped} not automated); ${plural(a.attempts, 'attempt')}: ${a.succeeded} succeeded, ${a.failed} failed, ${a.retried} to retry; ${a.expired} expired`
      : 'actions: none planned or run',
  ];
  if (i.created > 0) lines.push(`next: \`${self} investigations list\`, \`${self} incidents list\``);
  if (a.pendingApproval > 0)
    lines.push(
      `${plural(a.pendingApproval, 'action')} wait for approval: \`${self} actions list --status pendingApproval\`, or the action center (\`${self} serve\`)`,
    );
  return `${lines.join('\n')}\n`;
}

export function registerWorkCommands(program: Command, context: CliContext): void {
  const { print, printJson, withServices } = context;

  program
    .command('run')
    .description(
      'Do the waiting work — correlate alerts, start and run investigations — and exit when none is left',
    )
    .option('--until-idle', 'exit when nothing is left to do (the only mode; `autoir worker` keeps running)')
    .option('--json', 'print a JSON summary')
    .action(async (options: { json?: boolean }, command: Command) => {
      const summary = await withServices(command, async (services) => {
        await services.sealStoredSecrets();
        return runUntilIdle(services.store, services.work({ now: context.now }));
      });
      if (options.json) printJson(summary);
      else {
        print(describeRun(summary, context.self));
      }
    });

  const worker = program
    .command('worker')
    .description(
      'Keep doing waiting work (correlation, investigations) until stopped; many workers can share one PostgreSQL',
    )
    .option('--poll <duration>', 'how often to look for work when idle', '500ms')
    .option(
      '--metrics-port <port>',
      'serve /metrics, /health and /ready on this port (for Prometheus and probes)',
      parseInteger('metrics port', 0, 65535),
    )
    .option('--metrics-host <host>', 'address of --metrics-port', '127.0.0.1');
  addLogOptions(worker).action(
    async (
      options: { poll: string; metricsPort?: number; metricsHost: string } & LogCommandOptions,
      command: Command,
    ) => {
      const pollMs = durationMs(options.poll);
      if (pollMs === undefined)
        throw new AutoirError('AUTOIR_E_BAD_USAGE', `--poll: not a duration: ${options.poll}`);
      const processLog = openProcessLog(context, command, 'worker', options);
      const { log } = processLog;
      // Stopped by SIGINT or SIGTERM: what the inputs received is stored, the actions in flight end or are let go.
      const controller = new AbortController();
      void (context.io.waitForStop?.() ?? new Promise<void>(() => undefined)).then(() => {
        log.info('stopping');
        controller.abort();
      });
      await runLogged(processLog, () =>
        withServices(
          command,
          async (services) => {
            await services.sealStoredSecrets();
            // The configured inputs (AUTOIR_INPUTS), held by one process of the deployment at a time.
            for (const input of services.inputs())
              log.info('input configured', {
                input: input.name,
                kind: input.kind,
                detail: describeInput(input),
              });
            const inputs = services
              .runInputs(controller.signal)
              .catch((error: unknown) => log.error('the inputs stopped', { err: error }));
            const metrics = createMetrics(services.store, { role: 'worker', version: packageVersion() });
            const operations =
              options.metricsPort === undefined
                ? undefined
                : await listenMetrics(
                    metrics,
                    services.store,
                    { host: options.metricsHost, port: options.metricsPort },
                    log,
                  );
            if (operations) log.info('serving metrics', { metrics: `http://${operations.address}/metrics` });
            try {
              await runWorker(
                services.store,
                services.work({ log, observe: metrics.observe }),
                controller.signal,
                pollMs,
              );
              await inputs;
            } finally {
              await operations?.close();
            }
          },
          { log },
        ),
      );
    },
  );
}
