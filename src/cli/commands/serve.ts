/**
 * `autoir serve`: the API, the web UI and (unless `--no-worker`) a worker in one process.
 */
import { createMetrics } from '../../app/metrics.js';
import { listenMetrics } from '../../app/metrics-server.js';
import { HttpIngestCounters, reportHttpInput } from '../../ingest/http-input.js';
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { AutoirError } from '../../domain/errors.js';
import { createServer } from '../../api/server.js';
import { oidcSignIn } from '../../api/oidc.js';
import { packageVersion } from '../../version.js';

import { runWorker } from '../../worker/worker.js';
import { watchReportMailbox } from '../../ingest/report-mailbox.js';
import { reportMailboxOptions } from '../../app/mail.js';
import { parseInteger } from '../options.js';
import { prepareDemo } from '../../app/demo.js';
import { describeInput } from '../../ingest/inputs.js';
import type { CliContext } from '../context.js';
import type { CliIo } from '../io.js';
import type { Services } from '../../app/services.js';
import type { ProcessLog } from '../../app/log.js';
import { addLogOptions, openProcessLog, runLogged, type LogCommandOptions } from '../log.js';
import type { LogFields } from '../../domain/log.js';

/** Whether a bind address reaches this machine only. */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/** The certificate and key of --tls-cert/--tls-key: both or neither, each a readable file. */
function readTls(
  cert: string | undefined,
  key: string | undefined,
): { cert: Buffer; key: Buffer } | undefined {
  if (cert === undefined && key === undefined) return undefined;
  if (cert === undefined || key === undefined)
    throw new AutoirError('AUTOIR_E_BAD_USAGE', 'give --tls-cert and --tls-key together');
  const read = (file: string, option: string) => {
    try {
      return readFileSync(file);
    } catch (error) {
      throw new AutoirError(
        'AUTOIR_E_BAD_USAGE',
        `${option} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
  };
  return { cert: read(cert, '--tls-cert'), key: read(key, '--tls-key') };
}

export function registerServeCommand(program: Command, context: CliContext): void {
  const { io, withServices } = context;
  const serveCommand = program
    .command('serve')
    .description('Run the API, the web UI and a worker (correlation, investigations, actions) on one port')
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
      '--metrics-port <port>',
      'also serve /metrics, /health and /ready without a token on this port (for Prometheus and probes)',
      parseInteger('metrics port', 0, 65535),
    )
    .option('--metrics-host <host>', 'address of --metrics-port', '127.0.0.1')
    .option('--tls-cert <file>', 'serve HTTPS with this certificate (PEM; with --tls-key)')
    .option('--tls-key <file>', 'the private key of --tls-cert (PEM)')
    .option(
      '--demo',
      'load the demo scenario into an empty store, add a demo connector, and print an admin sign-in token (the log in text unless --log-format says otherwise)',
    );
  addLogOptions(serveCommand).action(async (options: ServeOptions, command: Command) => {
    const tls = readTls(options.tlsCert, options.tlsKey);
    // The demo is for a person at a terminal: its sign-in token is printed with the text log only.
    const processLog = openProcessLog(
      context,
      command,
      'serve',
      options,
      options.demo ? { format: 'text' } : {},
    );
    await runLogged(processLog, () =>
      withServices(command, (services) => serve(services, io, options, tls, processLog, context.self), {
        log: processLog.log,
      }),
    );
  });
}

interface ServeOptions extends LogCommandOptions {
  readonly port: number;
  readonly host: string;
  readonly bodyLimit?: number;
  readonly worker: boolean;
  readonly demo?: boolean;
  readonly metricsPort?: number;
  readonly metricsHost: string;
  readonly tlsCert?: string;
  readonly tlsKey?: string;
}

/** Serve until asked to stop: the API, the worker, the report mailbox, the inputs, the operations port. */
async function serve(
  services: Services,
  io: CliIo,
  options: ServeOptions,
  tls: { cert: Buffer; key: Buffer } | undefined,
  processLog: ProcessLog,
  /** How the person runs autoir, for the hints (`npx autoir`…). */
  self: string,
): Promise<void> {
  const { log } = processLog;
  const text = processLog.format === 'text';
  /** A line of the banner: as written for a person in text, as a log line in JSON. */
  const announce = (
    line: string,
    message: string,
    fields: LogFields = {},
    level: 'info' | 'warn' = 'info',
  ) => {
    if (text) io.stderr.write(line);
    else log[level](message, fields);
  };
  const { store, settings } = services;
  const secrets = services.secrets();
  // The inputs file is read before anything starts: a mistake in it stops the start.
  const inputs = options.worker ? services.inputs() : [];
  await services.sealStoredSecrets();
  const demoToken = options.demo
    ? await prepareDemo(services, (line) => announce(line, line.trim()))
    : undefined;
  const ingestCounters = new HttpIngestCounters();
  const metrics = createMetrics(store, { role: 'server', version: packageVersion() });
  const app = createServer({
    sessions: settings.server.sessions,
    outbound: services.outbound,
    rateLimits: settings.server.rateLimits,
    ...(settings.oidc ? { oidc: oidcSignIn(settings.oidc) } : {}),
    ...(secrets ? { secrets } : {}),
    correlation: services.correlation(),
    detection: services.ingestDetection(services.detection()),
    playbooks: services.investigation().playbooks,
    store,
    inputs,
    ingestCounters,
    arrivals: services.arrivals,
    metrics,
    version: packageVersion(),
    bodyLimit: options.bodyLimit ?? settings.server.bodyLimit,
    log: { requests: settings.server.logRequests, logger: processLog.pino },
    ...(tls ? { tls } : {}),
  });
  // Fastify's own "Server listening at" lines say less than the banner below: left out.
  const level = app.log.level;
  app.log.level = 'warn';
  const listening = await app
    .listen({ port: options.port, host: options.host })
    .finally(() => (app.log.level = level));
  const port = new URL(listening).port;
  const scheme = tls ? 'https' : 'http';
  const everywhere = options.host === '0.0.0.0' || options.host === '::';
  // Links this machine can open; with every interface bound, by loopback.
  const address = everywhere ? `${scheme}://127.0.0.1:${port}` : listening;
  announce(
    `autoir ${packageVersion()} listening on ${everywhere ? `every interface (${options.host}), port ${port}` : listening} (store: ${store.location})\n`,
    `listening on ${everywhere ? `every interface (${options.host}), port ${port}` : listening}`,
    {
      version: packageVersion(),
      url: address,
      host: options.host,
      port: Number(port),
      store: store.location,
    },
  );
  if (!isLoopback(options.host))
    if (tls)
      announce('  reachable from other machines, over TLS\n', 'reachable from other machines, over TLS');
    else
      announce(
        '  warning: reachable from other machines without TLS: tokens, passwords and session cookies cross the network in the clear. Give --tls-cert and --tls-key, or put a TLS proxy in front (docs/security.md)\n',
        'reachable from other machines without TLS: tokens, passwords and session cookies cross the network in the clear. Give --tls-cert and --tls-key, or put a TLS proxy in front (docs/security.md)',
        {},
        'warn',
      );
  if (demoToken && text)
    io.stderr.write(
      `\n  Open ${address} in a browser and sign in with this API token (role admin, shown once):\n\n    ${demoToken}\n\n` +
        `  (create accounts under Settings → Users and tokens, or \`${self} users add NAME --role analyst\`)\n\n`,
    );
  else if (demoToken)
    log.warn(
      `the demo sign-in token is printed with --log-format text only (a token is never logged): create one with \`${self} token create --role admin --name me\``,
    );
  announce(
    `  health:  ${address}/api/v1/health\n  openapi: ${address}/api/v1/openapi.json\n`,
    'serving the API',
    { health: `${address}/api/v1/health`, openapi: `${address}/api/v1/openapi.json` },
  );
  const tokens = (await store.tokens.listTokens()).filter((token) => token.revokedAt === null);
  if (tokens.length === 0)
    announce(
      `  no API tokens yet: create one with \`${self} token create --role admin --name me\`\n`,
      `no API tokens yet: create one with \`${self} token create --role admin --name me\``,
    );
  if ((await store.users.listUsers()).length === 0)
    announce(
      `  no users yet: add one for the web UI with \`${self} users add me --role admin\`\n`,
      `no users yet: add one for the web UI with \`${self} users add me --role admin\``,
    );
  // The worker loop in the same process: alerts posted or ingested are correlated and investigated.
  const stopWorker = new AbortController();
  const worker = options.worker
    ? runWorker(
        store,
        services.work({ serverAddress: address, log, observe: metrics.observe }),
        stopWorker.signal,
      ).catch((error: unknown) => log.error('the worker loop stopped', { err: error }))
    : Promise.resolve();
  if (options.worker)
    announce(
      '  worker:  correlation, investigations and approved actions run in this process\n',
      'worker: correlation, investigations and approved actions run in this process',
    );
  // The report mailbox, watched by the process that runs the worker (one watcher per deployment).
  const reportMailbox = options.worker ? services.mail().reportMailbox : undefined;
  const watching = reportMailbox
    ? reportMailboxOptions(reportMailbox, services.outbound, log)
        .then((watch) => {
          announce(
            `  reports: watching ${reportMailbox.user} (${reportMailbox.folder})\n`,
            'watching the report mailbox',
            { mailbox: reportMailbox.user, folder: reportMailbox.folder },
          );
          return watchReportMailbox(store, watch, stopWorker.signal);
        })
        .catch((error: unknown) => log.error('the report mailbox is not watched', { err: error }))
    : Promise.resolve();
  // The configured inputs (AUTOIR_INPUTS), held by one process of the deployment at a time.
  for (const input of inputs)
    announce(`  input:   ${input.name} (${input.kind}: ${describeInput(input)})\n`, 'input configured', {
      input: input.name,
      kind: input.kind,
      detail: describeInput(input),
    });
  const inputsRunning = services
    .runInputs(stopWorker.signal)
    .catch((error: unknown) => log.error('the inputs stopped', { err: error }));
  // The HTTP ingest endpoints, listed as this server's input with their counters.
  const httpReporting = reportHttpInput(
    store,
    ingestCounters,
    { host: options.host, port: Number(port), url: address },
    stopWorker.signal,
    { log },
  );
  const operations =
    options.metricsPort === undefined
      ? undefined
      : await listenMetrics(metrics, store, { host: options.metricsHost, port: options.metricsPort }, log);
  if (operations)
    announce(`  metrics: http://${operations.address}/metrics (and /health, /ready)\n`, 'serving metrics', {
      metrics: `http://${operations.address}/metrics`,
    });
  await (io.waitForStop?.() ?? new Promise<void>(() => undefined));
  log.info('stopping');
  stopWorker.abort();
  // Inputs first: what they received is stored (and its alerts correlated) before the worker stops.
  await inputsRunning;
  await worker;
  await watching;
  await app.close();
  await httpReporting;
  await operations?.close();
  log.info('stopped');
}
