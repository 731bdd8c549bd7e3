/**
 * The composition root: the services every face runs on (`autoir serve`, `run`, `worker`, `demo`, the other
 * commands), built once from the settings (config.ts) — the store, each stage's options with the files they name
 * read once, the connectors in force, and the one place a worker's wiring is assembled.
 */
import type { CorrelationOptions } from '../correlate/correlate.js';
import { defaultAllowlist } from '../correlate/correlator.js';
import type { DetectionConfig } from '../detect/detector.js';
import { windowsDetection } from '../detect/matcher.js';
import type { Detection } from '../ingest/ports.js';
import type { EngineLimits } from '../investigate/engine.js';
import { loadPlaybooks, type PlaybookSet } from '../investigate/playbooks.js';
import { outboundPolicy, type OutboundPolicy } from '../connectors/outbound.js';
import type { SecretBox } from '../connectors/secrets.js';
import type { ConnectorSource } from '../respond/ports.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/ports.js';
import type { WorkObserver, WorkOptions } from '../worker/worker.js';
import { detectionWith, type Settings } from './config.js';
import { connectorSource, notificationChannel } from './connectors.js';
import { loadSecretBox } from './secret-key.js';
import { loadMailFile, mailSender, type MailSettings } from './mail.js';
import { sealStoredSecrets } from './stored-secrets.js';
import { loadInputsFile } from './inputs.js';
import { superviseInputs, type InputDefinition } from '../ingest/inputs.js';
import { formatById } from '../ingest/formats/index.js';
import { correlatePending } from '../correlate/correlator.js';
import { isDeadClaim } from '../store/claims.js';
import { parseThreadScript } from './threads.js';
import { silentLog, type Log } from '../domain/log.js';

export interface InvestigationSettings {
  readonly playbooks: PlaybookSet;
  readonly limits: Partial<EngineLimits>;
  readonly maxRunning?: number;
}

export interface Services {
  readonly settings: Settings;
  readonly store: Store;
  /**
   * The process's log (app/log.ts for `serve` and `worker`; `autoir: …` warnings for the other commands): stored
   * connectors that cannot run, secrets stored in the clear, the inputs.
   */
  readonly log: Log;
  /** Correlation options, with the warninglists read (once). */
  correlation(): CorrelationOptions;
  /** Playbooks (read once) and the engine's limits. */
  investigation(): InvestigationSettings;
  /** Detection settings, with a command's options on top. */
  detection(options?: Parameters<typeof detectionWith>[1]): DetectionConfig;
  /** Detection as ingest runs it. */
  ingestDetection(config: DetectionConfig): Detection;
  /** The connectors in force: the `AUTOIR_CONNECTORS` file (read once) and the store's. */
  connectors(): ConnectorSource;
  /** autoir's own mail (`AUTOIR_MAIL`, read once): the SMTP relay and the report mailbox, if configured. */
  mail(): MailSettings;
  /** The inputs of `AUTOIR_INPUTS` (read once), or none. */
  inputs(): InputDefinition[];
  /**
   * Run the configured inputs until `signal` aborts (`serve`, `worker`): each batch detected with the configured
   * rules (unless the input says not) and its alerts correlated at once.
   */
  runInputs(signal: AbortSignal): Promise<void>;
  /** Where autoir's own requests may go (`AUTOIR_OUTBOUND_ALLOW` beyond public addresses). */
  readonly outbound: OutboundPolicy;
  /** `alerts` events when alerts were stored and correlated in this process: its worker loop looks at once. */
  readonly arrivals: EventTarget;
  /** The key that seals stored secrets (read, or made for a SQLite data directory, on first use); or none. */
  secrets(): SecretBox | undefined;
  /**
   * Seal secrets an earlier release stored in the clear, or warn about them when there is no key: run by the
   * commands that work (`serve`, `worker`, `run`) as they start.
   */
  sealStoredSecrets(): Promise<number>;
  /**
   * What a worker runs with (correlation, playbooks, limits, connectors, notifications, callbacks): the one place
   * it is assembled, for `serve`, `run --until-idle`, `worker` and `demo`.
   */
  work(options?: {
    /** The server's own address: callbacks go there when `AUTOIR_PUBLIC_URL` is not set. */
    readonly serverAddress?: string;
    /** The worker's log: passes that fail, retention, actions and their connectors (none when not given). */
    readonly log?: Log;
    readonly now?: () => Date;
    readonly signal?: AbortSignal;
    /** The process's metrics (app/metrics.ts), told of each stage of each pass. */
    readonly observe?: WorkObserver;
  }): WorkOptions;
  close(): Promise<void>;
}

/** Open the store the settings name and build the services on it. */
export async function openServices(settings: Settings, options: ServiceOptions = {}): Promise<Services> {
  return createServices(settings, await openStore(settings.store), options);
}

export interface ServiceOptions {
  /** The process's log (default: none). */
  readonly log?: Log;
}

/** The services on a store already open (it is closed with them). */
export function createServices(settings: Settings, store: Store, options: ServiceOptions = {}): Services {
  const log = options.log ?? silentLog;
  let correlation: CorrelationOptions | undefined;
  let investigation: InvestigationSettings | undefined;
  let connectors: ConnectorSource | undefined;
  let mail: MailSettings | undefined;
  let inputs: InputDefinition[] | undefined;
  const outbound = outboundPolicy(settings.outboundAllow);
  let box: { value: SecretBox | undefined } | undefined;
  const connectorHost = () => {
    const secrets = services.secrets();
    return { outbound, ...(secrets ? { box: secrets } : {}) };
  };
  const services: Services = {
    settings,
    store,
    log,
    outbound,
    arrivals: new EventTarget(),
    secrets() {
      box ??= { value: loadSecretBox(settings) };
      return box.value;
    },
    sealStoredSecrets: () => sealStoredSecrets(store, services.secrets(), log),
    correlation() {
      const { infrastructure, warninglists, ...thresholds } = settings.correlation;
      correlation ??= {
        ...thresholds,
        ...(infrastructure.length > 0 ? { infrastructure: new Set(infrastructure) } : {}),
        allowlist: defaultAllowlist(warninglists),
      };
      return correlation;
    },
    investigation() {
      investigation ??= {
        playbooks: loadPlaybooks(settings.investigation.playbookDirs),
        limits: settings.investigation.limits,
        ...(settings.investigation.maxRunning !== undefined
          ? { maxRunning: settings.investigation.maxRunning }
          : {}),
      };
      return investigation;
    },
    detection: (options = {}) => detectionWith(settings.detection, options),
    ingestDetection: (config) => windowsDetection(config),
    connectors() {
      connectors ??= connectorSource(store, connectorHost(), settings.connectorsFile, log);
      return connectors;
    },
    mail() {
      mail ??= settings.mailFile ? loadMailFile(settings.mailFile) : {};
      return mail;
    },
    inputs() {
      inputs ??= settings.inputsFile ? loadInputsFile(settings.inputsFile) : [];
      return inputs;
    },
    async runInputs(signal) {
      const configured = services.inputs();
      if (configured.length === 0) return;
      let detection: Detection | undefined;
      await superviseInputs(store, configured, {
        signal,
        log,
        takeOver: isDeadClaim,
        ingest: (input) => {
          if (input.detect) detection ??= services.ingestDetection(services.detection());
          const format = input.format ? formatById(input.format) : undefined;
          // A receiver keeps one parse thread (and its rules) from start to stop; a follower parses inline.
          return {
            ...(format ? { format } : {}),
            ...(input.detect && detection ? { detection } : {}),
            parseThread: parseThreadScript,
            workers: 1,
          };
        },
        afterBatch: async () => {
          await correlatePending(store, services.correlation());
          services.arrivals.dispatchEvent(new Event('alerts'));
        },
      });
    },
    work(options = {}) {
      const investigation = services.investigation();
      const sender = mailSender(services.mail(), outbound);
      const base = settings.server.publicUrl ?? options.serverAddress?.replace(/\/+$/, '');
      return {
        correlation: services.correlation(),
        playbooks: investigation.playbooks,
        limits: investigation.limits,
        protectedProcesses: settings.investigation.protectedProcesses,
        ...(investigation.maxRunning !== undefined ? { maxRunning: investigation.maxRunning } : {}),
        ...(settings.investigation.stepDelayMs ? { stepDelayMs: settings.investigation.stepDelayMs } : {}),
        connectors: services.connectors(),
        notifications: notificationChannel(outbound, services.secrets()),
        ...(sender ? { mail: sender } : {}),
        callbackUrl: (actionId) =>
          base ? `${base}/api/v1/actions/${encodeURIComponent(actionId)}/result` : null,
        ...(options.log ? { log: options.log } : {}),
        ...(options.now ? { now: options.now } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.observe ? { observe: options.observe } : {}),
        wake: services.arrivals,
        ...(settings.eventRetentionMs ? { eventRetention: { afterMs: settings.eventRetentionMs } } : {}),
      };
    },
    close: () => store.close(),
  };
  return services;
}
