/**
 * Where connector configurations come from: a YAML file (`AUTOIR_CONNECTORS`, read at start; its errors stop the
 * start) and the store (`autoir connectors add`, `POST /api/v1/connectors`, read on every use so a change applies
 * without a restart). A stored connector replaces a file's connector of the same name.
 */
import { loadConnectorFile, parseConnectorConfig, type ConnectorConfig } from '../connectors/config.js';
import type { Store } from '../store/ports.js';

export type ConnectorSource = () => Promise<readonly ConnectorConfig[]>;

export function connectorSource(store: Store, file?: string): ConnectorSource {
  const fromFile = file ? loadConnectorFile(file) : [];
  return async () => {
    const stored = (await store.policy.listConnectors()).map((row) =>
      parseConnectorConfig(row.config, `stored connector ${row.name}`),
    );
    const names = new Set(stored.map((config) => config.name));
    return [...fromFile.filter((config) => !names.has(config.name)), ...stored];
  };
}
