/**
 * The connectors in force, as the response stage is handed them (respond/ports.ts `ConnectorSource`): from a YAML
 * file (`AUTOIR_CONNECTORS`, read at start; its errors stop the start) and from the store (`autoir connectors add`,
 * `PUT /api/v1/connectors/:name`, read on every pass so a change applies without a restart). A stored connector
 * replaces a file's connector of the same name. Each configuration's connector is built once (again when the
 * configuration changes). A kind that runs programs on the server (`command`) runs only when it was defined on the
 * host; one stored through the API (possible before this was refused) is left out, with a warning.
 */
import {
  createConnector,
  loadConnectorFile,
  parseConnectorConfig,
  type ConnectorConfig,
} from '../connectors/config.js';
import { silentLog, type Log } from '../domain/log.js';
import { plainLog } from './log.js';
import { findConnectorKind } from '../connectors/index.js';
import type { OutboundPolicy } from '../connectors/outbound.js';
import { resolveSecret, type SecretBox } from '../connectors/secrets.js';
import { webhookNotifications } from '../connectors/webhook/webhook.js';
import type {
  Connector,
  ConnectorCheck,
  ConnectorEntry,
  ConnectorPorts,
  ConnectorSource,
  NotificationChannel,
  StoredConnector,
} from '../respond/ports.js';

/**
 * Where digests of pending actions go: the policy's webhook, signed like the webhook connector's requests, its
 * secret read as written (`env:`, `file:`, sealed).
 */
export function notificationChannel(outbound: OutboundPolicy, box?: SecretBox): NotificationChannel {
  const channel = webhookNotifications(outbound);
  return {
    send: (webhook, body, now) =>
      channel.send(
        {
          ...webhook,
          secret: resolveSecret(
            webhook.secret,
            { env: process.env, ...(box ? { box } : {}) },
            'policy: notifications.webhook.secret',
          ),
        },
        body,
        now,
      ),
  };
}

/** Why a stored connector does not run, or `undefined` when it does. */
export function storedConnectorProblem(
  row: Pick<StoredConnector, 'config' | 'definedOn'>,
): string | undefined {
  const kind = findConnectorKind(String(row.config.kind));
  if (kind?.hostOnly && row.definedOn !== 'host')
    return `a ${kind.kind} connector runs programs on the server and was stored through the API: it does not run until it is defined on the host (AUTOIR_CONNECTORS, or \`autoir connectors add\` run there)`;
  return undefined;
}

const built = new Map<string, { text: string; connector: Connector }>();

/** What connectors are built with: where their requests may go, and the key that opens sealed secrets. */
export interface ConnectorHost {
  readonly outbound: OutboundPolicy;
  readonly box?: SecretBox;
}

/** A configuration's connector, built once per configuration (rebuilt when it changes). */
function connectorOf(config: ConnectorConfig, host: ConnectorHost): Connector {
  const text = JSON.stringify([config, host.outbound.allow]);
  const cached = built.get(config.name);
  if (cached?.text === text) return cached.connector;
  const connector = createConnector(
    config,
    { env: process.env, ...(host.box ? { box: host.box } : {}) },
    host.outbound,
  );
  built.set(config.name, { text, connector });
  return connector;
}

/** A configuration as the response stage routes and runs it. */
export function connectorEntry(config: ConnectorConfig, host: ConnectorHost): ConnectorEntry {
  return {
    name: config.name,
    enabled: config.enabled,
    actions: config.actions,
    ...(config.groups ? { groups: config.groups } : {}),
    connector: () => connectorOf(config, host),
  };
}

export function connectorSource(
  store: ConnectorPorts,
  host: ConnectorHost,
  file?: string,
  log: Log = plainLog(process.stderr),
): ConnectorSource {
  const fromFile = file ? loadConnectorFile(file) : [];
  const warned = new Set<string>();
  return async () => {
    const stored: ConnectorConfig[] = [];
    const names = new Set<string>();
    for (const row of await store.policy.listConnectors()) {
      // A stored name replaces the file's, even when the stored one does not run.
      names.add(row.name);
      const problem = storedConnectorProblem(row);
      if (problem === undefined)
        stored.push(parseConnectorConfig(row.config, `stored connector ${row.name}`));
      else if (!warned.has(`${row.name} ${row.updatedAt}`)) {
        warned.add(`${row.name} ${row.updatedAt}`);
        log.warn(`stored connector ${row.name}: ${problem}`, { connector: row.name });
      }
    }
    return [...fromFile.filter((config) => !names.has(config.name)), ...stored].map((config) =>
      connectorEntry(config, host),
    );
  };
}

/** What `autoir connectors test` and `POST /api/v1/connectors/:name/test` answer. */
export interface ConnectorTestResult extends ConnectorCheck {
  readonly name: string;
  readonly kind: string;
  /** Reachable, and nothing found wrong with the credentials or rights. */
  readonly ok: boolean;
}

/**
 * Check a configured connector: build it (its secrets read), then ask it whether it can work — reachable,
 * authenticated, permitted — within its timeout (at most 30 s). A configuration that cannot be built is a failed
 * check saying why.
 */
export async function testConnector(
  config: ConnectorConfig,
  host: ConnectorHost,
): Promise<ConnectorTestResult> {
  let check: ConnectorCheck;
  try {
    const connector = connectorOf(config, host);
    const signal = AbortSignal.timeout(Math.min(connector.timeoutMs, 30_000));
    check = connector.check
      ? await connector.check({ signal, log: silentLog })
      : {
          reachable: false,
          authenticated: null,
          permitted: null,
          message: `a ${config.kind} connector has no check`,
        };
  } catch (error) {
    check = { reachable: false, authenticated: null, permitted: null, message: (error as Error).message };
  }
  return {
    name: config.name,
    kind: config.kind,
    ok: check.reachable && check.authenticated !== false && check.permitted !== false,
    ...check,
  };
}
