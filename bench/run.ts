/**
 * `npm run bench -- NAME [--count N] [--dataset DIR] [--backend sqlite|postgres] [--concurrency N]`: run one
 * benchmark (or all, with no name) and print one JSON line per benchmark. `ui` also takes `--evidence N` and
 * `--runs N`; `scale` takes `--workers 1,2,4` and `--delay MS`.
 */
import path from 'node:path';
import { benchIngestAlerts } from './ingest-alerts.js';
import { benchIngestEvents } from './ingest-events.js';
import { benchDetect } from './detect.js';
import { benchCorrelate, benchCorrelateStore } from './correlate.js';
import { benchInvestigate } from './investigate.js';
import { benchRespond } from './respond.js';
import { benchRespondImap, benchRespondLdap } from './respond-peers.js';
import { benchUi } from './ui.js';
import { benchAgent } from './agent.js';
import { benchScale } from './scale.js';
import { benchLive } from './live.js';

const benches: Record<string, (args: Map<string, string>) => Promise<Record<string, unknown>>> = {
  'ingest-alerts': (args) =>
    benchIngestAlerts({
      count: Number(args.get('count') ?? 100_000),
      workers: args.has('workers') ? Number(args.get('workers')) : undefined,
      backend: args.get('backend') === 'postgres' ? 'postgres' : 'sqlite',
    }),
  'ingest-events': (args) =>
    benchIngestEvents({
      dataset: args.get('dataset') ?? path.resolve(import.meta.dirname, '../../demo/otrf/LSASS_campaign_01'),
      workers: args.has('workers') ? Number(args.get('workers')) : undefined,
      backend: args.get('backend') === 'postgres' ? 'postgres' : 'sqlite',
    }),
};

// Both measures in one line by default (`--backend none`: the function only; `--backend sqlite` or `postgres`: the
// store only).
benches.correlate = async (args) => {
  const count = Number(args.get('count') ?? 1_000_000);
  const backend = args.get('backend');
  if (backend === 'sqlite' || backend === 'postgres') return benchCorrelateStore({ count, backend });
  if (backend === 'none') return benchCorrelate({ count });
  const inProcess = benchCorrelate({ count });
  const store = await benchCorrelateStore({ count });
  return {
    bench: 'correlate',
    alerts: count,
    in_process_alerts_per_s: inProcess.in_process_alerts_per_s,
    store_alerts_per_s: store.store_alerts_per_s,
    peak_rss_mb: Math.max(Number(inProcess.peak_rss_mb), Number(store.peak_rss_mb)),
    in_process: inProcess,
    store,
  };
};

benches.investigate = (args) =>
  benchInvestigate({
    backend: args.get('backend') === 'postgres' ? 'postgres' : 'sqlite',
    count: Number(args.get('count') ?? 200),
    background: Number(args.get('background') ?? 1_000_000),
  });

// The webhook connector, then the directory (slapd) and mailbox (Dovecot) connectors on real servers, in one line.
benches.respond = async (args) => {
  const backend = args.get('backend') === 'postgres' ? 'postgres' : 'sqlite';
  const concurrency = Number(args.get('concurrency') ?? 16);
  const webhook = await benchRespond({ backend, count: Number(args.get('count') ?? 2000), concurrency });
  const peers = { backend, count: Number(args.get('peer-count') ?? 500), concurrency } as const;
  const ldap = await benchRespondLdap(peers).catch((error: Error) => ({ skipped: error.message }));
  const imap = await benchRespondImap(peers).catch((error: Error) => ({ skipped: error.message }));
  return { ...webhook, ldap, imap };
};

benches.ui = (args) =>
  benchUi({
    backend: args.get('backend') === 'postgres' ? 'postgres' : 'sqlite',
    incidents: Number(args.get('count') ?? 10_000),
    evidence: Number(args.get('evidence') ?? 500),
    runs: Number(args.get('runs') ?? 5),
    alerts: Number(args.get('alerts') ?? 100_000),
    events: Number(args.get('events') ?? 1_000_000),
  });

benches.agent = (args) =>
  benchAgent({ count: Number(args.get('count') ?? 50), idleS: Number(args.get('idle') ?? 60) });

benches.live = (args) =>
  benchLive({
    dataset:
      args.get('dataset') ??
      path.resolve(
        import.meta.dirname,
        '../../demo/otrf/LSASS_campaign_01/metasploit_logonpasswords_lsass_memory_dump.zip',
      ),
    rate: Number(args.get('rate') ?? 2000),
  });

benches.scale = (args) =>
  benchScale({
    workers: (args.get('workers') ?? '1,2,4').split(',').map(Number),
    count: Number(args.get('count') ?? 300),
    delayMs: Number(args.get('delay') ?? 0),
  });

benches.detect = (args) =>
  benchDetect({
    dataset: args.get('dataset') ?? path.resolve(import.meta.dirname, '../../demo/otrf/LSASS_campaign_01'),
  });

const argv = process.argv.slice(2);
const names = argv.filter((arg, index) => !arg.startsWith('--') && !argv[index - 1]?.startsWith('--'));
const args = new Map<string, string>();
for (let index = 0; index < argv.length; index++) {
  const arg = argv[index] as string;
  if (arg.startsWith('--')) args.set(arg.slice(2), argv[index + 1] ?? '');
}
const selected = names.length > 0 ? names : Object.keys(benches);
for (const name of selected) {
  const bench = benches[name];
  if (!bench) {
    process.stderr.write(`unknown benchmark ${name}; known: ${Object.keys(benches).join(', ')}\n`);
    process.exit(2);
  }
  process.stdout.write(`${JSON.stringify(await bench(args))}\n`);
}
