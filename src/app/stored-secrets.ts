/**
 * Secrets as they are stored: connectors' secret settings and the policy's notification secret are sealed (or
 * kept as references) before they reach the store, whichever face wrote them (connectors/secrets.ts); and those an
 * earlier release stored in the clear are sealed when a server or worker starts — or, with no key to seal them,
 * named in a warning.
 */
import type { ConnectorConfig } from '../connectors/config.js';
import { findConnectorKind } from '../connectors/index.js';
import {
  clearSecrets,
  isSecretReference,
  storableSecret,
  storableSettings,
  type SecretAudience,
  type SecretBox,
} from '../connectors/secrets.js';
import { redactPolicy, type PolicyDocument } from '../respond/policy-config.js';
import type { StoredConnector } from '../respond/ports.js';
import type { Store } from '../store/ports.js';
import type { Log } from '../domain/log.js';

/** A connector configuration with its secrets storable (sealed, or references). */
export function storableConnector(
  config: ConnectorConfig,
  box: SecretBox | undefined,
  audience: SecretAudience,
): ConnectorConfig {
  const kind = findConnectorKind(config.kind);
  return kind ? { ...config, settings: storableSettings(kind, config.settings, box, audience, '') } : config;
}

/** A policy document with its notification secret storable. */
export function storablePolicy(
  document: PolicyDocument,
  box: SecretBox | undefined,
  audience: SecretAudience,
): PolicyDocument {
  const webhook = document.notifications?.webhook;
  if (!webhook) return document;
  const secret = storableSecret(webhook.secret, box, audience, 'notifications.webhook.secret');
  return { ...document, notifications: { ...document.notifications, webhook: { ...webhook, secret } } };
}

/** The secret fields of a stored connector held in the clear (by an earlier release). */
export function clearSecretFields(row: Pick<StoredConnector, 'config'>): string[] {
  const kind = findConnectorKind(String(row.config.kind));
  const settings = row.config.settings;
  return kind && settings !== null && typeof settings === 'object'
    ? clearSecrets(kind, settings as Record<string, unknown>)
    : [];
}

/**
 * Seal the secrets an earlier release stored in the clear (audited as `system:secrets`); without a key, name them
 * in warnings. Returns how many connectors (and the policy) were sealed.
 */
export async function sealStoredSecrets(
  store: Pick<Store, 'policy'>,
  box: SecretBox | undefined,
  log: Log,
): Promise<number> {
  let sealed = 0;
  for (const row of await store.policy.listConnectors()) {
    const fields = clearSecretFields(row);
    if (fields.length === 0) continue;
    if (!box) {
      log.warn(
        `stored connector ${row.name}: ${fields.join(', ')} stored in the clear by an earlier release; set AUTOIR_KEY_FILE so it is sealed, or store it again as an env: or file: reference`,
        { connector: row.name },
      );
      continue;
    }
    const config = row.config as unknown as ConnectorConfig;
    await store.policy.putConnector(
      {
        name: row.name,
        config: storableConnector(config, box, 'host') as unknown as Record<string, unknown>,
        definedOn: row.definedOn,
      },
      'system:secrets',
      new Date(),
      () => ({ sealed: fields }),
    );
    sealed++;
  }
  const policy = (await store.policy.getSetting('policy')) as PolicyDocument | undefined;
  const secret = policy?.notifications?.webhook?.secret;
  if (policy && secret !== undefined && !isSecretReference(secret)) {
    if (!box)
      log.warn(
        'policy: notifications.webhook.secret stored in the clear by an earlier release; set AUTOIR_KEY_FILE so it is sealed',
      );
    else {
      await store.policy.setSetting(
        'policy',
        storablePolicy(policy, box, 'host'),
        'system:secrets',
        new Date(),
        redactPolicy,
      );
      sealed++;
    }
  }
  return sealed;
}
