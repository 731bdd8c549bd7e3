/**
 * The connectors in force, as the response stage is handed them (respond/ports.ts `ConnectorSource`): from a YAML
 * file (`AUTOIR_CONNECTORS`, read at start; its errors stop the start) and from the store (`autoir connectors add`,
 * `PUT /api/v1/connectors/:name`, read on every pass so a change applies without a restart). A stored connector
 * replaces a file's connector of the same name. Each configuration's connector is built once (again when the
 * configuration changes).
 */
import {
  createConnector,
  loadConnectorFile,
  parseConnectorConfig,
  type ConnectorConfig,
} from '../connectors/config.js';
import { webhookNotifications } from '../connectors/webhook/webhook.js';
import type {
  Connector,
  ConnectorEntry,
  ConnectorPorts,
  ConnectorSource,
  NotificationChannel,
} from '../respond/ports.js';

/** Where digests of pending actions go: the policy's webhook, signed like the webhook connector's requests. */
export const notificationChannel: NotificationChannel = webhookNotifications;

const built = new Map<string, { text: string; connector: Connector }>();

/** A configuration's connector, built once per configuration (rebuilt when it changes). */
function connectorOf(config: ConnectorConfig): Connector {
  const text = JSON.stringify(config);
  const cached = built.get(config.name);
  if (cached?.text === text) return cached.connector;
  const connector = createConnector(config);
  built.set(config.name, { text, connector });
  return connector;
}

/** A configuration as the response stage routes and runs it. */
export function connectorEntry(config: ConnectorConfig): ConnectorEntry {
  return {
    name: config.name,
    enabled: config.enabled,
    actions: config.actions,
    ...(config.groups ? { groups: config.groups } : {}),
    connector: () => connectorOf(config),
  };
}

export function connectorSource(store: ConnectorPorts, file?: string): ConnectorSource {
  const fromFile = file ? loadConnectorFile(file) : [];
  return async () => {
    const stored = (await store.policy.listConnectors()).map((row) =>
      parseConnectorConfig(row.config, `stored connector ${row.name}`),
    );
    const names = new Set(stored.map((config) => config.name));
    return [...fromFile.filter((config) => !names.has(config.name)), ...stored].map(connectorEntry);
  };
}
