/**
 * `autoir serve`: the API, the web UI and (unless `--no-worker`) a worker in one process.
 */
import type { Command } from 'commander';
import { createServer } from '../../api/server.js';
import { packageVersion } from '../../version.js';

import { runWorker } from '../../worker/worker.js';
import { parseInteger } from '../options.js';
import { prepareDemo } from '../../app/demo.js';
import type { CliContext } from '../context.js';

export function registerServeCommand(program: Command, context: CliContext): void {
  const { io, withServices } = context;
  program
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
      '--demo',
      'load the demo scenario into an empty store, add a demo connector, and print an admin sign-in token',
    )
    .action(
      async (
        options: { port: number; host: string; bodyLimit?: number; worker: boolean; demo?: boolean },
        command: Command,
      ) => {
        await withServices(command, async (services) => {
          const { store, settings } = services;
          await services.sealStoredSecrets((text) => io.stderr.write(`autoir: ${text}\n`));
          const demoToken = options.demo
            ? await prepareDemo(services, (text) => io.stderr.write(text))
            : undefined;
          const app = createServer({
            sessions: settings.server.sessions,
            outbound: services.outbound,
            rateLimits: settings.server.rateLimits,
            ...(services.secrets() ? { secrets: services.secrets() } : {}),
            correlation: services.correlation(),
            playbooks: services.investigation().playbooks,
            store,
            version: packageVersion(),
            bodyLimit: options.bodyLimit ?? settings.server.bodyLimit,
            logger: settings.server.logRequests,
          });
          const address = await app.listen({ port: options.port, host: options.host });
          io.stderr.write(`autoir ${packageVersion()} listening on ${address} (store: ${store.location})\n`);
          if (demoToken)
            io.stderr.write(
              `\n  Open ${address} in a browser and sign in with this API token (role admin, shown once):\n\n    ${demoToken}\n\n` +
                '  (create accounts under Settings → Users and tokens, or `autoir users add NAME --role analyst`)\n\n',
            );
          io.stderr.write(`  health:  ${address}/api/v1/health\n  openapi: ${address}/api/v1/openapi.json\n`);
          const tokens = (await store.tokens.listTokens()).filter((token) => token.revokedAt === null);
          if (tokens.length === 0)
            io.stderr.write(
              '  no API tokens yet: create one with `autoir token create --role admin --name me`\n',
            );
          if ((await store.users.listUsers()).length === 0)
            io.stderr.write(
              '  no users yet: add one for the web UI with `autoir users add me --role admin`\n',
            );
          // The worker loop in the same process: alerts posted or ingested are correlated and investigated.
          const stopWorker = new AbortController();
          const worker = options.worker
            ? runWorker(
                store,
                services.work({ serverAddress: address, log: (message) => io.stderr.write(`${message}\n`) }),
                stopWorker.signal,
              ).catch((error: unknown) => {
                io.stderr.write(`autoir: the worker loop stopped: ${(error as Error).message}\n`);
              })
            : Promise.resolve();
          if (options.worker)
            io.stderr.write(
              '  worker:  correlation, investigations and approved actions run in this process\n',
            );
          await (io.waitForStop?.() ?? new Promise<void>(() => undefined));
          stopWorker.abort();
          await worker;
          await app.close();
        });
      },
    );
}
